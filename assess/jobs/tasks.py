"""What background jobs do: render a report or portfolio, write a research export file,
keep an assessment's score snapshot, compute a pool's large peer groups. Both ways of
running them (the job queue on PostgreSQL, a pool in the web process on SQLite) call
these same functions.

A job is tried again when it fails on our side (a rendering process that died, a
database that went away); a request that cannot be met (no responses, a broken logo,
nothing to export) fails at once with a message for the person who asked. Taking a job
is idempotent: a new attempt takes its record back and starts its file afresh.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from assess.config import Settings
from assess.persistence.models.assessments import AssessmentStatus
from assess.persistence.models.jobs import ExportJob
from assess.persistence.repository.assessments import assessment_by_id
from assess.persistence.repository.benchmarks import refresh_pending_groups
from assess.persistence.repository.exports import (
    add_export_chunk,
    claim_export_job,
    fail_export_job,
    finish_export_job,
    note_export_failure,
    pending_export_jobs,
)
from assess.persistence.repository.peer_group_figures import PENDING
from assess.persistence.repository.questionnaires import questionnaire_of, version_by_id
from assess.persistence.repository.reports import (
    claim_report_job,
    fail_report_job,
    finish_report_job,
    note_report_failure,
    pending_report_jobs,
)
from assess.reporting.branding import BrandingError
from assess.reporting.inputs import ReportError
from assess.research.export import (
    MEDIA_TYPES,
    ExportFormat,
    NothingToExport,
    ResearchExport,
    export_file_name,
)
from assess.results.errors import NotShown
from assess.results.snapshots import take_snapshot

INTERNAL_ERROR = "an error on our side kept it from being made; please ask again"
# Errors the request is to blame for: trying again would fail the same way.
REFUSALS: tuple[type[Exception], ...] = (ReportError, NotShown, BrandingError, NothingToExport)
CHUNK_BYTES = 1 << 20


@dataclass(frozen=True)
class Attempt:
    """One try at a job: where it runs, and which try it is (0 for the first)."""

    engine: Engine
    settings: Settings
    number: int = 0
    retaking: bool = False  # may take a job back from an earlier try that stopped

    @property
    def final(self) -> bool:
        """Whether a failure now is the job's last."""
        return self.number + 1 >= self.settings.job_attempts


def job_lock(task: str, arguments: dict[str, Any]) -> str:
    """One job per record at a time, and at most one of them waiting: a second request
    while one waits is done by that one (a pool's peer groups after many closes)."""
    return f"{task}:{next(iter(arguments.values()))}"


def failure_of(exc: BaseException) -> str:
    """What went wrong, in one line for operators."""
    return f"{type(exc).__name__}: {exc}"[:2000]


@dataclass(frozen=True)
class Records:
    """How one kind of job keeps its record: take it for a try, keep what went wrong in a
    try to be repeated, fail it for good, finish it with what was made."""

    claim: Callable[..., Any]
    note: Callable[..., None]
    fail: Callable[..., None]
    finish: Callable[..., None]


REPORTS = Records(
    claim_report_job,
    note_report_failure,
    fail_report_job,
    finish_report_job,
)
EXPORTS = Records(
    claim_export_job,
    note_export_failure,
    fail_export_job,
    finish_export_job,
)


def render_report(attempt: Attempt, job_id: str) -> None:
    """Make a report's PDF (or a portfolio's ZIP) and keep it, or the reason it failed."""
    from assess.jobs.reports import make_file

    def made(session: Session, job: Any) -> dict[str, Any]:
        content, media_type, filename = make_file(session, job, attempt.settings)
        return {"content": content, "media_type": media_type, "filename": filename}

    _run(attempt, uuid.UUID(job_id), REPORTS, made)


def make_export(attempt: Attempt, job_id: str) -> None:
    """Write a research export file into the database, about 1 MB per row."""

    def made(session: Session, job: Any) -> dict[str, Any]:
        media_type, filename = _write_export(attempt.engine, session, job)
        return {"media_type": media_type, "filename": filename}

    _run(attempt, uuid.UUID(job_id), EXPORTS, made)


