"""The scores a closed assessment's snapshot keeps: what benchmarks, later waves and
reports read of it once it is closed."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from assess.domain.respondent_levels import RespondentLevels, respondent_levels
from assess.domain.scoring import score_assessment
from assess.persistence.models.assessments import Assessment, AssessmentKind
from assess.persistence.repository.assessments import save_snapshot
from assess.persistence.repository.questionnaires import (
    questionnaire_of_assessment,
)
from assess.results.service import figures_for, k_of, scored
from assess.results.withheld import without_extremes


def snapshot_result(
    session: Session, assessment: Assessment, *, k: int, make: bool = True
) -> dict[str, Any]:
    """The scores a snapshot keeps (see `snapshot_of`)."""
    return snapshot_of(session, assessment, k=k, make=make)[0]


def snapshot_of(
    session: Session, assessment: Assessment, *, k: int, make: bool = True
) -> tuple[dict[str, Any], RespondentLevels | None]:
    """The scores a snapshot keeps: those of the assessment's latest release (made now
    where it may be), since benchmarks and later waves show them to anyone; aggregates
    only, never a respondent's label or answers. A study's snapshot keeps no groups.
    `k` is the benchmark k; `make=False` keeps within the caller's transaction (an
    erasure's): no release is made. Beside them, the released respondents' level scores
    and item moments that research across organisations reads (none where nothing is
    released or in a study)."""
    questionnaire = questionnaire_of_assessment(session, assessment=assessment)
    release_k = k_of(assessment, k)
    figures = figures_for(session, assessment, questionnaire, live=False, k=release_k, make=make)
    if figures.verdicts.whole:
        study = assessment.kind == AssessmentKind.study
        levels = None if study else respondent_levels(figures.questionnaire, figures.responses)
        return scored(figures, None, []), levels
    if assessment.kind == AssessmentKind.study:
        return score_assessment(questionnaire, [], []).to_dict(), None
    # Too few to release: kept for those who run it, marked so that no peer pool, later
    # wave or report shows them (each would describe fewer than k).
    live = scored(figures_for(session, assessment, questionnaire, live=True, k=release_k), None, [])
    without_extremes(live)
    return {**live, "released": False}, None


def take_snapshot(session: Session, assessment: Assessment, *, k: int) -> None:
    """Keep an assessment's scores as they stand (`snapshot_result`); its organisation's
    benchmark pool entry follows (see save_snapshot)."""
    result, levels = snapshot_of(session, assessment, k=k)
    save_snapshot(session, assessment_id=assessment.id, result=result, k=k, levels=levels)
