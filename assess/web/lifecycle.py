"""Opening and closing an assessment: what the API and the pages both do."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from assess import repository
from assess.models import Assessment, AssessmentKind, AssessmentStatus
from assess.web.results import score_of


def open_assessment(session: Session, assessment: Assessment, actor: repository.Actor) -> None:
    """Start collecting answers; Conflict once it is closed."""
    if assessment.status == AssessmentStatus.closed:
        raise repository.Conflict("This assessment is closed; create a new wave instead.")
    if assessment.status != AssessmentStatus.open:
        repository.audit(session, actor, "assessment.opened", ("assessment", assessment.id))
    repository.set_status(session, assessment=assessment, status=AssessmentStatus.open)


def close_assessment(
    session: Session, assessment: Assessment, actor: repository.Actor, *, k: int
) -> None:
    """Stop collecting answers and keep a snapshot of the scores; if the organisation
    takes part in benchmarks, they enter its peer pool. Closing twice changes nothing."""
    if assessment.status == AssessmentStatus.closed:
        return
    repository.audit(session, actor, "assessment.closed", ("assessment", assessment.id))
    repository.set_status(session, assessment=assessment, status=AssessmentStatus.closed)
    result = _snapshot_result(session, assessment)
    repository.save_snapshot(session, assessment_id=assessment.id, result=result, k=k)


def recompute_snapshot(session: Session, assessment: Assessment, *, k: int) -> None:
    """Keep a closed assessment's snapshot anew from the responses it has now (some were
    erased), its benchmark entry with it; within the caller's transaction, which holds
    the write lock and commits."""
    if assessment.status != AssessmentStatus.closed:
        return
    result = _snapshot_result(session, assessment)
    repository.store_snapshot(session, assessment_id=assessment.id, result=result, k=k)


def _snapshot_result(session: Session, assessment: Assessment) -> dict[str, Any]:
    """The scores a snapshot keeps: aggregates only (figures of all respondents and of
    groups of at least 3), never a respondent's label or answers."""
    # A study's snapshot keeps no groups: its groups are shown only under the k rule.
    group_by: list[str] | None = [] if assessment.kind == AssessmentKind.study else None
    return score_of(session, assessment, group_by, [])
