"""A respondent's own scores, for the thank-you page of assessments that show them:
the same rules as the organisation's result, applied to one response (see
assess/results/own_scores.py), with each level's stage, its description and the level's
first recommendations from the questionnaire."""

from __future__ import annotations

from dataclasses import dataclass

from assess.domain.formatting import score_text
from assess.domain.own_result import OwnResult
from assess.domain.questionnaire import Stage, localized
from assess.persistence.models.common import aware
from assess.persistence.models.responses import ResponseStatus
from assess.reporting.inputs import OwnInputs
from assess.results.own_scores import own_result_of
from assess.web.pages.visit import Visit


@dataclass(frozen=True)
class Advice:
    """A recommendation as the page shows it."""

    title: str
    text: str


@dataclass(frozen=True)
class OwnLevel:
    """One level of the respondent's own scores, in the visit's language."""

    name: str
    score: str
    width: float | None  # the score's share of the bar, 0 to 100; None without a score
    stage: str
    description: str
    advice: list[Advice]


@dataclass(frozen=True)
class OwnScores:
    """The respondent's score per level and overall, in the visit's language."""

    levels: list[OwnLevel]
    score: str
    stage: str


def answers_submitted(visit: Visit) -> bool:
    """Whether the link's answers are submitted."""
    return visit.link.response_status == ResponseStatus.submitted and visit.stored is not None


def may_see_own_scores(visit: Visit) -> bool:
    """Whether the link's respondent may see their own scores: once submitted, where the
    assessment shows them."""
    return visit.link.show_own_scores and answers_submitted(visit)


def own_scores(visit: Visit) -> OwnScores:
    """The submitted response's scores, stages and first recommendations per level."""
    language = visit.language
    result = _own(visit)

    def stage_name(stage: Stage | None) -> str:
        return localized(stage.name, language) if stage else "–"

    def description(stage: Stage | None) -> str:
        return localized(stage.description, language) if stage and stage.description else ""

    levels = [
        OwnLevel(
            localized(level.dimension.name, language),
            score_text(level.score, language),
            None if level.score is None else round(level.score, 1),
            stage_name(level.stage),
            description(level.stage),
            [
                Advice(localized(r.title, language) if r.title else "", localized(r.text, language))
                for r in level.recommendations
            ],
        )
        for level in result.levels
    ]
    return OwnScores(levels, score_text(result.score, language), stage_name(result.stage))


def own_inputs(visit: Visit) -> OwnInputs:
    """What the respondent's own PDF is made from."""
    assert visit.stored is not None  # only submitted responses have a PDF
    return OwnInputs(
        visit.asked.questionnaire,
        _own(visit),
        visit.language,
        visit.link.assessment_name,
        aware(visit.stored["submitted_at"]).date(),
    )


def _own(visit: Visit) -> OwnResult:
    return own_result_of(visit.asked.questionnaire, visit.answers, visit.profile)
