"""Reports made away from the web process: a pool of warm worker processes renders them
and keeps each file in the database, so any web process can hand it out.

Rendering (matplotlib, WeasyPrint) is CPU work of a second or more per report; in the
web process it would hold the interpreter while other requests wait. Workers are started
with `spawn`, never forked from a process that runs threads, and warm up once.
"""

from __future__ import annotations

import logging
import multiprocessing
import re
import threading
import unicodedata
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import date
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import Engine
from sqlmodel import Session

from assess import repository
from assess.db import make_engine
from assess.domain.questionnaire import Questionnaire
from assess.models import (
    Assessment,
    JobKind,
    Organisation,
    QuestionnaireVersion,
    ReportJob,
    User,
)
from assess.reporting.branding import Branding, BrandingError, make_branding
from assess.reporting.content import Meta, Report, ReportError
from assess.reporting.portfolio import Entry, portfolio_zip

logger = logging.getLogger("assess.reports")
T = TypeVar("T")
# A worker is replaced after this many tasks, so memory that renderers keep cannot grow.
TASKS_PER_WORKER = 50
INTERNAL_ERROR = "an error on our side kept it from being made; please ask again"

_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()


def _warm() -> None:
    """Load the renderers once per worker, before its first report."""
    from weasyprint import HTML

    from assess.reporting import charts  # noqa: F401

    HTML(string="<p>warm</p>").write_pdf()


def submit(workers: int, work: Callable[..., T], *args: Any) -> Future[T]:
    """Run `work(*args)` in a worker process; a pool whose worker died is replaced."""
    global _pool
    with _pool_lock:
        for attempt in (1, 2):
            if _pool is None:
                _pool = ProcessPoolExecutor(
                    max_workers=workers,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_warm,
                    max_tasks_per_child=TASKS_PER_WORKER,
                )
            try:
                return _pool.submit(work, *args)
            except BrokenProcessPool:
                _pool.shutdown(wait=False, cancel_futures=False)
                _pool = None
                if attempt == 2:
                    raise
    raise AssertionError("unreachable")


def dispatch(engine: Engine, workers: int, job_id: uuid.UUID) -> None:
    """Hand a queued job to a worker; if the worker dies with it, the job is marked failed."""
    url = engine.url.render_as_string(hide_password=False)
    future = submit(workers, run_job, url, job_id)

    def settled(done: Future[None]) -> None:
        error = done.exception()
        if error is None:
            return
        logger.error("report job %s ended with %r", job_id, error)
        with Session(engine) as session:
            repository.fail_report_job(session, job_id=job_id, error=INTERNAL_ERROR)

    future.add_done_callback(settled)


@cache
def _engine(url: str) -> Engine:
    return make_engine(url)


def run_job(database_url: str, job_id: uuid.UUID) -> None:
    """Render one job, in a worker: claim it, make its file, keep the file or the error."""
    with Session(_engine(database_url), expire_on_commit=False) as session:
        job = repository.claim_report_job(session, job_id=job_id)
        if job is None:
            return  # another worker has it, or it was finished already
        try:
            content, media_type, filename = _make(session, job)
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


def _make(session: Session, job: ReportJob) -> tuple[bytes, str, str]:
    from assess.reporting.render import pdf_of

    branding = make_branding(job.logo, job.accent)
    if job.kind == JobKind.portfolio:
        user = session.get(User, job.user_id)
        assert user is not None  # jobs go with their user
        entries = _portfolio_entries(session, user, job.language, branding)
        return portfolio_zip(entries, job.language), "application/zip", "portfolio.zip"
    assessment = session.get(Assessment, job.assessment_id)
    if assessment is None:
        raise ReportError("the assessment of this report no longer exists")
    report = report_of(session, assessment, job.language, branding)
    return pdf_of(report), "application/pdf", file_name(report)


def _portfolio_entries(
    session: Session, user: User, language: str, branding: Branding
) -> Iterator[Entry]:
    """One entry per closed assessment the user serves, rendered one after another so
    that only one PDF is held at a time."""
    from assess.reporting.render import pdf_of

    for organisation, assessment, version in repository.portfolio_of(session, user=user):
        languages = repository.questionnaire_of(version).languages
        used = language if language in languages else languages[0]
        entry = Entry(organisation.name, assessment.name, assessment.wave, used)
        try:
            report = report_of(session, assessment, used, branding)
        except ReportError as exc:
            yield entry.skipped(str(exc))
            continue
        yield entry.rendered(file_name(report), pdf_of(report))


def file_name(report: Report) -> str:
    """A file name for a report's PDF: organisation, assessment, wave and language."""
    meta = report.meta
    parts = [meta.organisation, meta.assessment, meta.wave or "", report.language]
    return "-".join(slug(part) for part in parts if slug(part)) + ".pdf"


def slug(text: str) -> str:
    """Plain ASCII letters, digits and hyphens, for file names any system accepts."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower()[:60]


def preview_html(
    database_url: str, assessment_id: uuid.UUID, language: str | None, accent: str | None
) -> str:
    """The report of an assessment as one HTML page, in a worker."""
    from assess.reporting.render import html_of

    with Session(_engine(database_url), expire_on_commit=False) as session:
        assessment = session.get(Assessment, assessment_id)
        if assessment is None:
            raise ReportError("the assessment no longer exists")
        report = report_of(session, assessment, language, make_branding(None, accent))
    return html_of(report, standalone=True)


def report_of(
    session: Session,
    assessment: Assessment,
    language: str | None,
    branding: Branding | None = None,
) -> Report:
    """The report of an assessment's submitted responses (in the questionnaire's first
    language unless `language` is given), with its earlier wave if one is comparable;
    ReportError if it cannot be made."""
    from assess.reporting.render import build_report

    version = session.get(QuestionnaireVersion, assessment.questionnaire_version_id)
    organisation = session.get(Organisation, assessment.organisation_id)
    assert version is not None
    assert organisation is not None
    questionnaire = repository.questionnaire_of(version)
    responses = repository.submitted_responses(session, assessment_id=assessment.id)
    counts = repository.counts_of(session, assessment_id=assessment.id)
    previous, previous_label = _earlier_wave(session, assessment, questionnaire)
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
    )
    return build_report(
        questionnaire,
        responses,
        language=language or questionnaire.languages[0],
        meta=meta,
        branding=branding,
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
