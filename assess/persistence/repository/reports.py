"""Report jobs (one assessment's PDF, or a consultant's portfolio) and what reports read:
earlier waves of an organisation and the closed assessments a consultant serves."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import defer
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from assess.persistence.models.accounts import Membership, Role, User
from assess.persistence.models.assessments import Assessment, AssessmentKind, AssessmentStatus
from assess.persistence.models.jobs import JobKind, JobStatus, ReportJob
from assess.persistence.models.organisations import Organisation
from assess.persistence.models.questionnaires import QuestionnaireVersion
from assess.persistence.models.responses import ScoreSnapshot
from assess.persistence.repository import job_records
from assess.persistence.repository.common import writing


def create_report_job(
    session: Session,
    *,
    user: User,
    kind: JobKind,
    language: str,
    assessment_id: uuid.UUID | None = None,
    accent: str | None = None,
    logo: bytes | None = None,
    organisations: Sequence[uuid.UUID] | None = None,
    view: str = "answered",
) -> ReportJob:
    """A queued job (a portfolio of the chosen `organisations`, or of all the user
    serves); the caller hands its id to a worker."""
    job = ReportJob(
        kind=kind,
        user_id=user.id,
        assessment_id=assessment_id,
        language=language,
        accent=accent,
        logo=logo,
        organisations=None if organisations is None else [str(o) for o in organisations],
        view=view,
    )
    with writing(session):
        session.add(job)
        session.commit()
    return job


def _without_files() -> SelectOfScalar[ReportJob]:
    return select(ReportJob).options(
        defer(ReportJob.content),  # type: ignore[arg-type]
        defer(ReportJob.logo),  # type: ignore[arg-type]
    )


def report_jobs_of(session: Session, *, assessment_id: uuid.UUID) -> Sequence[ReportJob]:
    """An assessment's report jobs, newest first, without their files."""
    return session.exec(
        _without_files()
        .where(ReportJob.assessment_id == assessment_id)
        .order_by(col(ReportJob.created_at).desc(), col(ReportJob.id))
    ).all()


def portfolio_jobs_of(session: Session, *, user_id: uuid.UUID, limit: int = 10) -> list[ReportJob]:
    """A user's newest portfolios, newest first, without their files."""
    query = (
        _without_files()
        .where(ReportJob.user_id == user_id, ReportJob.kind == JobKind.portfolio)
        .order_by(col(ReportJob.created_at).desc(), col(ReportJob.id))
        .limit(limit)
    )
    return list(session.exec(query).all())


def report_job(
    session: Session,
    *,
    job_id: uuid.UUID,
    assessment_id: uuid.UUID | None = None,
    user_id: uuid.UUID | None = None,
    with_file: bool = False,
) -> ReportJob | None:
    """A job of the given assessment (or of the given user's portfolios); None otherwise."""
    query = select(ReportJob) if with_file else _without_files()
    query = query.where(ReportJob.id == job_id)
    if assessment_id is not None:
        query = query.where(ReportJob.assessment_id == assessment_id)
    if user_id is not None:
        query = query.where(ReportJob.user_id == user_id, ReportJob.kind == JobKind.portfolio)
    return session.exec(query).first()


def pending_report_jobs(
    session: Session, *, running_before: datetime | None = None
) -> list[tuple[uuid.UUID, int]]:
    """Jobs still waiting for a worker, oldest first, with the tries each had; with
    `running_before`, also those left running by a process that stopped before then."""
    return job_records.pending(session, ReportJob, running_before=running_before)


def claim_report_job(
    session: Session, *, job_id: uuid.UUID, retaking: bool = False
) -> ReportJob | None:
    """Take a job for this worker, in one statement; None if another took it or it is
    finished. `retaking` takes a running job too: a new attempt after one that failed or
    whose worker died (the job queue hands a job to one worker at a time)."""
    with writing(session):
        claimed = job_records.claim(session, ReportJob, job_id, retaking=retaking)
        session.commit()
    return session.get(ReportJob, job_id, populate_existing=True) if claimed else None


def finish_report_job(
    session: Session, *, job_id: uuid.UUID, content: bytes, media_type: str, filename: str
) -> None:
    """Keep a job's file and mark it done."""
    job_records.end(
        session,
        ReportJob,
        job_id,
        status=JobStatus.done,
        content=content,
        media_type=media_type,
        filename=filename,
    )


def fail_report_job(
    session: Session, *, job_id: uuid.UUID, error: str, failure: str | None = None
) -> None:
    """Mark an unfinished job failed, with a message for the person who asked for it
    (and, when it failed on our side, what went wrong, for operators)."""
    job_records.end(
        session, ReportJob, job_id, status=JobStatus.failed, error=error[:2000], failure=failure
    )


def note_report_failure(session: Session, *, job_id: uuid.UUID, failure: str) -> None:
    """Keep what went wrong in an attempt that will be retried; the job stays running."""
    job_records.note_failure(session, ReportJob, job_id, failure)


def earlier_waves(
    session: Session, *, assessment: Assessment
) -> list[tuple[Assessment, dict[str, Any]]]:
    """The organisation's other closed assessments that closed before this one (or at all,
    while this one is open), newest first, with their score snapshots."""
    query = (
        select(Assessment, ScoreSnapshot.result)
        .join(ScoreSnapshot, col(ScoreSnapshot.assessment_id) == col(Assessment.id))
        .where(
            Assessment.organisation_id == assessment.organisation_id,
            Assessment.id != assessment.id,
            Assessment.status == AssessmentStatus.closed,
            Assessment.kind == assessment.kind,  # a study is no wave of an assessment
        )
        .order_by(col(Assessment.closed_at).desc())
    )
    if assessment.closed_at is not None:
        query = query.where(col(Assessment.closed_at) < assessment.closed_at)
    return [(earlier, dict(result)) for earlier, result in session.exec(query)]


def portfolio_of(
    session: Session, *, user: User
) -> list[tuple[Organisation, Assessment, QuestionnaireVersion]]:
    """The closed assessments of the organisations `user` serves as consultant (admins:
    every organisation), by organisation name and closing time."""
    query = (
        select(Organisation, Assessment, QuestionnaireVersion)
        .join(Assessment, col(Assessment.organisation_id) == col(Organisation.id))
        .join(
            QuestionnaireVersion,
            col(QuestionnaireVersion.id) == col(Assessment.questionnaire_version_id),
        )
        .where(
            Assessment.status == AssessmentStatus.closed,
            Assessment.kind == AssessmentKind.assessment,  # a study has no report
        )
        .order_by(col(Organisation.name), col(Organisation.id), col(Assessment.closed_at))
    )
    if not user.is_admin:
        query = query.join(
            Membership, col(Membership.organisation_id) == col(Organisation.id)
        ).where(Membership.user_id == user.id, Membership.role == Role.consultant)
    return [tuple(row) for row in session.exec(query)]  # type: ignore[misc]
