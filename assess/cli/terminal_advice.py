"""Terminal output of the advice of `assess score`: the dimensions' priority figures in a
table, ranked, then the roadmap as a numbered list (horizon, title, owner, the first
step, and why in one line)."""

from __future__ import annotations

import re
from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text

from assess.domain.answer_words import ANSWER_WORDS, fact_label, question_label
from assess.domain.formatting import score_text
from assess.domain.questionnaire import Questionnaire, Recommendation, localized
from assess.domain.results import Advice, Answered, AssessmentResult, Reason, Standing

LABELS = {
    "en": {
        "priorities": "Priorities",
        "dimension": "Level",
        "dont_know": "Can't\njudge",
        "importance": "Importance\n(mean)",
        "target": "Target\nstage",
        "gap": "Gap",
        "priority": "Priority",
        "rank": "#",
        "quadrant": "Quadrant",
        "roadmap": "Roadmap",
        "none": "Roadmap: no recommendation fits these answers.",
        "owner": "owner",
        "first_step": "first step",
        "why": "why",
        "now": "now",
        "next": "next",
        "later": "later",
        "concentrate": "Concentrate here",
        "keep-up": "Keep up the good work",
        "low-priority": "Low priority",
        "possible-overkill": "Possible overkill",
        "stages": "stage is {value}",
        "below": "the level scores {value} (below {bound})",
        "at_least": "the level scores {value} (at least {bound})",
        "items.below": "{kind} '{item}' scores {value} (below {bound})",
        "items.at_least": "{kind} '{item}' scores {value} (at least {bound})",
        "statement": "statement",
        "question": "question",
        "items.fact": "the lead respondent answered '{item}' with '{answer}'",
        "divergence.at_least": "groups differ by {value} points (at least {bound})",
        "divergence.clear": "the groups' divergence is clear (more than chance explains)",
        "divergence.possible": "the groups' divergence is possible only (it may be chance)",
        "dont_know.at_least": "{value} can't judge (at least {bound})",
        "profile": "{question}: {value}",
    },
    "de": {
        "priorities": "Prioritäten",
        "dimension": "Ebene",
        "dont_know": "Kann ich\nnicht\nbeurteilen",
        "importance": "Wichtigkeit\n(Mittel)",
        "target": "Zielstufe",
        "gap": "Abstand",
        "priority": "Priorität",
        "rank": "#",
        "quadrant": "Quadrant",
        "roadmap": "Fahrplan",
        "none": "Fahrplan: Keine Empfehlung passt zu diesen Antworten.",
        "owner": "verantwortlich",
        "first_step": "erster Schritt",
        "why": "warum",
        "now": "sofort",
        "next": "als Nächstes",
        "later": "später",
        "concentrate": "Hier konzentrieren",
        "keep-up": "Weiter so",
        "low-priority": "Geringe Priorität",
        "possible-overkill": "Möglicherweise zu viel Aufwand",
        "stages": "Stufe ist {value}",
        "below": "die Ebene erreicht {value} (unter {bound})",
        "at_least": "die Ebene erreicht {value} (mindestens {bound})",
        "items.below": "{kind} „{item}“ erreicht {value} (unter {bound})",
        "items.at_least": "{kind} „{item}“ erreicht {value} (mindestens {bound})",
        "statement": "Aussage",
        "question": "Frage",
        "items.fact": "die Hauptansprechperson beantwortete „{item}“ mit „{answer}“",
        "divergence.at_least": "Gruppen liegen {value} Punkte auseinander (mindestens {bound})",
        "divergence.clear": "die Abweichung der Gruppen ist deutlich (mehr als der Zufall erklärt)",
        "divergence.possible": "die Abweichung der Gruppen ist nur möglich (sie kann Zufall sein)",
        "dont_know.at_least": "{value} können es nicht beurteilen (mindestens {bound})",
        "profile": "{question}: {value}",
    },
}

# A sentence ends at . ! or ? followed by a space or the end of the text.
_FIRST_SENTENCE = re.compile(r"^(.+?[.!?])(?=\s|$)", re.DOTALL)


def _labels(language: str) -> dict[str, str]:
    return LABELS.get(language, LABELS["en"])


def priorities_table(
    questionnaire: Questionnaire, result: AssessmentResult, language: str
) -> Table:
    """Per dimension, highest priority first: rank, "can't judge" share, mean
    importance, target, gap, priority, and the quadrant where the answers give one."""
    words = _labels(language)
    quadrants = any(s.quadrant for s in result.standing.values())
    # No vertical rules: eight columns stay within 100 characters.
    table = Table(
        title=words["priorities"],
        title_justify="left",
        box=box.SIMPLE_HEAD,
        collapse_padding=True,
        show_edge=False,
    )
    table.add_column(words["rank"], justify="right")
    table.add_column(words["dimension"])
    for key in ("dont_know", "importance"):
        table.add_column(words[key], justify="right")
    table.add_column(words["target"])
    for key in ("gap", "priority"):
        table.add_column(words[key], justify="right")
    if quadrants:
        table.add_column(words["quadrant"])
    unranked = len(questionnaire.dimensions) + 1
    ranked = sorted(
        questionnaire.dimensions,
        key=lambda d: getattr(result.standing.get(d.id), "rank", None) or unranked,
    )
    for dimension in ranked:
        answered = result.answered.get(dimension.id, Answered())
        standing = result.standing.get(dimension.id, Standing())
        row: list[Text | str] = [
            str(standing.rank) if standing.rank is not None else "–",
            Text(localized(dimension.name, language).split(" – ")[0]),
            _percent(answered.dont_know_share, language),
            score_text(answered.importance_mean, language),
            Text(_stage_name(questionnaire, standing.target, language)),
            score_text(standing.gap, language),
            score_text(standing.priority, language),
        ]
        if quadrants:
            row.append(words[standing.quadrant] if standing.quadrant else "–")
        table.add_row(*row)
    return table


