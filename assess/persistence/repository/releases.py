"""Result releases: what an assessment's members and a study's viewers may see, kept as
it was released (see assess/results/releases.py)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from assess.persistence.models.responses import ResultRelease
from assess.persistence.repository.common import writing


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
    department_groups: list[dict[str, Any]] | None = None,
) -> None:
    """Keep release `seq`, unless another request kept it first (then nothing changes:
    the caller reads whichever was kept)."""
    release = ResultRelease(
        assessment_id=assessment_id,
        seq=seq,
        k=k,
        responses=list(responses),
        groups=[list(g) for g in groups],
        crossings=[list(c) for c in crossings],
        department_groups=department_groups,
    )
    try:
        with writing(session):
            session.add(release)
            session.commit()
    except IntegrityError:
        session.rollback()
