"""Reports through the API: ask for one (it renders in a worker process), follow its
status, download the PDF; an HTML preview. Portfolios (web/api/portfolio.py) share the
answers of jobs that make a file."""

from __future__ import annotations

import asyncio
import uuid
from concurrent.futures.process import BrokenProcessPool
from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from assess.jobs import reports as report_jobs
from assess.persistence.models.assessments import Assessment
from assess.persistence.models.jobs import JobKind, JobStatus, ReportJob
from assess.persistence.repository.audit import audit_now
from assess.persistence.repository.questionnaires import (
    questionnaire_of_assessment,
)
from assess.persistence.repository.reports import create_report_job, report_job, report_jobs_of
from assess.reporting import workers
from assess.reporting.branding import Branding, BrandingError, make_branding
from assess.reporting.inputs import ReportError
from assess.results.reports import released_figures
from assess.results.studies import refuse_unless_assessment
from assess.web.api.openapi import RETRY_AFTER, download, header
from assess.web.api.pagination import PAGED, PageDep, page_from
from assess.web.api.studies import NOT_FOR_STUDIES
from assess.web.deps import (
    NOT_FOUND,
    AssessmentDep,
    SessionDep,
    UserDep,
    declared,
    queued_or_503,
)
from assess.web.schemas.fields import WrittenLanguage
from assess.web.schemas.reports import ACCENT, ReportJobPublic, ReportRequest

router = APIRouter(prefix="/api/v1", tags=["reports"])
ASKED: dict[int | str, dict[str, Any]] = {
    **NOT_FOUND,
    422: {
        "description": "A language the questionnaire lacks, a logo or colour that cannot "
        "be used, or no submitted responses yet."
    },
}
NOT_READY: dict[int | str, dict[str, Any]] = {
    **NOT_FOUND,
    409: {
        "description": "Not made yet (try again after Retry-After seconds), or it failed.",
        "headers": {"Retry-After": RETRY_AFTER},
    },
}
STARTED: dict[int | str, dict[str, Any]] = {
    202: {"model": ReportJobPublic, "headers": {"Location": header("Its status_url.")}}
}


# The preview is the report's own markup: its styles inline, its logo a data address, and
# nothing else may load or run.
PREVIEW_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def branding_asked(body: ReportRequest) -> Branding:
    """The logo and accent a request asks for, or 422 when they cannot be used."""
    try:
        return make_branding(body.logo, body.accent)
    except BrandingError as exc:
        raise HTTPException(422, f"Branding: {exc}.") from None


def job_public(job: ReportJob, base: str) -> ReportJobPublic:
    """What the API shows of a report or portfolio job, with its status and file links."""
    status_url = f"{base}/{job.id}"
    done = job.status == JobStatus.done
    suffix = "zip" if job.kind == JobKind.portfolio else "pdf"
    shown = set(ReportJobPublic.model_fields) - {"status_url", "download_url"}
    return ReportJobPublic(
        **{name: getattr(job, name) for name in shown},
        status_url=status_url,
        download_url=f"{status_url}/{suffix}" if done else None,
    )


def _problem(exc: ReportError | BrandingError) -> HTTPException:
    """A report that cannot be made from this input, said as the API says problems."""
    return HTTPException(422, f"{str(exc)[:1].upper()}{str(exc)[1:]}.")


def _reports_url(assessment: Assessment) -> str:
    return f"/api/v1/assessments/{assessment.id}/reports"


def started(request: Request, session: Session, job: ReportJob, base: str) -> Response:
    """Hand the job on to run in the background; 202 with where to follow it."""
    queued_or_503(request, session, "report", job.id)
    public = job_public(job, base)
    return Response(
        public.model_dump_json(),
        status_code=202,
        media_type="application/json",
        headers={"Location": public.status_url},
    )


