"""The report's roadmap: the recommendations the organisation's figures chose (rule 12 of
the format document), in roadmap order, each with who acts, how success shows and, in
one line, why it was chosen; grouped by horizon (now, next, later)."""

from __future__ import annotations

from dataclasses import dataclass

from assess.domain.answer_words import ANSWER_WORDS, fact_label
from assess.domain.grouping import group_key
from assess.domain.questionnaire import (
    HORIZONS,
    Dimension,
    ProfileChoice,
    Questionnaire,
    Recommendation,
    localized,
)
from assess.domain.results import Advice, AssessmentResult, Reason
from assess.reporting.i18n import Translator
from assess.reporting.stages import stage_name


@dataclass(frozen=True)
class Step:
    """One chosen recommendation as the roadmap shows it."""

    number: int  # its place on the roadmap, from 1
    horizon: str  # the name of its horizon in the report's language
    advice: Advice
    dimension: Dimension
    recommendation: Recommendation
    why: str  # every condition that chose it, in words, on one line
    after: list[int]  # the numbers of the earlier steps it builds on


@dataclass(frozen=True)
class Horizon:
    """The steps of one horizon, in roadmap order."""

    id: str  # now | next | later
    name: str
    steps: list[Step]


def steps_of(
    questionnaire: Questionnaire, result: AssessmentResult, translator: Translator
) -> list[Step]:
    """The result's recommendations in roadmap order, with why each was chosen."""
    everything = list(questionnaire.recommendations())
    names = _horizon_names(translator)
    numbers: dict[str, int] = {}
    steps = []
    for number, advice in enumerate(result.recommendations, start=1):
        dimension, recommendation = everything[advice.position]
        after = [numbers[d] for d in recommendation.depends_on if d in numbers]
        why = why_of(questionnaire, result, dimension, advice.because, translator)
        horizon = names[advice.horizon]
        steps.append(Step(number, horizon, advice, dimension, recommendation, why, sorted(after)))
        if advice.id is not None:
            numbers[advice.id] = number
    return steps


def horizons_of(steps: list[Step], translator: Translator) -> list[Horizon]:
    """The roadmap's three horizons, each with its steps in roadmap order."""
    names = _horizon_names(translator)
    return [
        Horizon(horizon, names[horizon], [s for s in steps if s.advice.horizon == horizon])
        for horizon in HORIZONS
    ]


def _horizon_names(translator: Translator) -> dict[str, str]:
    _ = translator.gettext
    return {
        "now": _("Now (first 90 days)"),
        "next": _("Next (3–12 months)"),
        "later": _("Later"),
    }


def why_of(
    questionnaire: Questionnaire,
    result: AssessmentResult,
    dimension: Dimension,
    because: tuple[Reason, ...],
    translator: Translator,
) -> str:
    """Every condition that chose a recommendation, in words, on one line."""
    said: list[str] = []
    for reason in because:
        sentence = _sentence(questionnaire, result, dimension, reason, translator)
        if sentence not in said:  # `below` and `at_least` of one figure say the same
            said.append(sentence)
    return ". ".join(said)


def _sentence(
    questionnaire: Questionnaire,
    result: AssessmentResult,
    dimension: Dimension,
    reason: Reason,
    translator: Translator,
) -> str:
    """One condition with the figure that met it."""
    _ = translator.gettext
    language = translator.language
    level = localized(dimension.name, language)
    condition, value = reason.condition, reason.value
    if condition == "stages":
        stage = questionnaire.stage_for_id(value)
        named = stage_name(dimension, stage, language) if stage else str(value)
        return _("Level '%(level)s' is at stage '%(stage)s'") % {"level": level, "stage": named}
    if condition in ("below", "at_least"):
        return _("Level '%(level)s' scores %(score)s of 100") % {
            "level": level,
            "score": translator.number(value),
        }
    if condition.startswith("items."):
        return _item_sentence(questionnaire, condition.split(".")[1], value, translator)
    if condition == "divergence.significant":  # value: true or false, as the rule asks
        if value:
            return _("The groups' divergence is clear: more than chance explains")
        return _("The groups' divergence is possible only: it may be chance")
    if condition.startswith("divergence."):
        return _("The departments are %(spread)s points apart") % {
            "spread": translator.number(value)
        }
    if condition.startswith("dont_know."):
        return _("%(share)s of the answers: 'can't judge'") % {"share": translator.percent(value)}
    if condition.startswith("profile."):
        return _profile_sentence(questionnaire, condition.split(".", 1)[1], value, translator)
    return f"{condition}: {value}"


def _item_sentence(
    questionnaire: Questionnaire, item_id: str, value: float, translator: Translator
) -> str:
    _ = translator.gettext
    item = questionnaire.item(item_id)
    wording = localized(item.text, translator.language).strip() if item else item_id
    fact = fact_label(item, value, translator.language) if item else None
    if fact is not None:  # one answer, the lead's: say it, not its score
        return _("The lead respondent answered '%(wording)s' with '%(answer)s'") % {
            "wording": wording.rstrip(".").strip(),
            "answer": fact,
        }
    if wording.endswith("?"):
        template = _("The question '%(wording)s' scores %(score)s of 100")
    else:
        template = _("The statement '%(wording)s' scores %(score)s of 100")
    return template % {"wording": wording.rstrip(".").strip(), "score": translator.number(value)}


def _profile_sentence(
    questionnaire: Questionnaire, question_id: str, value: object, translator: Translator
) -> str:
    _ = translator.gettext
    language = translator.language
    question = questionnaire.profile_question(question_id)
    answer = group_key(value) or ""  # 250, not 250.0
    if isinstance(value, bool):
        answer = localized(ANSWER_WORDS["yes" if value else "no"], language)
    if isinstance(question, ProfileChoice):
        labels = {o.value: localized(o.label, language) for o in question.options}
        answer = labels.get(answer, answer)
    asked = localized(question.text, language).strip() if question else question_id
    return f"{asked.rstrip(':?')}: {answer}"