def roadmap_lines(
    questionnaire: Questionnaire, result: AssessmentResult, language: str
) -> list[str]:
    """The chosen recommendations in roadmap order, numbered: horizon, title, owner, then
    on lines of their own the first step (where the file names one) and why each was
    chosen."""
    words = _labels(language)
    if not result.recommendations:
        return [words["none"]]
    every = [recommendation for _, recommendation in questionnaire.recommendations()]
    lines = [words["roadmap"]]
    for number, advice in enumerate(result.recommendations, start=1):
        recommendation = every[advice.position]
        owner = localized(recommendation.owner, language) if recommendation.owner else "–"
        lines.append(
            f"{number:>2}. [{words[advice.horizon]}] {title(recommendation, language)} "
            f"– {words['owner']}: {owner}"
        )
        if recommendation.first_step:
            first = " ".join(localized(recommendation.first_step, language).split())
            lines.append(f"    {words['first_step']}: {first}")
        lines.append(f"    {words['why']}: {why(questionnaire, advice, language)}")
    return lines


def title(recommendation: Recommendation, language: str) -> str:
    """A recommendation's title, else the first sentence of its text."""
    if recommendation.title is not None:
        return localized(recommendation.title, language)
    text = " ".join(localized(recommendation.text, language).split())
    found = _FIRST_SENTENCE.match(text)
    return found[1] if found else text


def why(questionnaire: Questionnaire, advice: Advice, language: str) -> str:
    """Every condition that chose a recommendation, with its figure, in words."""
    return "; ".join(_reason(questionnaire, reason, language) for reason in advice.because)


def _reason(questionnaire: Questionnaire, reason: Reason, language: str) -> str:
    words = _labels(language)
    kind, _, rest = reason.condition.partition(".")
    if kind == "stages":
        return words["stages"].format(value=_stage_name(questionnaire, reason.value, language))
    if kind == "profile":
        answer = _option_label(questionnaire, rest, reason.value, language)
        asked = questionnaire.profile_question(rest)
        question = localized(asked.text, language).strip().rstrip(":?") if asked else rest
        return words["profile"].format(question=question, value=answer)
    if reason.condition == "divergence.significant":  # value: true or false, as asked
        return words["divergence.clear" if reason.value else "divergence.possible"]
    if kind == "dont_know":
        value, bound = (
            _percent(reason.value, language),
            _percent(reason.bound, language, bound=True),
        )
        return words["dont_know.at_least"].format(value=value, bound=bound)
    value = score_text(reason.value, language)
    bound = _bound(reason.bound, language)
    if kind == "items":
        item_id, _, band = rest.rpartition(".")
        found = questionnaire.item(item_id)
        item = question_label(found, language) if found else item_id
        fact = fact_label(found, reason.value, language) if found else None
        if fact is not None:  # the lead's one answer: say it, not its score
            return words["items.fact"].format(item=item, answer=fact)
        kind = words["statement" if found is not None and found.type == "scale" else "question"]
        return words[f"items.{band}"].format(kind=kind, item=item, value=value, bound=bound)
    return words[reason.condition].format(value=value, bound=bound)


def _stage_name(questionnaire: Questionnaire, stage_id: str | None, language: str) -> str:
    stage = questionnaire.stage_for_id(stage_id) if stage_id else None
    return localized(stage.name, language) if stage else "–"


def _option_label(questionnaire: Questionnaire, question_id: str, value: Any, language: str) -> str:
    """A profile answer as its option's label where it is an option, else as given."""
    question = questionnaire.profile_question(question_id)
    for option in getattr(question, "options", []):
        if option.value == value:
            return localized(option.label, language)
    if isinstance(value, bool):
        return localized(ANSWER_WORDS["yes" if value else "no"], language)
    return str(value)


def _bound(bound: float, language: str) -> str:
    """A rule's bound as the file writes it: 50, 37.5 (37,5 in German)."""
    text = f"{bound:g}"
    return text.replace(".", ",") if language == "de" else text


def _percent(share: float | None, language: str, *, bound: bool = False) -> str:
    """A share as a percent with one decimal, 33.3% (33,3 % in German); a rule's bound
    as written, 25%."""
    if share is None:
        return "–"
    number = _bound(share * 100, language) if bound else score_text(share * 100, language)
    return f"{number} %" if language == "de" else f"{number}%"
