"""Which of an assessment's departments its results cannot show on their own: those with
fewer invitees than the smallest group the figures describe, merged groups counted as
one (see assess/domain/merging.py)."""

from __future__ import annotations

from sqlmodel import Session

from assess.domain.merging import SmallDepartment, small_departments
from assess.domain.questionnaire import Questionnaire
from assess.persistence.models.assessments import Assessment, AssessmentKind
from assess.persistence.repository import departments as stored
from assess.results.service import k_of, merged_departments


def small_departments_of(
    session: Session,
    assessment: Assessment,
    questionnaire: Questionnaire,
    benchmark_k: int,
    language: str,
) -> tuple[int, list[SmallDepartment]]:
    """The smallest group the results show, and the departments and merged groups with
    fewer invitees than that, labelled in `language` (none in a study: it has none)."""
    k = k_of(assessment, benchmark_k)
    if assessment.kind == AssessmentKind.study:
        return k, []
    invited = stored.invited_by_department(session, assessment_id=assessment.id)
    groups = merged_departments(assessment)
    return k, small_departments(questionnaire, invited, groups, k, language)
