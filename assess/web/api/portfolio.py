"""A consultant's portfolio through the API: ask for one ZIP with the reports of every
closed assessment of the organisations served, follow its status, download it."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Body, HTTPException, Request, Response

from assess.persistence.models.jobs import JobKind, ReportJob
from assess.persistence.repository.audit import audit_now
from assess.persistence.repository.reports import create_report_job, report_job
from assess.reporting.i18n import LANGUAGES
from assess.web.api.openapi import download
from assess.web.api.reports import (
    ASKED,
    NOT_READY,
    STARTED,
    branding_asked,
    job_file,
    job_public,
    started,
)
from assess.web.deps import NOT_FOUND, SessionDep, UserDep, declared
from assess.web.schemas.reports import ReportJobPublic, ReportRequest

router = APIRouter(prefix="/api/v1", tags=["reports"])


@router.post(
    "/portfolio",
    status_code=202,
    responses=declared({422: ASKED[422]}, STARTED),
    response_model=ReportJobPublic,
)
def request_portfolio(
    session: SessionDep,
    user: UserDep,
    request: Request,
    body: Annotated[ReportRequest | None, Body()] = None,
) -> Response:
    """Start making one ZIP with the reports of every closed assessment of the
    organisations you serve as consultant (admins: all), with `contents.csv`."""
    body = body or ReportRequest()
    if body.language is not None and body.language not in LANGUAGES:
        raise HTTPException(
            422, f"language={body.language}: reports are in {' or '.join(LANGUAGES)}"
        )
    branding = branding_asked(body)
    job = create_report_job(
        session,
        user=user,
        kind=JobKind.portfolio,
        language=body.language or "",
        accent=branding.accent,
        logo=branding.logo,
    )
    audit_now(session, user, "portfolio.requested", ("report", job.id))
    return started(request, session, job, "/api/v1/portfolio")


def _portfolio(
    session: SessionDep, user: UserDep, job_id: uuid.UUID, with_file: bool = False
) -> ReportJob:
    job = report_job(session, job_id=job_id, user_id=user.id, with_file=with_file)
    if job is None:
        raise HTTPException(404, "No such portfolio.")
    return job


@router.get("/portfolio/{job_id}", responses=NOT_FOUND)
def portfolio_status(job_id: uuid.UUID, session: SessionDep, user: UserDep) -> ReportJobPublic:
    """Where a portfolio stands (yours only)."""
    return job_public(_portfolio(session, user, job_id), "/api/v1/portfolio")


@router.get(
    "/portfolio/{job_id}/zip",
    response_class=Response,
    responses=declared(NOT_READY, download("application/zip")),
)
def portfolio_zip(job_id: uuid.UUID, session: SessionDep, user: UserDep) -> Response:
    """The portfolio's ZIP, once it is done."""
    return job_file(_portfolio(session, user, job_id, with_file=True))
