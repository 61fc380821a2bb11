"""The application factory: settings, database, routers and error handlers."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

import psycopg
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from assess import __version__, jobs
from assess.config import Settings, get_settings, secret_key_of
from assess.mail.sender import MailSender
from assess.mail.smtp import MailServer
from assess.persistence.engine import make_engine
from assess.persistence.errors import RETRY_AFTER_SECONDS, Refusal, RefusedWrites, refusal_of
from assess.persistence.repository.common import Conflict
from assess.reporting import workers
from assess.results.errors import NoFigures, NotForStudies, NotShown, Refused
from assess.web import (
    api,
    benchmarks,
    console,
    departments,
    docs,
    exports,
    health,
    invitations,
    mail,
    mail_templates,
    openapi,
    pages,
    people,
    privacy,
    reports,
    research,
    research_benchmarks,
    respond,
    results,
    studies,
    versions,
)
from assess.web.cross_site import CrossSiteGuard
from assess.web.guard import BodyGuard
from assess.web.methods import allowed_methods
from assess.web.pages.visit import wants_page
from assess.web.rate_limits import TooManyRequests
from assess.web.single_values import one_value_each

logger = logging.getLogger("assess")
PROBLEM = "application/problem+json"
# When to try again after a dropped connection: the pool makes a new one at once.
RESTARTING_RETRY_AFTER_SECONDS = 5
TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Body too large",
    422: "Invalid input",
    429: "Too many requests",
    503: "Service unavailable",
}


def problem(
    status: int, detail: str, headers: Mapping[str, str] | None = None, **extra: Any
) -> JSONResponse:
    """An RFC 9457 problem response."""
    body = {
        "type": "about:blank",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        **extra,
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    await run_in_threadpool(app.state.jobs.resume, app.state.engine)  # before a restart
    sender: MailSender | None = app.state.mail_sender
    if sender is not None:
        sender.start()  # e-mail queued before a restart goes out now
    # What imports and setup made lives as long as the process, so full collections skip
    # it; each would scan it all otherwise, a pause of ~50 ms for every request in flight.
    gc.freeze()
    yield
    if sender is not None:
        await run_in_threadpool(sender.stop)
    app.state.jobs.close()
    await run_in_threadpool(workers.shut_down)  # the fork server ends with the service


def _mail_sender(settings: Settings, engine: Any, key: str) -> MailSender | None:
    """The sender of e-mails, when the settings name a mail server."""
    server = MailServer.of(settings)
    if server is None or settings.public_url is None:
        return None
    return MailSender(engine, server, key=key, public_url=settings.public_url)


def _refused(request: Request, refusal: Refusal, exc: DBAPIError) -> Response:
    """A write the database refused because it is read-only or full: 503, nothing saved;
    logged once per spell of them (readiness tells it meanwhile)."""
    if request.app.state.refused_writes.note(refusal):
        logger.error("the database refuses writes: %s", exc.orig)
    return _unavailable(request, refusal.value, RETRY_AFTER_SECONDS)


def _unavailable(request: Request, detail: str, retry_after: int) -> Response:
    """503 with Retry-After: a page in the visitor's language for pages, else a problem."""
    if wants_page(request.url.path):
        return pages.unavailable_page(request, retry_after)
    return problem(503, detail, {"Retry-After": str(retry_after)})


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the web application."""
    settings = settings or get_settings()
    app = FastAPI(
        title="assess",
        version=__version__,
        description=(
            "Customer experience maturity: questionnaires, assessments, invitations, "
            "answers and scores. Authenticate with `Authorization: Bearer <API key>`; "
            "errors are RFC 9457 problem documents."
        ),
        lifespan=_lifespan,
        dependencies=[Depends(one_value_each)],
        docs_url=None,  # assess.web.docs serves them with their assets
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.secret_key = secret_key_of(settings)
    app.state.engine = make_engine(settings.database_url, pool_size=settings.database_pool_size)
    app.state.jobs = jobs.runner_for(app.state.engine, settings)
    app.state.mail_sender = _mail_sender(settings, app.state.engine, app.state.secret_key)
    app.state.metrics = health.Metrics(app.state.engine)
    app.state.refused_writes = RefusedWrites()
    app.add_middleware(BodyGuard, max_bytes=settings.max_body_bytes)
    # Outside the body guard: another site's form is refused before its body is read.
    app.add_middleware(CrossSiteGuard, public_url=settings.public_url)
    app.add_middleware(health.RequestTiming, metrics=app.state.metrics)  # outermost: all of it
    # The busiest routes first, the respondents' API and pages: a request is matched
    # against the routers in order, and trying every other router first cost each page
    # about a sixth of its time in the app (bench/pages.py).
    app.include_router(respond.router)
    pages.install(app)
    app.include_router(api.router)
    app.include_router(invitations.router)
    app.include_router(departments.router)
    app.include_router(mail.router)
    app.include_router(mail_templates.router)
    app.include_router(results.router)
    app.include_router(people.router)
    app.include_router(privacy.router)
    app.include_router(reports.router)
    app.include_router(benchmarks.router)
    app.include_router(versions.router)
    app.include_router(studies.router)
    app.include_router(research.router)
    app.include_router(exports.router)
    app.include_router(research_benchmarks.router)
    console.install(app)
    app.include_router(health.router)
    openapi.install(app)
    docs.install(app)

    @app.exception_handler(HTTPException)
    async def http_problem(request: Request, exc: HTTPException) -> JSONResponse:
        if exc.status_code == 405:
            allowed = {"Allow": allowed_methods(request.app, request.scope)}
            return problem(405, str(exc.detail), allowed)
        if isinstance(exc.detail, dict):
            problems = exc.detail.get("problems", [])
            detail = f"{len(problems)} problem(s): " + "; ".join(problems[:3])
            return problem(exc.status_code, detail, exc.headers, problems=problems)
        return problem(exc.status_code, str(exc.detail), exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_problem(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": [str(part) for part in e.get("loc", ())], "msg": str(e.get("msg", ""))}
            for e in exc.errors()
        ]
        where = "; ".join(f"{'.'.join(e['loc'])}: {e['msg']}" for e in errors[:3])
        return problem(422, f"The request does not fit the API: {where}", errors=errors)

    @app.exception_handler(TooManyRequests)
    async def too_many_requests(request: Request, exc: TooManyRequests) -> Response:
        if wants_page(request.url.path):
            return pages.too_many_page(request, exc)
        return problem(
            429,
            "Too many requests from this link or address lately; nothing was saved. "
            f"Try again in {exc.retry_after} seconds.",
            exc.headers,
        )

    @app.exception_handler(Conflict)
    async def conflict_problem(request: Request, exc: Conflict) -> JSONResponse:
        return problem(409, str(exc))

    # The results service's errors: nothing may be shown yet, not as asked, not in a
    # study, or no figures of what was asked.
    @app.exception_handler(NotShown)
    async def not_shown_problem(request: Request, exc: NotShown) -> JSONResponse:
        return problem(409, str(exc))

    @app.exception_handler(Refused)
    async def refused_problem(request: Request, exc: Refused) -> JSONResponse:
        return problem(422, str(exc))

    @app.exception_handler(NotForStudies)
    async def not_for_studies_problem(request: Request, exc: NotForStudies) -> JSONResponse:
        return problem(409, str(exc))

    @app.exception_handler(NoFigures)
    async def no_figures_problem(request: Request, exc: NoFigures) -> JSONResponse:
        return problem(404, str(exc))

    # A database restarting, or a connection that dropped: the pool replaces the broken
    # connections (pre-ping), so the same request succeeds when tried again. Errors of
    # the driver itself come from the few queries that use it directly.
    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    @app.exception_handler(psycopg.OperationalError)
    @app.exception_handler(psycopg.InterfaceError)
    async def database_down(request: Request, exc: Exception) -> Response:
        if isinstance(exc, DBAPIError) and (refusal := refusal_of(exc)) is not None:
            return _refused(request, refusal, exc)
        logger.warning("database unavailable: %s", getattr(exc, "orig", exc))
        return _unavailable(
            request,
            "The database is briefly unavailable; try again (a repeated save is safe).",
            RESTARTING_RETRY_AFTER_SECONDS,
        )

    @app.exception_handler(DBAPIError)
    async def database_refused(request: Request, exc: DBAPIError) -> Response:
        if (refusal := refusal_of(exc)) is not None:
            return _refused(request, refusal, exc)
        if exc.connection_invalidated:  # the connection broke, whatever the driver called it
            return await database_down(request, exc)
        logger.warning("database refused a statement: %s", exc.orig)
        return problem(422, "The database refused this input; nothing was saved.")

    return app
