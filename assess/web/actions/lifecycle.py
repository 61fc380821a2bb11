"""Opening and closing an assessment: what the API and the pages both do."""

from __future__ import annotations

from sqlmodel import Session

from assess.persistence.models.assessments import Assessment, AssessmentStatus
from assess.persistence.repository.assessments import set_status, store_snapshot
from assess.persistence.repository.audit import Actor, audit
from assess.persistence.repository.common import Conflict
from assess.results.snapshots import snapshot_of, take_snapshot


def open_assessment(session: Session, assessment: Assessment, actor: Actor) -> None:
    """Start collecting answers; Conflict once it is closed."""
    if assessment.status == AssessmentStatus.closed:
        raise Conflict("This assessment is closed; create a new wave instead.")
    if assessment.status != AssessmentStatus.open:
        audit(session, actor, "assessment.opened", ("assessment", assessment.id))
    set_status(session, assessment=assessment, status=AssessmentStatus.open)


def close_assessment(session: Session, assessment: Assessment, actor: Actor, *, k: int) -> None:
    """Stop collecting answers and keep a snapshot of the scores; if the organisation
    takes part in benchmarks, they enter its peer pool. Closing twice changes nothing.

    The snapshot is kept before this returns, by the same code as the snapshot job
    (`assess.jobs.defer_snapshot`): what closing answers (results, benchmarks, the next
    wave's report) reads it at once."""
    if assessment.status == AssessmentStatus.closed:
        return
    audit(session, actor, "assessment.closed", ("assessment", assessment.id))
    set_status(session, assessment=assessment, status=AssessmentStatus.closed)
    take_snapshot(session, assessment, k=k)


def recompute_snapshot(session: Session, assessment: Assessment, *, k: int) -> None:
    """Keep a closed assessment's snapshot anew from the responses it has now (some were
    erased), its benchmark entry with it; within the caller's transaction, which holds
    the write lock and commits."""
    if assessment.status != AssessmentStatus.closed:
        return
    result, levels = snapshot_of(session, assessment, k=k, make=False)
    store_snapshot(session, assessment_id=assessment.id, result=result, k=k, levels=levels)
