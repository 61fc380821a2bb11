"""The application factory: settings, questionnaires, routers and error handlers."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.exceptions import HTTPException

from assess import __version__
from assess.catalogue import Catalogue
from assess.config import Settings, get_settings
from assess.web import api

logger = logging.getLogger("assess")
PROBLEM = "application/problem+json"


def problem(status: int, title: str, detail: str, **extra: object) -> JSONResponse:
    """An RFC 9457 problem response."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the web application."""
    settings = settings or get_settings()
    app = FastAPI(
        title="assess",
        version=__version__,
        description="Customer experience maturity: questionnaires, scores, benchmarks, reports.",
    )
    app.state.settings = settings
    app.state.catalogue = Catalogue(settings.questionnaires_dir)
    for found in app.state.catalogue.problems:
        logger.warning("questionnaire skipped: %s", found)
    app.include_router(api.router)

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/docs")

    @app.exception_handler(HTTPException)
    async def http_problem(request: Request, exc: HTTPException) -> JSONResponse:
        title = {404: "Not found", 405: "Method not allowed"}.get(exc.status_code, "Error")
        return problem(exc.status_code, title, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def validation_problem(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors()]
        return problem(422, "Invalid request", "The request does not fit the API.", errors=errors)

    return app
