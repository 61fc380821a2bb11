"""Research export jobs and their files, kept in the database in chunks of about 1 MB, so
any web process can stream them out."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import delete, func, insert
from sqlmodel import Session, col, select

from assess.persistence.models.accounts import User
from assess.persistence.models.jobs import ExportChunk, ExportJob, JobStatus
from assess.persistence.repository import job_records
from assess.persistence.repository.common import writing


def create_export_job(
    session: Session,
    *,
    user: User,
    version_id: uuid.UUID,
    format: str,
    language: str,
    labels: bool = False,
) -> ExportJob:
    """A queued export job; the caller hands its id to the job queue."""
    job = ExportJob(
        user_id=user.id,
        questionnaire_version_id=version_id,
        format=format,
        language=language,
        labels=labels,
    )
    with writing(session):
        session.add(job)
        session.commit()
    return job


def export_job(
    session: Session, *, job_id: uuid.UUID, user_id: uuid.UUID | None = None
) -> ExportJob | None:
    """An export job (of the given user, when given); None otherwise."""
    query = select(ExportJob).where(ExportJob.id == job_id)
    if user_id is not None:
        query = query.where(ExportJob.user_id == user_id)
    return session.exec(query).first()


def export_jobs_of(session: Session, *, user_id: uuid.UUID, limit: int = 20) -> list[ExportJob]:
    """A user's newest export jobs, newest first."""
    query = (
        select(ExportJob)
        .where(ExportJob.user_id == user_id)
        .order_by(col(ExportJob.created_at).desc())
        .limit(limit)
    )
    return list(session.exec(query).all())


def pending_export_jobs(
    session: Session, *, running_before: datetime | None = None
) -> list[tuple[uuid.UUID, int]]:
    """Export jobs still waiting for a worker, oldest first, with the tries each had; with
    `running_before`, also those left running by a process that stopped before then."""
    return job_records.pending(session, ExportJob, running_before=running_before)


def claim_export_job(
    session: Session, *, job_id: uuid.UUID, retaking: bool = False
) -> ExportJob | None:
    """Take an export job and drop what an earlier attempt wrote of its file; None if
    another worker took it or it is finished (see claim_report_job for `retaking`)."""
    with writing(session):
        claimed = job_records.claim(session, ExportJob, job_id, retaking=retaking)
        if claimed:
            session.execute(delete(ExportChunk).where(col(ExportChunk.job_id) == job_id))
        session.commit()
    return session.get(ExportJob, job_id, populate_existing=True) if claimed else None


def add_export_chunk(session: Session, *, job_id: uuid.UUID, seq: int, data: bytes) -> None:
    """Keep the next piece of an export's file."""
    with writing(session):
        session.execute(insert(ExportChunk).values(job_id=job_id, seq=seq, data=data))
        session.commit()


def finish_export_job(
    session: Session, *, job_id: uuid.UUID, media_type: str, filename: str
) -> None:
    """Mark an export done, its file complete."""
    size = session.exec(
        select(func.coalesce(func.sum(func.length(ExportChunk.data)), 0)).where(
            ExportChunk.job_id == job_id
        )
    ).one()
    job_records.end(
        session,
        ExportJob,
        job_id,
        status=JobStatus.done,
        media_type=media_type,
        filename=filename,
        size=int(size),
    )


def fail_export_job(
    session: Session, *, job_id: uuid.UUID, error: str, failure: str | None = None
) -> None:
    """Mark an unfinished export failed, with a message for the person who asked for it
    (and what went wrong on our side, for operators); what was written of it goes."""
    job_records.end(
        session, ExportJob, job_id, status=JobStatus.failed, error=error[:2000], failure=failure
    )
    with writing(session):
        session.execute(delete(ExportChunk).where(col(ExportChunk.job_id) == job_id))
        session.commit()


def note_export_failure(session: Session, *, job_id: uuid.UUID, failure: str) -> None:
    """Keep what went wrong in an attempt that will be retried; the job stays running."""
    job_records.note_failure(session, ExportJob, job_id, failure)


def export_file(session: Session, *, job_id: uuid.UUID) -> Iterator[bytes]:
    """An export's file, one chunk in memory at a time."""
    seqs = list(
        session.exec(
            select(ExportChunk.seq)
            .where(ExportChunk.job_id == job_id)
            .order_by(col(ExportChunk.seq))
        )
    )
    for seq in seqs:
        data = session.exec(
            select(ExportChunk.data).where(ExportChunk.job_id == job_id, ExportChunk.seq == seq)
        ).one()
        yield bytes(data)
