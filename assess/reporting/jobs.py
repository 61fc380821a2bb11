"""Report jobs: a queued job is claimed, its inputs gathered from the database and handed
to a rendering process (`assess.reporting.workers`), and the file it gives back is kept
in the database, so any web process can hand it out.

A job runs on a thread of this process: it waits for the rendering process and the
database, and holds the interpreter only to gather inputs and store the file.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session

from assess import repository
from assess.config import get_settings
from assess.domain.questionnaire import Questionnaire
from assess.models import Assessment, JobKind, Organisation, QuestionnaireVersion, ReportJob, User
from assess.reporting import workers
from assess.reporting.branding import Branding, BrandingError, make_branding
from assess.reporting.inputs import Inputs, Meta, ReportError
from assess.reporting.portfolio import Entry, portfolio_zip

logger = logging.getLogger("assess.reports")
INTERNAL_ERROR = "an error on our side kept it from being made; please ask again"

_threads: ThreadPoolExecutor | None = None
_threads_lock = threading.Lock()


def dispatch(engine: Engine, processes: int, job_id: uuid.UUID) -> None:
    """Run a queued job in the background, with at most `processes` rendering at once."""
    global _threads
    with _threads_lock:
        if _threads is None:
            _threads = ThreadPoolExecutor(processes, thread_name_prefix="assess-report")
        _threads.submit(run_job, engine, processes, job_id)


def run_job(engine: Engine, processes: int, job_id: uuid.UUID) -> None:
    """Claim one job, make its file and keep the file or the error. Whatever goes wrong,
    the job ends finished or failed, never left running."""
    with Session(engine, expire_on_commit=False) as session:
        job = repository.claim_report_job(session, job_id=job_id)
        if job is None:
            return  # another process has it, or it was finished already
        try:
            content, media_type, filename = _make(session, job, processes)
        except (ReportError, BrandingError) as exc:
            repository.fail_report_job(session, job_id=job_id, error=str(exc))
            return
        except Exception:
            logger.exception("report job %s failed", job_id)
            session.rollback()
            repository.fail_report_job(session, job_id=job_id, error=INTERNAL_ERROR)
            return
        repository.finish_report_job(
            session, job_id=job_id, content=content, media_type=media_type, filename=filename
        )


def render(processes: int, inputs: Inputs) -> tuple[bytes, str]:
    """A report's PDF and file name, made in a rendering process."""
    return workers.submit(processes, workers.render_pdf, inputs).result()


def _make(session: Session, job: ReportJob, processes: int) -> tuple[bytes, str, str]:
    branding = make_branding(job.logo, job.accent)
    if job.kind == JobKind.portfolio:
        user = session.get(User, job.user_id)
        assert user is not None  # jobs go with their user
        entries = _portfolio_entries(session, user, job.language, branding, processes)
        return portfolio_zip(entries, job.language), "application/zip", "portfolio.zip"
    assessment = session.get(Assessment, job.assessment_id)
    if assessment is None:
        raise ReportError("the assessment of this report no longer exists")
    pdf, filename = render(processes, inputs_of(session, assessment, job.language, branding))
    return pdf, "application/pdf", filename


def _portfolio_entries(
    session: Session, user: User, language: str, branding: Branding, processes: int
) -> Iterator[Entry]:
    """One entry per closed assessment the user serves, rendered one after another so
    that only one PDF is held at a time."""
    for organisation, assessment, version in repository.portfolio_of(session, user=user):
        languages = repository.questionnaire_of(version).languages
        used = language if language in languages else languages[0]
        entry = Entry(organisation.name, assessment.name, assessment.wave, used)
        try:
            pdf, filename = render(processes, inputs_of(session, assessment, used, branding))
        except ReportError as exc:
            yield entry.skipped(str(exc))
            continue
        yield entry.rendered(filename, pdf)


def inputs_of(
    session: Session,
    assessment: Assessment,
    language: str | None,
    branding: Branding | None = None,
) -> Inputs:
    """What the report of an assessment's submitted responses is made from (in the
    questionnaire's first language unless `language` is given), with its earlier wave
    if one is comparable, and its peer benchmark."""
    version = session.get(QuestionnaireVersion, assessment.questionnaire_version_id)
    organisation = session.get(Organisation, assessment.organisation_id)
    assert version is not None
    assert organisation is not None
    questionnaire = repository.questionnaire_of(version)
    responses = repository.submitted_responses(session, assessment_id=assessment.id)
    counts = repository.counts_of(session, assessment_id=assessment.id)
    previous, previous_label = _earlier_wave(session, assessment, questionnaire)
    benchmark = repository.comparison_of_organisation(
        session,
        questionnaire=questionnaire,
        organisation=organisation,
        responses=responses,
        k=get_settings().benchmark_k,
    )
    meta = Meta(
        organisation.name,
        assessment.name,
        assessment.wave,
        day=assessment.closed_at.date() if assessment.closed_at else date.today(),
        # Answers imported from files have no invitation: no response rate then.
        invited=counts.invited if counts.invited >= counts.submitted else None,
        sha256=version.sha256,
        previous=previous,
        previous_label=previous_label,
        benchmark=benchmark,
    )
    return Inputs(
        questionnaire,
        responses,
        language or questionnaire.languages[0],
        meta,
        branding or make_branding(),
    )


def _earlier_wave(
    session: Session, assessment: Assessment, questionnaire: Questionnaire
) -> tuple[dict[str, float | None] | None, str | None]:
    """Scores per level of the newest earlier closed wave whose questionnaire has the same
    levels (dimension ids), and its label."""
    levels = {d.id for d in questionnaire.dimensions}
    for earlier, result in repository.earlier_waves(session, assessment=assessment):
        dimensions = result.get("dimensions") or {}
        if set(dimensions) == levels:
            scores = {d: dimensions[d].get("score") for d in levels}
            return scores, earlier.wave or earlier.name
    return None, None
