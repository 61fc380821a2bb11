"""The results page's advice in words: the roadmap's steps (horizon, title, owner, first
step, why in one line) and each level's target, gap, priority, importance and can't-judge share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from gettext import NullTranslations

from assess.domain.answer_words import ANSWER_WORDS
from assess.domain.questionnaire import Questionnaire, localized
from assess.domain.results import AssessmentResult, Reason

Number = Callable[..., str]


@dataclass(frozen=True)
class RoadmapStep:
    """One chosen recommendation as the page lists it."""

    horizon: str  # now, next, later
    title: str
    level: str
    owner: str
    why: str
    first_step: str  # what someone can start on this week; "" where the file names none


@dataclass(frozen=True)
class LevelAdvice:
    """One level's advice figures, in words where they are words."""

    name: str
    rank: int | None
    priority: float | None
    target: str
    gap: float | None
    importance: float | None
    dont_know_share: float | None


def roadmap_steps(
    questionnaire: Questionnaire,
    result: AssessmentResult,
    language: str,
    words: NullTranslations,
    num: Number,
) -> list[RoadmapStep]:
    """The roadmap of a result in order, questionnaire texts in `language`, the reasons
    in the page's words."""
    recommendations = list(questionnaire.recommendations())
    steps = []
    for advice in result.recommendations:
        dimension, recommendation = recommendations[advice.position]
        why = "; ".join(_reason(questionnaire, r, language, words, num) for r in advice.because)
        steps.append(
            RoadmapStep(
                advice.horizon,
                localized(recommendation.title or recommendation.text, language),
                localized(dimension.name, language),
                localized(recommendation.owner, language) if recommendation.owner else "",
                why,
                localized(recommendation.first_step, language) if recommendation.first_step else "",
            )
        )
    return steps


def level_advice(
    questionnaire: Questionnaire, result: AssessmentResult, language: str
) -> list[LevelAdvice]:
    """Each level's target, gap, priority and rank, importance and can't-judge share."""
    levels = []
    for dimension in questionnaire.dimensions:
        standing = result.standing.get(dimension.id)
        answered = result.answered.get(dimension.id)
        target = questionnaire.stage_for_id(standing.target) if standing else None
        levels.append(
            LevelAdvice(
                localized(dimension.name, language),
                standing.rank if standing else None,
                standing.priority if standing else None,
                localized(target.name, language) if target else "–",
                standing.gap if standing else None,
                answered.importance_mean if answered else None,
                answered.dont_know_share if answered else None,
            )
        )
    return levels


def _reason(
    questionnaire: Questionnaire,
    reason: Reason,
    language: str,
    words: NullTranslations,
    num: Number,
) -> str:
    """One condition that chose a recommendation, with the figure that met it."""
    _ = words.gettext
    kind, _dot, rest = reason.condition.partition(".")
    value, bound = reason.value, reason.bound
    if kind == "stages":
        stage = questionnaire.stage_for_id(str(value))
        name = localized(stage.name, language) if stage else str(value)
        return _("the level's stage is %(stage)s") % {"stage": name}
    if kind == "below":
        return _("the level scores %(value)s, below %(bound)s") % _figures(num, value, bound)
    if kind == "at_least":
        return _("the level scores %(value)s, at least %(bound)s") % _figures(num, value, bound)
    if kind == "items":
        item_id, _dot, band = rest.rpartition(".")
        item = questionnaire.item(item_id)
        text = localized(item.text, language) if item else item_id
        figures = {"statement": text, **_figures(num, value, bound)}
        if band == "below":
            return _("“%(statement)s” scores %(value)s, below %(bound)s") % figures
        return _("“%(statement)s” scores %(value)s, at least %(bound)s") % figures
    if reason.condition == "divergence.significant":  # value: true or false, as asked
        if value:
            return _("the groups' divergence is clear: more than chance explains")
        return _("the groups' divergence is possible only: it may be chance")
    if kind == "divergence":
        return _("groups differ by %(value)s points, at least %(bound)s") % _figures(
            num, value, bound
        )
    if kind == "dont_know":
        share = {"value": num(100 * value, 0), "bound": num(100 * bound, 0)}
        return _("%(value)s %% cannot judge it, at least %(bound)s %%") % share
    if kind == "profile":
        question = questionnaire.profile_question(rest)
        name = localized(question.text, language) if question else rest
        options = {o.value: localized(o.label, language) for o in getattr(question, "options", [])}
        if isinstance(value, bool):  # a yes/no question's answer, in words
            options[str(value)] = localized(ANSWER_WORDS["yes" if value else "no"], language)
        return _("%(question)s: %(value)s") % {
            "question": name,
            "value": options.get(str(value), str(value)),
        }
    return reason.condition


def _figures(num: Number, value: object, bound: object) -> dict[str, str]:
    return {
        "value": num(value) if isinstance(value, int | float) else str(value),
        "bound": num(bound, 0) if isinstance(bound, int | float) else str(bound),
    }