def _run(
    attempt: Attempt,
    job_id: uuid.UUID,
    records: Records,
    make: Callable[[Session, Any], dict[str, Any]],
) -> None:
    """One try at a job: claim its record, make what it asks for and finish the record
    with it. A request that cannot be met fails at once; an error on our side is kept
    and raised for the runner to try again, or fails the job on its last try."""
    with Session(attempt.engine, expire_on_commit=False) as session:
        job = records.claim(session, job_id=job_id, retaking=attempt.retaking)
        if job is None:
            return  # taken by another worker, or finished already
        try:
            made = make(session, job)
        except REFUSALS as exc:
            session.rollback()
            records.fail(session, job_id=job_id, error=str(exc))
            return
        except Exception as exc:
            session.rollback()
            if attempt.final:
                records.fail(session, job_id=job_id, error=INTERNAL_ERROR, failure=failure_of(exc))
            else:
                records.note(session, job_id=job_id, failure=failure_of(exc))
            raise
        records.finish(session, job_id=job_id, **made)


def _write_export(engine: Engine, session: Session, job: ExportJob) -> tuple[str, str]:
    version = version_by_id(session, version_id=job.questionnaire_version_id)
    fmt = ExportFormat(job.format)
    opened = ResearchExport(engine, questionnaire_of(version), version.id)
    seq, pending = 0, bytearray()
    for block in opened.blocks(fmt, job.language, labels=job.labels):
        pending += block
        while len(pending) >= CHUNK_BYTES:
            add_export_chunk(session, job_id=job.id, seq=seq, data=bytes(pending[:CHUNK_BYTES]))
            del pending[:CHUNK_BYTES]
            seq += 1
    if pending or seq == 0:
        add_export_chunk(session, job_id=job.id, seq=seq, data=bytes(pending))
    return MEDIA_TYPES[fmt], export_file_name(version.questionnaire_id, version.version, fmt)


def recompute_snapshot(attempt: Attempt, assessment_id: str, k: int | None = None) -> None:
    """Keep a closed assessment's score snapshot anew from its submitted responses (after
    answers were erased, say), with `k` or else the settings' benchmark k; an assessment
    that is gone or open has none to keep."""
    with Session(attempt.engine, expire_on_commit=False) as session:
        assessment = assessment_by_id(session, assessment_id=uuid.UUID(assessment_id))
        if assessment is None or assessment.status != AssessmentStatus.closed:
            return
        take_snapshot(session, assessment, k=attempt.settings.benchmark_k if k is None else k)
        for pool_key in sorted(session.info.pop(PENDING, ())):  # a job already: no other
            refresh_pending_groups(session, pool_key=pool_key)


def refresh_peer_groups(attempt: Attempt, pool_key: str) -> None:
    """Compute the distributions of a pool's large peer groups that closes, opt-ins,
    opt-outs and erasures changed (marked pending by them); one job for many changes."""
    with Session(attempt.engine, expire_on_commit=False) as session:
        refresh_pending_groups(session, pool_key=pool_key)


TASKS: dict[str, Callable[..., Any]] = {
    "report": render_report,
    "export": make_export,
    "snapshot": recompute_snapshot,
    "peer_groups": refresh_peer_groups,
}


def pending_jobs(
    engine: Engine, *, running_before: datetime | None = None
) -> list[tuple[str, str, int]]:
    """The (task, job id, tries so far) of every record still waiting for a worker, oldest
    first per kind: what a runner hands on again when it starts. With `running_before`,
    also the records a process that stopped before then left running."""
    with Session(engine) as session:
        found = {
            "report": pending_report_jobs(session, running_before=running_before),
            "export": pending_export_jobs(session, running_before=running_before),
        }
    return [(task, str(job_id), tries) for task, jobs in found.items() for job_id, tries in jobs]


def give_up(engine: Engine, task: str, arguments: dict[str, Any], why: str) -> None:
    """Mark a job's record failed when its worker died on every try."""
    with Session(engine) as session:
        if task == "report":
            fail_report_job(
                session, job_id=uuid.UUID(arguments["job_id"]), error=INTERNAL_ERROR, failure=why
            )
        elif task == "export":
            fail_export_job(
                session, job_id=uuid.UUID(arguments["job_id"]), error=INTERNAL_ERROR, failure=why
            )
