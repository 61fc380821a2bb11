"""What operators and metrics read about background jobs: counts by kind and status, the
jobs that failed for good, and (PostgreSQL) the job queue's own rows."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, text
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from assess.persistence.models.jobs import ExportJob, JobStatus, ReportJob


@dataclass(frozen=True)
class FailedJob:
    """A job that failed for good: what the person who asked for it was told, and what
    went wrong on our side, if anything."""

    kind: str
    id: uuid.UUID
    attempts: int
    error: str
    failure: str | None
    finished_at: datetime | None


def jobs_by_kind_and_status(session: Session) -> dict[tuple[str, str], int]:
    """How many report, portfolio and export jobs stand at each status."""
    reports = session.exec(
        select(ReportJob.kind, ReportJob.status, func.count()).group_by(
            col(ReportJob.kind), col(ReportJob.status)
        )
    ).all()
    exports = session.exec(
        select(ExportJob.status, func.count()).group_by(col(ExportJob.status))
    ).all()
    counts = {(str(kind), str(status)): n for kind, status, n in reports}
    counts.update({("export", str(status)): n for status, n in exports})
    return counts


def reports_rendered(session: Session) -> int:
    """Reports and portfolios made so far (and still kept)."""
    return session.exec(
        select(func.count()).select_from(ReportJob).where(ReportJob.status == JobStatus.done)
    ).one()


def failed_jobs(session: Session, *, limit: int = 50) -> list[FailedJob]:
    """The newest jobs that failed for good, newest first."""
    reports = session.exec(
        select(ReportJob)
        .options(defer(ReportJob.content), defer(ReportJob.logo))  # type: ignore[arg-type]
        .where(ReportJob.status == JobStatus.failed)
        .order_by(col(ReportJob.finished_at).desc())
        .limit(limit)
    ).all()
    exports = session.exec(
        select(ExportJob)
        .where(ExportJob.status == JobStatus.failed)
        .order_by(col(ExportJob.finished_at).desc())
        .limit(limit)
    ).all()
    found = [
        FailedJob(str(job.kind), job.id, job.attempts, job.error or "", job.failure,
                  job.finished_at)
        for job in reports
    ] + [
        FailedJob("export", job.id, job.attempts, job.error or "", job.failure, job.finished_at)
        for job in exports
    ]  # fmt: skip
    found.sort(key=lambda job: job.finished_at.isoformat() if job.finished_at else "", reverse=True)
    return found[:limit]


def queue_jobs_by_task_and_status(connection: Connection) -> dict[tuple[str, str], int]:
    """The job queue's jobs (PostgreSQL) by task and status: todo, doing, succeeded,
    failed, cancelled, aborting, aborted."""
    rows = connection.execute(
        text("SELECT task_name, status::text, count(*) FROM procrastinate_jobs GROUP BY 1, 2")
    )
    return {(str(row[0]), str(row[1])): int(row[2]) for row in rows}


def failed_queue_jobs(
    connection: Connection, *, limit: int = 50
) -> list[tuple[int, str, str, int]]:
    """The queue's jobs that failed for good (PostgreSQL): id, task, arguments, attempts."""
    rows = connection.execute(
        text(
            "SELECT id, task_name, args::text, attempts FROM procrastinate_jobs "
            "WHERE status = 'failed' ORDER BY id DESC LIMIT :limit"
        ),
        {"limit": limit},
    )
    return [(int(row[0]), str(row[1]), str(row[2]), int(row[3])) for row in rows]
