"""Terminal output of the `assess` command: score tables (how sure each figure is among
them) and questionnaire outlines; item statistics are in terminal_stats."""

from __future__ import annotations

import textwrap

from rich.console import Console
from rich.table import Table
from rich.text import Text

from assess.cli.terminal_advice import priorities_table, roadmap_lines
from assess.domain.certainty import Strength, readable, strength, verdict, wide
from assess.domain.formatting import number_text, score_text
from assess.domain.item_details import item_details
from assess.domain.questionnaire import (
    ProfileChoice,
    Questionnaire,
    localized,
)
from assess.domain.results import AssessmentResult, Certainty, GroupResult

LABELS = {
    "en": {
        "dimension": "Level",
        "score": "Score",
        "stage": "Stage",
        "overall": "Overall",
        "respondents": "respondents",
        "spread": "Spread",
        "interval": "95%\ninterval",
        "certainty_note": (
            "rwg: how far the respondents agree, 0 to 1 (from 0.70 they largely agree). "
            "95% interval: the whole organisation's score lies within it with 95% confidence."
        ),
        "agree": "The respondents largely agree: rwg {rwg}",
        "moderate": "The respondents agree only moderately; read the figure with care: rwg {rwg}",
        "differ": "The figure hides large differences: rwg {rwg}",
        "unknown": "Too few answers to tell how far the respondents agree",
        "wide": "With so few respondents the score may lie anywhere between {low} and {high}.",
        "clear": "clear",
        "possible": "possible",
        "clear_note": (
            "clear: the groups' scores lie at least {points} points apart, more than chance "
            "explains (Welch test, 95%)"
        ),
        "possible_note": (
            "possible: at least {points} points apart, but the groups are small or their "
            "answers vary widely, so the difference may be chance"
        ),
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
        "interval": "95 %\nIntervall",
        "certainty_note": (
            "rwg: wie einig sich die Befragten sind, 0 bis 1 (ab 0,70 weitgehend einig). "
            "95-%-Intervall: Der Wert der ganzen Organisation liegt mit 95 % Sicherheit darin."
        ),
        "agree": "Die Befragten sind sich weitgehend einig: rwg {rwg}",
        "moderate": (
            "Die Befragten sind sich nur mäßig einig; lesen Sie die Zahl mit Vorsicht: rwg {rwg}"
        ),
        "differ": "Die Zahl verdeckt große Unterschiede: rwg {rwg}",
        "unknown": "Zu wenige Antworten, um zu sagen, wie einig sich die Befragten sind",
        "wide": "Bei so wenigen Befragten kann der Wert irgendwo zwischen {low} und {high} liegen.",
        "clear": "deutlich",
        "possible": "möglich",
        "clear_note": (
            "deutlich: Die Werte der Gruppen liegen mindestens {points} Punkte auseinander, "
            "mehr als der Zufall erklärt (Welch-Test, 95 %)"
        ),
        "possible_note": (
            "möglich: mindestens {points} Punkte auseinander, doch die Gruppen sind klein oder "
            "ihre Antworten gehen weit auseinander, sodass der Unterschied Zufall sein kann"
        ),
        "group": "Gruppe",
        "stages": "Stufen",
        "profile": "Profilfragen",
        "weight": "Gewicht",
        "from": "ab",
    },
}


# Divergence as the note under a grouping's table explains it, each in its own style.
STRENGTHS: dict[Strength, str] = {"clear": "bold red", "possible": "yellow"}


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
    console.print(_figures_table(questionnaire, result, language, heading))
    for line in verdict_lines(questionnaire, result, language):
        console.print(Text(line))
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
    questionnaire: Questionnaire, result: AssessmentResult, language: str, title: str
) -> Table:
    words = _labels(language)
    group = result.total
    table = Table(
        title=title,
        title_justify="left",
        caption=words["certainty_note"],
        caption_justify="left",
    )
    table.add_column(words["dimension"])
    for name in (words["score"], "n", "sd", "min", "max", words["interval"], "rwg"):
        table.add_column(name, justify="right")
    table.add_column(words["stage"])
    for dimension in questionnaire.dimensions:
        f = group.dimensions[dimension.id]
        certainty = result.certainty.get(dimension.id, Certainty())
        table.add_row(
            Text(_short(localized(dimension.name, language))),
            score_text(f.score, language),
            str(f.summary.n),
            score_text(f.summary.sd, language),
            score_text(f.summary.min, language),
            score_text(f.summary.max, language),
            interval_text(certainty.ci95, language),
            rwg_text(certainty.rwg, language),
            Text(_stage_name(questionnaire, f.stage, language)),
        )
    table.add_section()
    table.add_row(
        Text(words["overall"], style="bold"),
        Text(score_text(group.overall.score, language), style="bold"),
        *[""] * 6,
        Text(_stage_name(questionnaire, group.overall.stage, language), style="bold"),
    )
    return table


def interval_text(interval: tuple[float, float] | None, language: str) -> str:
    """A 95 % interval as readers see it, within 0 to 100: "41,2–63,0" / "41.2–63.0"."""
    shown = readable(interval)
    if shown is None:
        return "–"
    return f"{score_text(shown[0], language)}–{score_text(shown[1], language)}"


def rwg_text(value: float | None, language: str) -> str:
    """An rwg with two decimals: "0,41" / "0.41"; "–" without one."""
    if value is None:
        return "–"
    text = f"{value:.2f}"
    return text.replace(".", ",") if language == "de" else text


def verdict_lines(
    questionnaire: Questionnaire, result: AssessmentResult, language: str
) -> list[str]:
    """Per level, how far its respondents agree in one sentence, and where its interval
    is wide, between which scores it may lie."""
    words = _labels(language)
    lines = []
    for dimension in questionnaire.dimensions:
        certainty = result.certainty.get(dimension.id, Certainty())
        said = words[verdict(certainty.rwg)].format(rwg=rwg_text(certainty.rwg, language))
        line = f"{_short(localized(dimension.name, language))}: {said}."
        shown = readable(certainty.ci95)
        if shown is not None and wide(certainty.ci95):
            low, high = (number_text(round(end), language) for end in shown)
            line += " " + words["wide"].format(low=low, high=high)
        lines.append(line)
    return lines


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
    # One word beside the spread, and the note under the table says what it means, so
    # that five or six groups still fit a terminal without cutting names short.
    points = number_text(questionnaire.divergence_threshold, language)
    found = {strength(d) for d in divergence.values()}
    notes = [words[f"{kind}_note"].format(points=points) for kind in STRENGTHS if kind in found]
    table = Table(
        title=localized(profile.text, language) if profile else question,
        title_justify="left",
        caption="\n".join(notes) or None,
        caption_justify="left",
    )
    table.add_column(words["dimension"])
    for key, group in groups.items():
        label = options.get(key, key)
        table.add_column(Text(f"{label}\n(n={group.respondents})"), justify="right")
    table.add_column(words["spread"], justify="right")
    for dimension in questionnaire.dimensions:
        spread = divergence.get(dimension.id)
        kind = strength(spread)
        table.add_row(
            Text(_short(localized(dimension.name, language))),
            *(score_text(g.dimensions[dimension.id].score, language) for g in groups.values()),
            Text(
                score_text(spread.spread if spread else None, language)
                + (f" {words[kind]}" if kind else ""),
                style=STRENGTHS[kind] if kind else "",
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
