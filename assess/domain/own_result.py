"""One respondent's own result: the organisation's rules applied to their answers alone.

Each level gets its score and stage (rules 1–4) and the first recommendations that the
questionnaire's rules choose for that score and stage (see `recommendations`), in the
order a report lists them. Everything shown comes from the questionnaire file, so a
respondent's page and PDF say what the organisation's report would say of the same
figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from assess.domain.answers import Response
from assess.domain.questionnaire import Dimension, Questionnaire, Recommendation, Stage
from assess.domain.recommendations import choose
from assess.domain.scoring import score_assessment

# A respondent reads a page, not a plan: two steps per level are enough to start with.
RECOMMENDATIONS_PER_LEVEL = 2


@dataclass(frozen=True)
class OwnLevel:
    """One level of a respondent's own result."""

    dimension: Dimension
    score: float | None
    stage: Stage | None
    recommendations: list[Recommendation]


@dataclass(frozen=True)
class OwnResult:
    """A respondent's own score and stage per level and overall."""

    levels: list[OwnLevel]
    score: float | None
    stage: Stage | None


def own_result(
    questionnaire: Questionnaire,
    response: Response,
    per_level: int = RECOMMENDATIONS_PER_LEVEL,
) -> OwnResult:
    """The response's scores and stages, with each level's first `per_level`
    recommendations (none for a level without a score)."""
    result = score_assessment(questionnaire, [response], group_by=[])
    chosen = choose(questionnaire, result.total.dimensions)
    levels = []
    for dimension in questionnaire.dimensions:
        figures = result.total.dimensions[dimension.id]
        mine = [c.recommendation for c in chosen if c.dimension.id == dimension.id]
        levels.append(
            OwnLevel(
                dimension,
                figures.score,
                questionnaire.stage_for_id(figures.stage),
                mine[:per_level],
            )
        )
    overall = result.total.overall
    return OwnResult(levels, overall.score, questionnaire.stage_for_id(overall.stage))
