"""The report's importance–performance view: the chart of `quadrants` and the list
beside it (each level's number, score, importance and quadrant), only when every level
has an importance, every level a score, and so the organisation an overall score."""

from __future__ import annotations

from dataclasses import dataclass

from assess.domain.questionnaire import Questionnaire, localized
from assess.domain.results import AssessmentResult
from assess.reporting.i18n import Translator
from assess.reporting.quadrants import Quadrants, importance_performance


@dataclass(frozen=True)
class Placed:
    """One level as the chart places it."""

    number: int
    name: str
    score: float
    importance: float  # the mean answer on the importance scale
    quadrant: str  # its name in the report's language


@dataclass(frozen=True)
class ImportanceView:
    """The chart, the levels on it, and where its dividing lines are."""

    svg: str
    levels: list[Placed]
    overall: float
    mean_importance: float
    scale: tuple[int, int]


def importance_view(
    questionnaire: Questionnaire,
    result: AssessmentResult,
    translator: Translator,
    accent: str,
) -> ImportanceView | None:
    """The view, or None where a level lacks an importance or a score."""
    _ = translator.gettext
    scale = questionnaire.importance
    overall = result.total.overall.score
    if scale is None or overall is None:
        return None
    means: list[float] = []
    scores: list[float] = []
    for dimension in questionnaire.dimensions:
        answered = result.answered.get(dimension.id)
        mean = answered.importance_mean if answered else None
        score = result.total.dimensions[dimension.id].score
        if mean is None or score is None:
            return None
        means.append(mean)
        scores.append(score)
    words = Quadrants(
        concentrate=_("Concentrate here"),
        keep_up=_("Keep up the good work"),
        low_priority=_("Low priority"),
        possible_overkill=_("Possible overkill"),
        score_axis=_("Score (0–100)"),
        importance_axis=_("Importance (%(min)s–%(max)s)") % {"min": scale.min, "max": scale.max},
    )
    names = {
        "concentrate": words.concentrate,
        "keep-up": words.keep_up,
        "low-priority": words.low_priority,
        "possible-overkill": words.possible_overkill,
    }
    # Rule 11's line: the mean importance weight, on the importance scale.
    mean_importance = sum(means) / len(means)
    levels = [
        Placed(
            number,
            localized(dimension.name, translator.language),
            score,
            mean,
            names.get(_quadrant(result, dimension.id), "–"),
        )
        for number, (dimension, score, mean) in enumerate(
            zip(questionnaire.dimensions, scores, means, strict=True), start=1
        )
    ]
    svg = importance_performance(
        scores,
        means,
        overall,
        mean_importance,
        (scale.min, scale.max),
        words,
        _("Importance and performance of each level"),
        accent=accent,
    )
    return ImportanceView(svg, levels, overall, mean_importance, (scale.min, scale.max))


def _quadrant(result: AssessmentResult, dimension_id: str) -> str:
    standing = result.standing.get(dimension_id)
    return (standing.quadrant if standing else None) or ""
