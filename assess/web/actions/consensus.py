"""Recording and removing an assessment's consensus answers, from the API or the console:
checked against the questionnaire, kept, and noted in the audit log with the item, the
answer and the rationale (a replaced answer's too)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from assess.domain.consensus import checked_answer, checked_rationale
from assess.domain.questionnaire import Questionnaire
from assess.persistence.models.accounts import User
from assess.persistence.models.assessments import Assessment, AssessmentStatus, ConsensusAnswer
from assess.persistence.repository.audit import audit
from assess.persistence.repository.common import Conflict
from assess.persistence.repository.consensus import consensus_answer, drop_consensus, keep_consensus
from assess.results.studies import refuse_unless_assessment


def refuse_unless_workshop(assessment: Assessment) -> None:
    """NotForStudies in a study (nobody there answers for one organisation), Conflict for
    a draft (nobody has answered yet): a workshop settles answers people gave."""
    refuse_unless_assessment(
        assessment, "consensus workshop (each respondent answers for their own organisation)"
    )
    if assessment.status == AssessmentStatus.draft:
        raise Conflict(
            "This assessment is a draft: nobody has answered yet, so there is nothing to "
            "settle. Open it and record consensus answers once the answers are in."
        )


def record_consensus(
    session: Session,
    assessment: Assessment,
    questionnaire: Questionnaire,
    item_id: str,
    given: Any,
    rationale: str,
    actor: User,
    *,
    via: str,
) -> tuple[ConsensusAnswer, bool]:
    """Keep an item's consensus answer, replacing the one it had; the answer kept and
    whether it is new. ConsensusError naming the item and what it takes."""
    refuse_unless_workshop(assessment)
    answer = checked_answer(questionnaire, item_id, given)
    reason = checked_rationale(rationale)
    kept, before = keep_consensus(
        session,
        assessment_id=assessment.id,
        item_id=item_id,
        answer=answer,
        rationale=reason,
        recorded_by=actor,
    )
    detail: dict[str, Any] = {"item": item_id, "answer": answer, "rationale": reason, "via": via}
    if before is not None:
        detail["before"] = before
    action = "consensus.recorded" if before is None else "consensus.replaced"
    audit(session, actor, action, ("assessment", assessment.id), detail)
    session.commit()
    return kept, before is None


def remove_consensus(
    session: Session, assessment: Assessment, item_id: str, actor: User, *, via: str
) -> bool:
    """Remove an item's consensus answer; False when it has none."""
    refuse_unless_assessment(assessment, "consensus workshop")
    found = consensus_answer(session, assessment_id=assessment.id, item_id=item_id)
    if found is None:
        return False
    detail = {"item": item_id, "answer": found.answer, "rationale": found.rationale, "via": via}
    audit(session, actor, "consensus.removed", ("assessment", assessment.id), detail)
    drop_consensus(session, found=found)
    session.commit()
    return True
