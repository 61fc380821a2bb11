"""Is the service up, is it ready, and how is it doing: `/healthz` (the process answers),
`/readyz` (the database answers, is migrated to this code's newest migration and takes
writes) and `/metrics` (Prometheus: request latency by route, jobs by kind and status,
reports rendered).

With several web workers (`assess serve --workers N`) each keeps its figures in a file of
the folder PROMETHEUS_MULTIPROC_DIR, and whichever worker answers /metrics adds up all of
them (prometheus_client's multiprocess mode).
"""

from __future__ import annotations

import logging
import os
import re
import time
import uuid
from typing import Any

import structlog
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assess.persistence.engine import head_revision
from assess.persistence.errors import Refusal, RefusedWrites, operator_advice, sqlite_file_problem
from assess.persistence.repository.health import (
    database_read_only,
    database_revision,
    report_jobs_by_status,
)
from assess.persistence.repository.jobs import (
    jobs_by_kind_and_status,
    queue_jobs_by_task_and_status,
    reports_rendered,
)

router = APIRouter(include_in_schema=False)
logger = logging.getLogger("assess")
requests_log = logging.getLogger("assess.requests")
_PLAIN_ID = re.compile(rb"[A-Za-z0-9._-]{1,64}")  # anything else could forge log lines
# Seconds: from a page's few milliseconds to a report's several seconds.
STATUSES = ("queued", "running", "done", "failed")
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is up and answers."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(request: Request) -> JSONResponse:
    """Ready when the database answers, is at this code's newest migration and takes
    writes; else 503 with what is wrong, which the log tells once each time it changes."""
    why = _unready_because(request.app.state)
    _log_change(request.app.state, why)
    if why is not None:
        return _not_ready(why)
    return JSONResponse({"status": "ready", "migration": head_revision()})


def _unready_because(state: Any) -> str | None:
    engine: Engine = state.engine
    expected = head_revision()
    try:
        with engine.connect() as connection:
            found = database_revision(connection)
            read_only = database_read_only(connection)
    except DBAPIError as exc:
        return f"the database does not answer: {type(exc.orig).__name__}"
    if found != expected:
        return (
            f"the database is at migration {found or 'none'}, this code needs {expected}: "
            "run `assess db upgrade`"
        )
    backend = engine.dialect.name
    problem = (
        operator_advice(Refusal.read_only, backend)
        if read_only
        else sqlite_file_problem(engine.url)
    )
    if problem is not None:
        return f"the database accepts no writes: {problem}"
    refused: RefusedWrites = state.refused_writes
    if refused.recent() is Refusal.full:  # no query tells beforehand, a refused write does
        return (
            "the database refused a write in the last minute: "
            f"{operator_advice(Refusal.full, backend)}"
        )
    return None


def _log_change(state: Any, why: str | None) -> None:
    """Log readiness when it differs from what this process last found."""
    if getattr(state, "readiness", "ready") == (why or "ready"):
        return
    state.readiness = why or "ready"
    if why is None:
        logger.info("ready again: the database answers and takes writes")
    else:
        logger.warning("not ready: %s", why)


def _not_ready(why: str) -> JSONResponse:
    return JSONResponse({"status": "not ready", "detail": why}, status_code=503)


@router.get("/metrics")
def metrics(request: Request) -> Response:
    """The service's metrics in Prometheus' text format: of every web worker."""
    return Response(request.app.state.metrics.scrape(), media_type=CONTENT_TYPE_LATEST)