@router.post(
    "/assessments/{assessment_id}/reports",
    status_code=202,
    responses=declared(ASKED, NOT_FOR_STUDIES, STARTED),
    response_model=ReportJobPublic,
)
def request_report(
    assessment: AssessmentDep,
    session: SessionDep,
    user: UserDep,
    request: Request,
    body: Annotated[ReportRequest | None, Body()] = None,
) -> Response:
    """Start making the assessment's PDF report in the background; follow `status_url`,
    then fetch `download_url`."""
    refuse_unless_assessment(assessment, "report (reports describe one organisation)")
    body = body or ReportRequest()
    questionnaire = questionnaire_of_assessment(session, assessment=assessment)
    language = body.language or questionnaire.languages[0]
    if language not in questionnaire.languages:
        raise HTTPException(
            422,
            f"language={language}: this questionnaire is in {', '.join(questionnaire.languages)}",
        )
    branding = branding_asked(body)
    # Reports leave the hands of those who run it: they show its latest release, or are
    # refused (NotReportable, 422) before any job is made.
    benchmark_k = request.app.state.settings.benchmark_k
    released_figures(session, assessment, questionnaire, benchmark_k=benchmark_k)
    job = create_report_job(
        session,
        user=user,
        kind=JobKind.report,
        assessment_id=assessment.id,
        language=language,
        accent=branding.accent,
        logo=branding.logo,
        view=body.view,
    )
    audit_now(
        session,
        user,
        "report.requested",
        ("assessment", assessment.id),
        {"report_id": str(job.id), "language": language, "view": body.view},
    )
    return started(request, session, job, _reports_url(assessment))


@router.get("/assessments/{assessment_id}/reports", responses={**NOT_FOUND, **PAGED})
def list_reports(
    assessment: AssessmentDep,
    session: SessionDep,
    request: Request,
    response: Response,
    page: PageDep,
) -> list[ReportJobPublic]:
    """The assessment's reports, newest first."""
    base = _reports_url(assessment)
    return [
        job_public(job, base)
        for job in page_from(
            report_jobs_of(session, assessment_id=assessment.id),
            request,
            response,
            page,
        )
    ]


@router.get(
    "/assessments/{assessment_id}/reports/preview",
    response_class=HTMLResponse,
    responses=declared(ASKED, NOT_FOR_STUDIES, {200: {"content": {"text/html": {}}}}),
)
async def preview_report(
    assessment: AssessmentDep,
    session: SessionDep,
    request: Request,
    lang: Annotated[WrittenLanguage | None, Query(description="de or en")] = None,
    accent: Annotated[str | None, Query(pattern=ACCENT, description="#rgb or #rrggbb")] = None,
) -> HTMLResponse:
    """The report as one HTML page, made in a rendering process like the PDF."""
    refuse_unless_assessment(assessment, "report (reports describe one organisation)")
    branding = branding_asked(ReportRequest(accent=accent))  # a bad colour: refused before work
    settings = request.app.state.settings
    try:
        inputs = await run_in_threadpool(
            report_jobs.inputs_of, session, assessment, lang, branding, settings=settings
        )
    except ReportError as exc:
        raise _problem(exc) from None
    future = workers.submit(
        workers.Processes.of(settings), workers.render_html, inputs, settings.report_templates_dir
    )
    try:
        html = await asyncio.wrap_future(future)
    except (ReportError, BrandingError) as exc:
        raise _problem(exc) from None
    except BrokenProcessPool:
        raise HTTPException(
            503, "The report workers restarted; try again.", headers={"Retry-After": "5"}
        ) from None
    return HTMLResponse(
        html,
        headers={"Content-Security-Policy": PREVIEW_POLICY, "X-Content-Type-Options": "nosniff"},
    )


def _report(
    session: SessionDep, assessment: Assessment, report_id: uuid.UUID, with_file: bool = False
) -> ReportJob:
    job = report_job(session, job_id=report_id, assessment_id=assessment.id, with_file=with_file)
    if job is None:
        raise HTTPException(404, "No such report.")
    return job


@router.get("/assessments/{assessment_id}/reports/{report_id}", responses=NOT_FOUND)
def report_status(
    assessment: AssessmentDep, report_id: uuid.UUID, session: SessionDep
) -> ReportJobPublic:
    """Where a report stands: queued, running, done (with `download_url`) or failed."""
    return job_public(_report(session, assessment, report_id), _reports_url(assessment))


def job_file(job: ReportJob) -> Response:
    """The job's file, or 409 while it is being made or when it failed."""
    if job.status == JobStatus.failed:
        raise HTTPException(409, f"This could not be made: {job.error}.")
    if job.status != JobStatus.done or job.content is None:
        raise HTTPException(
            409, "Not made yet; try again in a few seconds.", headers={"Retry-After": "2"}
        )
    return Response(
        job.content,
        media_type=job.media_type,
        headers={"Content-Disposition": f'attachment; filename="{job.filename}"'},
    )


@router.get(
    "/assessments/{assessment_id}/reports/{report_id}/pdf",
    response_class=Response,
    responses=declared(NOT_READY, download("application/pdf")),
)
def report_pdf(assessment: AssessmentDep, report_id: uuid.UUID, session: SessionDep) -> Response:
    """The report's PDF, once it is done."""
    return job_file(_report(session, assessment, report_id, with_file=True))
