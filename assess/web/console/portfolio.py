"""A consultant's portfolio from the pages: the clients chosen, in which language, made
as one ZIP by the report jobs (an overview of all chosen clients first, then each closed
assessment's report, with the consultant's saved branding), followed on the page until
it can be downloaded."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from assess.persistence.models.jobs import JobKind, JobStatus
from assess.persistence.models.organisations import Organisation
from assess.persistence.repository.accounts import organisations_for
from assess.persistence.repository.audit import audit_now
from assess.persistence.repository.brandings import branding_of
from assess.persistence.repository.reports import (
    create_report_job,
    portfolio_jobs_of,
    portfolio_of,
    report_job,
)
from assess.reporting.i18n import LANGUAGES
from assess.web.console.access import ConsoleProblem, FormDep, Staff, StaffDep, see_other
from assess.web.console.branding import saved_branding
from assess.web.deps import queued
from assess.web.pages.visit import HEADERS

router = APIRouter(include_in_schema=False)
REFRESH_SECONDS = 3
MAX_CLIENTS = 500  # listed to choose from


def _clients(staff: Staff) -> list[tuple[Organisation, int]]:
    """The organisations the person runs, with how many closed assessments each has."""
    closed: dict[uuid.UUID, int] = {}
    for organisation, _assessment, _version in portfolio_of(staff.session, user=staff.user):
        closed[organisation.id] = closed.get(organisation.id, 0) + 1
    served = organisations_for(
        staff.session, user=staff.user, search="", offset=0, limit=MAX_CLIENTS
    )
    return [(o, closed.get(o.id, 0)) for o in served if staff.may_run(o.id)]


@router.get("/portfolio")
def portfolio_page(staff: StaffDep) -> HTMLResponse:
    """The clients to choose, the language, and the portfolios asked for so far."""
    return _page(staff)


def _page(
    staff: Staff,
    status: int = 200,
    chosen: list[str] | None = None,
    problem: str = "",
    chosen_language: str = "",
) -> HTMLResponse:
    jobs = portfolio_jobs_of(staff.session, user_id=staff.user.id)
    waiting = any(job.status in (JobStatus.queued, JobStatus.running) for job in jobs)
    clients = _clients(staff)
    return staff.render(
        "console/portfolio.html.j2",
        status,
        clients=clients,
        chosen=chosen if chosen is not None else [str(o.id) for o, closed in clients if closed],
        chosen_language=chosen_language,
        jobs=jobs,
        problem=problem,
        branded=branding_of(staff.session, user_id=staff.user.id) is not None,
        done=staff.request.query_params.get("done"),
        refresh=REFRESH_SECONDS if waiting else None,
    )


@router.post("/portfolio", response_model=None)
def ask_for_portfolio(staff: StaffDep, form: FormDep) -> Response:
    """Start making the portfolio of the chosen clients."""
    chosen = [v for v in form.getlist("organisation") if isinstance(v, str)]
    language = form.get("language")
    runnable = {str(o.id) for o, _closed in _clients(staff)}
    if not chosen or not set(chosen) <= runnable:
        kept = [c for c in chosen if c in runnable]
        return _page(staff, 422, kept, "clients", str(language or ""))
    if language not in ("", *LANGUAGES):
        return _page(staff, 422, chosen, "language")
    branding = saved_branding(staff)
    job = create_report_job(
        staff.session,
        user=staff.user,
        kind=JobKind.portfolio,
        language=str(language),
        accent=branding.accent if branding else None,
        logo=branding.logo if branding else None,
        organisations=[uuid.UUID(c) for c in chosen],
    )
    audit_now(
        staff.session,
        staff.user,
        "portfolio.requested",
        ("report", job.id),
        {"organisations": len(chosen)},
    )
    queued(staff.request, staff.session, "report", job.id)  # if not, the list says so
    return see_other("/portfolio", done="started")


@router.get("/portfolio/{job_id}/zip", response_model=None)
def portfolio_file(job_id: uuid.UUID, staff: StaffDep) -> Response:
    """The portfolio's ZIP once it is made; before that, the page."""
    job = report_job(staff.session, job_id=job_id, user_id=staff.user.id, with_file=True)
    if job is None:
        raise ConsoleProblem(404, "not_found")
    if job.status != JobStatus.done or job.content is None:
        return see_other("/portfolio")
    return Response(
        job.content,
        media_type=job.media_type or "application/zip",
        headers={
            **HEADERS,
            "Content-Disposition": f'attachment; filename="{job.filename or "portfolio.zip"}"',
        },
    )
