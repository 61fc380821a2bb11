"""Terminal output of the `assess` command: score tables, item statistics and questionnaire
outlines."""

from __future__ import annotations

import textwrap

from rich.console import Console
from rich.table import Table
from rich.text import Text

from assess.cli.terminal_advice import priorities_table, roadmap_lines
from assess.domain.formatting import number_text, score_text
from assess.domain.item_details import item_details
from assess.domain.itemstats import ItemStatistics
from assess.domain.questionnaire import (
    ProfileChoice,
    Questionnaire,
    localized,
)
from assess.domain.results import AssessmentResult, GroupResult

LABELS = {
    "en": {
        "dimension": "Level",
        "score": "Score",
        "stage": "Stage",
        "overall": "Overall",
        "respondents": "respondents",
        "spread": "Spread",
        "divergent": "divergent",
        "divergent_note": "⚠ divergent: the groups' scores lie at least {points} points apart",
        "group": "Group",
        "stages": "Stages",
        "profile": "Profile questions",
        "weight": "weight",
        "from": "from",
    },
    "de": {
        "dimension": "Ebene",
        "score": "Wert",
        "stage": "Stufe",
        "overall": "Gesamt",
        "respondents": "Befragte",
        "spread": "Spanne",
        "divergent": "abweichend",
        "divergent_note": (
            "⚠ abweichend: die Werte der Gruppen liegen mindestens {points} Punkte auseinander"
        ),
        "group": "Gruppe",
        "stages": "Stufen",
        "profile": "Profilfragen",
        "weight": "Gewicht",
        "from": "ab",
    },
}


def _labels(language: str) -> dict[str, str]:
    return LABELS.get(language, LABELS["en"])


def _short(text: str) -> str:
    """A level's name without its subtitle: "Strategie – CX als …" -> "Strategie"."""
    return text.split(" – ")[0]


def _stage_name(questionnaire: Questionnaire, stage_id: str | None, language: str) -> str:
    stage = next((s for s in questionnaire.stages if s.id == stage_id), None)
    return localized(stage.name, language) if stage else "–"


def result_tables(
    questionnaire: Questionnaire,
    result: AssessmentResult,
    language: str,
    console: Console | None = None,
) -> None:
    """Dimension figures of the organisation and their priorities, then each grouping
    with its divergence, then the roadmap."""
    console = console or Console()
    words = _labels(language)
    title = localized(questionnaire.title, language)
    heading = f"{title} – {result.total.respondents} {words['respondents']}"
    console.print(_figures_table(questionnaire, result.total, language, heading))
    console.print(priorities_table(questionnaire, result, language))
    console.print()
    for question, groups in result.groups.items():
        console.print(_groups_table(questionnaire, result, question, groups, language))
    console.print()
    for line in roadmap_lines(questionnaire, result, language):
        # Wrapped under its own text, not under the number.
        indent = " " * (len(line) - len(line.lstrip(" ")) + 4)
        console.print(Text(textwrap.fill(line, console.width, subsequent_indent=indent)))


def _figures_table(
    questionnaire: Questionnaire, group: GroupResult, language: str, title: str
) -> Table:
    words = _labels(language)
    table = Table(title=title, title_justify="left")
    table.add_column(words["dimension"])
    for name in (words["score"], "n", "sd", "min", "max"):
        table.add_column(name, justify="right")
    table.add_column(words["stage"])
    for dimension in questionnaire.dimensions:
        f = group.dimensions[dimension.id]
        table.add_row(
            Text(_short(localized(dimension.name, language))),
            score_text(f.score, language),
            str(f.summary.n),
            score_text(f.summary.sd, language),
            score_text(f.summary.min, language),
            score_text(f.summary.max, language),
            Text(_stage_name(questionnaire, f.stage, language)),
        )
    table.add_section()
    table.add_row(
        Text(words["overall"], style="bold"),
        Text(score_text(group.overall.score, language), style="bold"),
        "",
        "",
        "",
        "",
        Text(_stage_name(questionnaire, group.overall.stage, language), style="bold"),
    )
    return table


def _groups_table(
    questionnaire: Questionnaire,
    result: AssessmentResult,
    question: str,
    groups: dict[str, GroupResult],
    language: str,
) -> Table:
    words = _labels(language)
    profile = questionnaire.profile_question(question)
    options = {o.value: localized(o.label, language) for o in getattr(profile, "options", [])}
    divergence = result.divergence.get(question, {})
    # The mark stays one character wide and the note under the table says what it means,
    # so that five or six groups still fit a terminal without cutting names short.
    points = number_text(questionnaire.divergence_threshold, language)
    flagged_any = any(s.flagged for s in divergence.values())
    table = Table(
        title=localized(profile.text, language) if profile else question,
        title_justify="left",
        caption=words["divergent_note"].format(points=points) if flagged_any else None,
        caption_justify="left",
    )
    table.add_column(words["dimension"])
    for key, group in groups.items():
        label = options.get(key, key)
        table.add_column(Text(f"{label}\n(n={group.respondents})"), justify="right")
    table.add_column(words["spread"], justify="right")
    for dimension in questionnaire.dimensions:
        spread = divergence.get(dimension.id)
        flagged = bool(spread and spread.flagged)
        mark = " ⚠" if flagged else ""
        table.add_row(
            Text(_short(localized(dimension.name, language))),
            *(score_text(g.dimensions[dimension.id].score, language) for g in groups.values()),
            Text(
                score_text(spread.spread if spread else None, language) + mark,
                style="bold red" if flagged else "",
            ),
        )
    table.add_section()
    table.add_row(
        Text(words["overall"], style="bold"),
        *(score_text(g.overall.score, language) for g in groups.values()),
        "",
    )
    return table


