"""What report and export jobs share: the record a user follows goes from queued to
running (once per attempt) to done or failed, each step one statement that only moves a
record still pending, so two workers can never both finish one."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from assess.persistence.models.common import utcnow
from assess.persistence.models.jobs import ExportJob, JobStatus, ReportJob
from assess.persistence.repository.common import writing

Record = type[ReportJob] | type[ExportJob]
PENDING = (JobStatus.queued, JobStatus.running)


def pending(
    session: Session, record: Record, *, running_before: datetime | None = None
) -> list[tuple[uuid.UUID, int]]:
    """Records still waiting for a worker, oldest first, each with the tries it had; with
    `running_before`, also those whose last try started before then and never ended (the
    process that ran it stopped)."""
    waiting = col(record.status) == JobStatus.queued
    if running_before is not None:
        stopped = (col(record.status) == JobStatus.running) & (
            col(record.started_at) < running_before
        )
        waiting = waiting | stopped
    rows = session.exec(
        select(record.id, record.attempts).where(waiting).order_by(col(record.created_at))
    )
    return [(job_id, attempts) for job_id, attempts in rows]


def claim(session: Session, record: Record, job_id: uuid.UUID, *, retaking: bool) -> bool:
    """Mark a record running for one more attempt, in one statement; False if another
    worker took it or it is finished. `retaking` takes a running record too: a new attempt
    after one that failed or whose worker died (the queue hands a job to one worker at a
    time). Within the caller's write turn, which commits."""
    taken = PENDING if retaking else (JobStatus.queued,)
    claimed = session.execute(
        update(record)
        .where(col(record.id) == job_id, col(record.status).in_(taken))
        .values(status=JobStatus.running, started_at=utcnow(), attempts=col(record.attempts) + 1)
        .returning(col(record.id))
    ).first()
    return claimed is not None


def note_failure(session: Session, record: Record, job_id: uuid.UUID, failure: str) -> None:
    """Keep what went wrong in an attempt that will be retried; the record stays running."""
    with writing(session):
        session.execute(
            update(record)
            .where(col(record.id) == job_id, col(record.status).in_(PENDING))
            .values(failure=failure)
        )
        session.commit()


def end(session: Session, record: Record, job_id: uuid.UUID, **values: Any) -> None:
    """Finish a pending record with `values` (its status among them)."""
    with writing(session):
        session.execute(
            update(record)
            .where(col(record.id) == job_id, col(record.status).in_(PENDING))
            .values(finished_at=utcnow(), **values)
        )
        session.commit()
