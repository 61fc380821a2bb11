"""What a respondent's link shows once their answers are submitted: the thank-you page
(with their own scores, where the assessment shows them, else when and where results
come) and their own scores as a one-page PDF. The link stays the key: the same token
check and rate limits as every page of it."""

from __future__ import annotations

import asyncio
from concurrent.futures.process import BrokenProcessPool

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from assess.persistence.models.assessments import AssessmentStatus
from assess.persistence.models.common import aware, utcnow
from assess.reporting import workers
from assess.web.deps import connection_for, database_work
from assess.web.pages.own_scores import (
    answers_submitted,
    may_see_own_scores,
    own_inputs,
    own_scores,
)
from assess.web.pages.visit import HEADERS, PageProblem, Visit

router = APIRouter(prefix="/r", include_in_schema=False)
# Seconds to wait before asking again when the rendering processes were replaced.
RETRY_AFTER = 5


def _open(request: Request, token: str) -> Visit:
    with connection_for(request) as connection:
        return Visit.open(request, connection, token)


@router.get("/{token}/thanks")
async def thanks(token: str, request: Request) -> Response:
    """The thank-you page, as often as the link is opened after submitting."""
    return await database_work(request, _thanks, request, token)


def _thanks(request: Request, token: str) -> Response:
    visit = _open(request, token)
    if not answers_submitted(visit) or visit.stored is None:
        return visit.redirect()
    own = own_scores(visit) if may_see_own_scores(visit) else None
    closes_at = aware(visit.link.closes_at) if visit.link.closes_at else None
    closed = visit.link.assessment_status == AssessmentStatus.closed or (
        closes_at is not None and closes_at <= utcnow()
    )
    return visit.render(
        "respondent/thanks.html.j2",
        submitted_at=aware(visit.stored["submitted_at"]),
        own=own,
        closes_at=closes_at,
        closed=closed,
    )


@router.get("/{token}/scores.pdf")
async def own_scores_pdf(token: str, request: Request) -> Response:
    """The respondent's own scores as a one-page PDF, made in a rendering process; only
    after submitting, and only where the assessment shows respondents their scores."""
    visit = await database_work(request, _open, request, token)
    if not may_see_own_scores(visit):
        raise PageProblem(404, "no_page", visit.language, visit=visit)
    processes = workers.Processes.of(visit.settings)
    try:
        # Submitting may start the rendering processes: not on the event loop either.
        future = await run_in_threadpool(
            workers.submit,
            processes,
            workers.render_own_pdf,
            own_inputs(visit),
            visit.settings.report_templates_dir,
        )
        pdf, name = await asyncio.wrap_future(future)
    except BrokenProcessPool:
        raise PageProblem(
            503, "unavailable", visit.language, visit=visit, retry_after=RETRY_AFTER
        ) from None
    headers = {**HEADERS, "Content-Disposition": f'attachment; filename="{name}"'}
    return Response(pdf, media_type="application/pdf", headers=headers)