def outline(questionnaire: Questionnaire, language: str, console: Console | None = None) -> None:
    """Dimensions with their items, the stages and the profile questions."""
    console = console or Console()
    words = _labels(language)
    console.print(
        Text(
            f"{localized(questionnaire.title, language)} "
            f"({questionnaire.id} v{questionnaire.version}, {', '.join(questionnaire.languages)})",
            style="bold",
        )
    )
    if questionnaire.description:
        console.print(Text(localized(questionnaire.description, language)))
    for dimension in questionnaire.dimensions:
        console.print()
        console.print(
            Text(
                f"{localized(dimension.name, language)} [{dimension.id}, "
                f"{words['weight']} {dimension.weight:g}]",
                style="bold",
            )
        )
        for item in dimension.items:
            console.print(Text(f"  - {item.id}: {localized(item.text, language)}"))
            console.print(Text(f"      {item_details(questionnaire, item, language)}", style="dim"))
    console.print()
    console.print(Text(words["stages"], style="bold"))
    for stage in questionnaire.stages:
        name = localized(stage.name, language)
        console.print(Text(f"  {words['from']} {stage.min_score:g}: {name} [{stage.id}]"))
    if questionnaire.profile:
        console.print()
        console.print(Text(words["profile"], style="bold"))
        for question in questionnaire.profile:
            detail: str = question.type
            if isinstance(question, ProfileChoice):
                detail += ": " + ", ".join(o.value for o in question.options)
            console.print(
                Text(
                    f"  - {question.id} ({question.scope}, {detail}): "
                    f"{localized(question.text, language)}"
                )
            )


STATS_WORDS = {
    "de": {
        "respondents": "Befragte",
        "complete": "vollständig",
        "mean": "Mittelwert",
        "without": "Alpha ohne Item",
        "standardised": "standardisiert: Formate gemischt",
        "lead": "Fakt",
        "lead_note": "(Fakt): von der Hauptansprechperson einmal je Organisation beantwortet; "
        "geht in kein Alpha ein.",
        "lowers": "Ohne dieses Item wäre Alpha höher",
    },
    "en": {
        "respondents": "respondents",
        "complete": "complete",
        "mean": "mean",
        "without": "alpha if deleted",
        "standardised": "standardised: formats mixed",
        "lead": "fact",
        "lead_note": "(fact): answered once per organisation by its lead respondent; enters "
        "no alpha.",
        "lowers": "Alpha would be higher without",
    },
}


def stats_tables(model: Questionnaire, figures: ItemStatistics, language: str) -> None:
    """One table per dimension: alpha and complete n, then each item's figures; the items
    without which alpha would be higher."""
    words = STATS_WORDS["de" if language == "de" else "en"]

    def number(value: float | None, places: int) -> str:
        if value is None:
            return "–"
        text = f"{value:.{places}f}"
        return text.replace(".", ",") if language == "de" else text

    console = Console()
    title = localized(model.title, language)
    # Text, not markup: titles and names are written by users and may hold [brackets].
    console.print(
        Text(
            f"{title} ({model.id} v{model.version}) – {figures.respondents} {words['respondents']}"
        )
    )
    if any(not i.in_alpha for d in figures.dimensions for i in d.items):
        console.print(Text(words["lead_note"]))
    names = {d.id: localized(d.name, language) for d in model.dimensions}
    for dimension in figures.dimensions:
        kind = f", {words['standardised']}" if dimension.standardised else ""
        table = Table(
            title=Text(
                f"{names[dimension.id]}: alpha {number(dimension.alpha, 3)} "
                f"(n = {dimension.n} {words['complete']}{kind})"
            ),
            title_justify="left",
        )
        table.add_column("Item", overflow="fold")  # ids wrap, never cut short
        for name in ("n", words["mean"], "sd", "r(it)", words["without"]):
            table.add_column(name, justify="right")
        for item in dimension.items:
            table.add_row(
                item.id if item.in_alpha else f"{item.id} ({words['lead']})",
                str(item.n),
                number(item.mean, 1),
                number(item.sd, 1),
                number(item.item_total_r, 2),
                number(item.alpha_if_deleted, 3),
            )
        console.print(table)
        alpha = dimension.alpha
        lowering = [
            f"{i.id} ({number(i.alpha_if_deleted, 3)})"
            for i in dimension.items
            if alpha is not None and i.alpha_if_deleted is not None and i.alpha_if_deleted > alpha
        ]
        if lowering:
            console.print(Text(f"{words['lowers']}: {', '.join(lowering)}"))
