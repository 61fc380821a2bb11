"""The application factory: settings, state, middleware, routers and error handlers."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from assess import __version__, jobs
from assess.config import Settings, get_settings, secret_key_of
from assess.mail.delivery.sender import MailSender
from assess.mail.delivery.smtp import MailServer
from assess.persistence.engine import make_engine
from assess.persistence.errors import RefusedWrites
from assess.reporting import workers
from assess.web import console, errors, health, pages
from assess.web.api import (
    assessments,
    benchmarks,
    consensus,
    departments,
    docs,
    exports,
    invitations,
    mail,
    mail_templates,
    openapi,
    organisations,
    people,
    portfolio,
    privacy,
    questionnaires,
    reports,
    research,
    research_benchmarks,
    respond,
    results,
    studies,
    versions,
    workshop,
)
from assess.web.middleware.cross_site import CrossSiteGuard
from assess.web.middleware.guard import BodyGuard
from assess.web.middleware.single_values import CHECKED


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the web application: its settings and state, middleware, routes and errors."""
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
        docs_url=None,  # assess.web.api.docs serves them with their assets
        redoc_url=None,
    )
    _keep_state(app, settings)
    _add_middleware(app, settings)
    _add_routes(app)
    errors.install(app)
    return app


def _keep_state(app: FastAPI, settings: Settings) -> None:
    """What requests share: the settings, the database, the job runner, the mail sender
    and the service's figures."""
    app.state.settings = settings
    app.state.secret_key = secret_key_of(settings)
    app.state.engine = make_engine(settings.database_url, pool_size=settings.database_pool_size)
    # SQLite's statements are this process's own CPU work: where it is the only web
    # process, respondents' requests do theirs in the event loop (see deps.database_work).
    app.state.work_in_loop = (
        app.state.engine.dialect.name == "sqlite" and not health.several_workers()
    )
    app.state.jobs = jobs.runner_for(app.state.engine, settings)
    app.state.mail_sender = _mail_sender(settings, app.state.engine, app.state.secret_key)
    app.state.metrics = health.Metrics(app.state.engine)
    app.state.refused_writes = RefusedWrites()


def _add_middleware(app: FastAPI, settings: Settings) -> None:
    """The guards every request passes, the last added outermost."""
    app.add_middleware(BodyGuard, max_bytes=settings.max_body_bytes)
    # Outside the body guard: another site's form is refused before its body is read.
    app.add_middleware(CrossSiteGuard, public_url=settings.public_url)
    app.add_middleware(health.RequestTiming, metrics=app.state.metrics)  # outermost: all of it


def _add_routes(app: FastAPI) -> None:
    """The respondents' API and pages, the JSON API, the console, health and the API's
    documentation."""
    # The busiest routes first, the respondents' API and pages: a request is matched
    # against the routers in order, and trying every other router first cost each page
    # about a sixth of its time in the app (bench/pages.py).
    app.include_router(respond.router)
    pages.install(app)
    api = (
        questionnaires,
        organisations,
        assessments,
        invitations,
        departments,
        mail,
        mail_templates,
        results,
        consensus,
        people,
        privacy,
        reports,
        portfolio,
        benchmarks,
        versions,
        workshop,
        studies,
        research,
        exports,
        research_benchmarks,
    )
    for module in api:
        app.include_router(module.router, dependencies=CHECKED)
    console.install(app)
    app.include_router(health.router)
    openapi.install(app)
    docs.install(app)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """On start, resume the jobs and the mail sender; on stop, end them and the report
    workers."""
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
