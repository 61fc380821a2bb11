"""Every error's answer, one handler per kind of error: the API answers with RFC 9457
problem documents, the pages with a page in the visitor's language where they have one
(too many requests, the database away). `install` gives the app the whole table.

The respondent's pages and the console add the handlers of their own errors
(PageProblem, ConsoleProblem, SignInRequired) with their routes: those answer only with
their own templates."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import psycopg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from starlette.exceptions import HTTPException

from assess.domain.advice import TargetError
from assess.domain.consensus import ConsensusError
from assess.persistence.errors import RETRY_AFTER_SECONDS, Refusal, refusal_of
from assess.persistence.repository.common import Conflict
from assess.persistence.repository.invitations import LeadTaken
from assess.results.errors import NoFigures, NotForStudies, NotReportable, NotShown, Refused
from assess.web import pages
from assess.web.methods import allowed_methods
from assess.web.pages.visit import wants_page
from assess.web.rate_limits import TooManyRequests

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


async def http_problem(request: Request, exc: HTTPException) -> JSONResponse:
    """An HTTP error a route raised; a 405 names the methods the address takes."""
    if exc.status_code == 405:
        allowed = {"Allow": allowed_methods(request.app, request.scope)}
        return problem(405, str(exc.detail), allowed)
    if isinstance(exc.detail, dict):
        problems = exc.detail.get("problems", [])
        detail = f"{len(problems)} problem(s): " + "; ".join(problems[:3])
        return problem(exc.status_code, detail, exc.headers, problems=problems)
    return problem(exc.status_code, str(exc.detail), exc.headers)


async def validation_problem(request: Request, exc: RequestValidationError) -> JSONResponse:
    """422 for a request that does not fit the API, naming where and why."""
    errors = [
        {"loc": [str(part) for part in e.get("loc", ())], "msg": str(e.get("msg", ""))}
        for e in exc.errors()
    ]
    where = "; ".join(f"{'.'.join(e['loc'])}: {e['msg']}" for e in errors[:3])
    return problem(422, f"The request does not fit the API: {where}", errors=errors)


async def too_many_requests(request: Request, exc: TooManyRequests) -> Response:
    """429 past a rate limit: a page for pages, else a problem; Retry-After either way."""
    if wants_page(request.url.path):
        return pages.too_many_page(request, exc)
    return problem(
        429,
        "Too many requests from this link or address lately; nothing was saved. "
        f"Try again in {exc.retry_after} seconds.",
        exc.headers,
    )


# Errors whose own words say what to change, answered with the status of their kind: a
# change that conflicts with what is stored, and the results service's errors (nothing
# may be shown yet, not as asked, not in a study, no figures of what was asked).
STATUS_OF: dict[type[Exception], int] = {
    Conflict: 409,
    NotShown: 409,
    Refused: 422,
    NotForStudies: 409,
    NoFigures: 404,
    TargetError: 422,
    ConsensusError: 422,
    LeadTaken: 422,
}


async def stated_problem(request: Request, exc: Exception) -> JSONResponse:
    """The error's own words, with the status of its kind (STATUS_OF)."""
    status = next(STATUS_OF[kind] for kind in type(exc).__mro__ if kind in STATUS_OF)
    return problem(status, str(exc))


async def not_reportable_problem(request: Request, exc: NotReportable) -> JSONResponse:
    """422 when no report can be made of the figures yet, said as a sentence."""
    reason = str(exc)
    return problem(422, f"{reason[:1].upper()}{reason[1:]}.")


# A database restarting, or a connection that dropped: the pool replaces the broken
# connections (pre-ping), so the same request succeeds when tried again. Errors of the
# driver itself come from the few queries that use it directly.
async def database_down(request: Request, exc: Exception) -> Response:
    """503 while the database is away or refuses writes (read-only, full)."""
    if isinstance(exc, DBAPIError) and (refusal := refusal_of(exc)) is not None:
        return _refused(request, refusal, exc)
    logger.warning("database unavailable: %s", getattr(exc, "orig", exc))
    return _unavailable(
        request,
        "The database is briefly unavailable; try again (a repeated save is safe).",
        RESTARTING_RETRY_AFTER_SECONDS,
    )


async def database_refused(request: Request, exc: DBAPIError) -> Response:
    """422 for input the database refused; 503 where it refuses writes or lost the
    connection."""
    if (refusal := refusal_of(exc)) is not None:
        return _refused(request, refusal, exc)
    if exc.connection_invalidated:  # the connection broke, whatever the driver called it
        return await database_down(request, exc)
    logger.warning("database refused a statement: %s", exc.orig)
    return problem(422, "The database refused this input; nothing was saved.")


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


Handler = Callable[[Request, Any], Awaitable[Response]]
# Each kind of error and its answer; a subclass's own entry wins over its base class's
# (OperationalError and InterfaceError are DBAPIErrors).
HANDLERS: tuple[tuple[type[Exception], Handler], ...] = (
    (HTTPException, http_problem),
    (RequestValidationError, validation_problem),
    (TooManyRequests, too_many_requests),
    *((error, stated_problem) for error in STATUS_OF),
    (NotReportable, not_reportable_problem),
    (psycopg.InterfaceError, database_down),
    (psycopg.OperationalError, database_down),
    (InterfaceError, database_down),
    (OperationalError, database_down),
    (DBAPIError, database_refused),
)


def install(app: FastAPI) -> None:
    """Answer each kind of error with its handler."""
    for error, handler in HANDLERS:
        app.add_exception_handler(error, handler)
