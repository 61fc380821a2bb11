"""The respondent's form in the browser: server-rendered pages that work without
JavaScript, in German and English."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles

from assess.web.pages.routes import router
from assess.web.pages.study import router as study_router
from assess.web.pages.submitted import router as submitted_router
from assess.web.pages.visit import PageProblem, Visit, render, request_language
from assess.web.rate_limits import TooManyRequests

STATIC_DIR = Path(__file__).parent.parent / "static"


def install(app: FastAPI) -> None:
    """Add the respondent's pages and a study's public link, their stylesheet, script and
    icon, and their error pages."""
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_api_route("/favicon.ico", _favicon, include_in_schema=False)
    app.include_router(router)
    app.include_router(submitted_router)
    app.include_router(study_router)
    app.add_exception_handler(PageProblem, _problem_page)  # type: ignore[arg-type]


def _favicon() -> FileResponse:
    """The icon browsers and tools ask for at /favicon.ico (the pages link the SVG one)."""
    headers = {"Cache-Control": "public, max-age=86400"}
    return FileResponse(STATIC_DIR / "favicon.ico", media_type="image/x-icon", headers=headers)


async def _problem_page(request: Request, problem: PageProblem) -> HTMLResponse:
    """A friendly page for a link that cannot be used as asked, in the visitor's language."""
    context = {"posted": False, "submitted_at": None, **problem.details, "kind": problem.kind}
    visit: Visit | None = context.pop("visit", None)
    if visit is not None:
        return visit.render("respondent/problem.html.j2", problem.status, **context)
    template = "respondent/problem.html.j2"
    return render(request, template, problem.language, problem.status, **context)


def too_many_page(request: Request, refused: TooManyRequests) -> HTMLResponse:
    """The page past a rate limit, in the language the request asks for, with Retry-After."""
    response = _wait_page(request, 429, "too_many", refused.retry_after)
    response.headers.update(refused.headers)
    return response


def unavailable_page(request: Request, retry_after: int) -> HTMLResponse:
    """The page when the database cannot take the request now (restarting, read-only or
    full), in the language the request asks for, with Retry-After."""
    response = _wait_page(request, 503, "unavailable", retry_after)
    response.headers["Retry-After"] = str(retry_after)
    return response


def _wait_page(request: Request, status: int, kind: str, retry_after: int) -> HTMLResponse:
    return render(
        request,
        "respondent/problem.html.j2",
        request_language(request),
        status,
        kind=kind,
        posted=request.method == "POST",
        submitted_at=None,
        retry_after=retry_after,
    )
