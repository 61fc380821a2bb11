"""Opening and closing an assessment: what the API and the pages both do."""

from __future__ import annotations

from sqlmodel import Session

from assess import repository
from assess.models import Assessment, AssessmentKind, AssessmentStatus
from assess.web.results import score_of


def open_assessment(session: Session, assessment: Assessment) -> None:
    """Start collecting answers; Conflict once it is closed."""
    if assessment.status == AssessmentStatus.closed:
        raise repository.Conflict("This assessment is closed; create a new wave instead.")
    repository.set_status(session, assessment=assessment, status=AssessmentStatus.open)


def close_assessment(session: Session, assessment: Assessment, *, k: int) -> None:
    """Stop collecting answers and keep a snapshot of the scores; if the organisation
    takes part in benchmarks, they enter its peer pool. Closing twice changes nothing."""
    if assessment.status == AssessmentStatus.closed:
        return
    repository.set_status(session, assessment=assessment, status=AssessmentStatus.closed)
    # A study's snapshot keeps no groups: its groups are shown only under the k rule.
    group_by: list[str] | None = [] if assessment.kind == AssessmentKind.study else None
    result = score_of(session, assessment, group_by, [])
    repository.save_snapshot(session, assessment_id=assessment.id, result=result, k=k)
