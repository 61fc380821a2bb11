"""Result releases: what an assessment's members and a study's viewers may see, kept as
it was released (see assess/results/releases.py)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from assess.domain.answers import Response as TypedResponse
from assess.domain.answers import from_stored
from assess.models import Response, ResponseStatus, ResultRelease
from assess.repository.common import writing


def submitted_with_ids(
    session: Session, *, assessment_id: uuid.UUID
) -> list[tuple[str, TypedResponse]]:
    """Submitted responses of an assessment with their ids, in the order they came."""
    rows = session.exec(
        select(Response)
        .where(Response.assessment_id == assessment_id, Response.status == ResponseStatus.submitted)
        .order_by(col(Response.submitted_at), col(Response.respondent), col(Response.id))
    )
    return [(str(r.id), from_stored(r.respondent, r.answers, r.profile)) for r in rows]


def releases_of(session: Session, *, assessment_id: uuid.UUID) -> list[ResultRelease]:
    """An assessment's releases, oldest first."""
    return list(
        session.exec(
            select(ResultRelease)
            .where(ResultRelease.assessment_id == assessment_id)
            .order_by(col(ResultRelease.seq))
        )
    )


def add_release(
    session: Session,
    *,
    assessment_id: uuid.UUID,
    seq: int,
    k: int,
    responses: Sequence[str],
    groups: Sequence[tuple[str, str]],
    crossings: Sequence[tuple[str, str]],
) -> bool:
    """Keep release `seq`; False when another request kept it first (nothing changes)."""
    release = ResultRelease(
        assessment_id=assessment_id,
        seq=seq,
        k=k,
        responses=list(responses),
        groups=[list(g) for g in groups],
        crossings=[list(c) for c in crossings],
    )
    try:
        with writing(session):
            session.add(release)
            session.commit()
    except IntegrityError:
        session.rollback()
        return False
    return True
