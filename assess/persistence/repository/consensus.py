"""An assessment's consensus answers: the answer a workshop settled on per item, recorded,
replaced and removed (the audit log keeps what each was), read as a list and as the
answers scoring takes."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, col, select

from assess.persistence.models.accounts import User
from assess.persistence.models.assessments import ConsensusAnswer
from assess.persistence.models.common import utcnow


def consensus_answers(session: Session, *, assessment_id: uuid.UUID) -> Sequence[ConsensusAnswer]:
    """The consensus answers of an assessment, by item id."""
    return session.exec(
        select(ConsensusAnswer)
        .where(ConsensusAnswer.assessment_id == assessment_id)
        .order_by(col(ConsensusAnswer.item_id))
    ).all()


def consensus_of(session: Session, *, assessment_id: uuid.UUID) -> dict[str, Any]:
    """Item id -> consensus answer, as scoring after the workshop takes them."""
    return {c.item_id: c.answer for c in consensus_answers(session, assessment_id=assessment_id)}


def consensus_answer(
    session: Session, *, assessment_id: uuid.UUID, item_id: str
) -> ConsensusAnswer | None:
    """The consensus answer of one item, if one is recorded."""
    return session.exec(
        select(ConsensusAnswer).where(
            ConsensusAnswer.assessment_id == assessment_id, ConsensusAnswer.item_id == item_id
        )
    ).first()


def keep_consensus(
    session: Session,
    *,
    assessment_id: uuid.UUID,
    item_id: str,
    answer: Any,
    rationale: str,
    recorded_by: User,
) -> tuple[ConsensusAnswer, dict[str, Any] | None]:
    """Record an item's consensus answer (checked by the caller), replacing the one it
    had; the answer kept and the answer and rationale it replaced (None if new). The
    caller notes it in the audit log and commits."""
    found = consensus_answer(session, assessment_id=assessment_id, item_id=item_id)
    before = None if found is None else {"answer": found.answer, "rationale": found.rationale}
    kept = found or ConsensusAnswer(
        assessment_id=assessment_id,
        item_id=item_id,
        answer=answer,
        rationale=rationale,
        recorded_by=recorded_by.email,
    )
    kept.answer, kept.rationale = answer, rationale
    kept.recorded_by_id, kept.recorded_by = recorded_by.id, recorded_by.email
    kept.recorded_at = utcnow()
    session.add(kept)
    session.flush()
    return kept, before


def drop_consensus(session: Session, *, found: ConsensusAnswer) -> None:
    """Remove a consensus answer; the caller notes it in the audit log and commits."""
    session.delete(found)
    session.flush()