class Metrics:
    """The metrics of one web process: request latency (an ASGI middleware observes it)
    and, read from the database at each scrape, report jobs by status."""

    def __init__(self, engine: Engine) -> None:
        self.registry = CollectorRegistry()
        self.latency = Histogram(
            "assess_request_seconds",
            "Time to answer a request, by method, route and status.",
            ["method", "route", "status"],
            buckets=BUCKETS,
            registry=self.registry,
        )
        # The latency series of each method, route and status, looked up once: finding one
        # by its labels checks and joins them, which cost more than observing.
        self._series: dict[tuple[str, str, int], Any] = {}
        self.jobs = _JobCollector(engine)
        self.registry.register(self.jobs)

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count one request's time in the latency histogram."""
        key = (method, route, status)
        series = self._series.get(key)
        if series is None:
            series = self._series[key] = self.latency.labels(method, route, str(status))
        series.observe(seconds)

    def clear(self) -> None:
        """Forget every request counted so far."""
        self.latency.clear()
        self._series.clear()

    def scrape(self) -> bytes:
        """The figures in Prometheus' text format: this process's, or with several web
        workers, those of all of them added up (and the database's, read once)."""
        if not several_workers():
            return generate_latest(self.registry)
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        registry.register(self.jobs)
        return generate_latest(registry)


def several_workers() -> bool:
    """Whether this process is one of several web workers (`assess serve --workers N`
    gives them a folder for their metrics, see the module's docstring)."""
    return bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))


class _JobCollector:
    """Jobs by kind and status, reports rendered, and on PostgreSQL the job queue's jobs
    by task and status, counted when scraped (so every web process reports the same,
    shared figures)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def collect(self) -> Any:
        try:
            with Session(self.engine) as session:
                counts = report_jobs_by_status(session)
                by_kind = jobs_by_kind_and_status(session)
                rendered = reports_rendered(session)
                queue = (
                    queue_jobs_by_task_and_status(session.connection())
                    if self.engine.dialect.name == "postgresql"
                    else None
                )
        except DBAPIError:
            return  # the database is away: /readyz says so
        family = GaugeMetricFamily(
            "assess_report_jobs", "Report jobs by status.", labels=["status"]
        )
        for status in STATUSES:
            family.add_metric([status], counts.get(status, 0))
        yield family
        jobs = GaugeMetricFamily(
            "assess_jobs",
            "Jobs (report, portfolio, export) by status: queued, running, done, failed.",
            labels=["kind", "status"],
        )
        for kind in ("report", "portfolio", "export"):
            for status in STATUSES:
                jobs.add_metric([kind, status], by_kind.get((kind, status), 0))
        yield jobs
        made = CounterMetricFamily(
            "assess_reports_rendered", "Reports and portfolios made (and still kept)."
        )
        made.add_metric([], rendered)
        yield made
        if queue is not None:
            queued = GaugeMetricFamily(
                "assess_queue_jobs",
                "The PostgreSQL job queue's jobs by task and status (todo, doing, failed, "
                "…); succeeded ones are removed.",
                labels=["task", "status"],
            )
            for (task, status), n in sorted(queue.items()):
                queued.add_metric([task, status], n)
            yield queued


class RequestTiming:
    """ASGI middleware: each HTTP request gets a request id (the caller's X-Request-ID if
    it is a plain token, else a new one), bound to every log line written while it is
    answered and sent back in X-Request-ID; its time goes into the latency histogram
    and one log line, labelled by its route's template (never the address itself, which
    holds ids and tokens)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        request_id = _request_id(scope)
        header = (b"x-request-id", request_id.encode())
        structlog.contextvars.bind_contextvars(request_id=request_id)

        async def sent(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", ()), header]}
            await send(message)

        try:
            await self.app(scope, receive, sent)
        finally:
            seconds = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            method = scope.get("method", "")
            self.metrics.observe(method, route, status, seconds)
            if requests_log.isEnabledFor(logging.INFO):
                requests_log.info(
                    "request",
                    extra={"method": method, "route": route, "status": status,
                           "ms": round(seconds * 1000, 2)},
                )  # fmt: skip
            structlog.contextvars.unbind_contextvars("request_id")


def _request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id" and _PLAIN_ID.fullmatch(value):
            return bytes(value).decode()
    return uuid.uuid4().hex
