"""Jobs in a PostgreSQL-backed queue (procrastinate): the web processes only put jobs in
the queue; `assess worker` processes take them (FOR UPDATE SKIP LOCKED, woken by
LISTEN/NOTIFY), retry what failed on our side with a doubling wait, and send heartbeats.
A worker that stops sending them (killed, out of memory) is taken for dead after
ASSESS_JOB_STALLED_SECONDS: any other worker puts its jobs back in the queue, and one
that died on every try fails for good.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any, ClassVar

import procrastinate
import psycopg
from procrastinate import exceptions as queue_errors
from procrastinate.job_context import JobContext
from procrastinate.jobs import Job, Status
from procrastinate.retry import BaseRetryStrategy, RetryDecision
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from assess.config import Settings
from assess.jobs import QueueUnavailable
from assess.jobs.tasks import REFUSALS, TASKS, Attempt, give_up, job_lock, pending_jobs
from assess.persistence.engine import make_engine

logger = logging.getLogger("assess.jobs")
# The first wait before a worker whose database failed takes jobs again, and the longest.
RESTART_WAIT_SECONDS = 1.0
RESTART_WAIT_MAX_SECONDS = 30.0


def conninfo(database_url: str) -> str:
    """A libpq address for psycopg from the SQLAlchemy URL of ASSESS_DATABASE_URL."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


def task_name(task: str) -> str:
    """The queue's name of a task."""
    return f"assess.{task}"


class QueueRunner:
    """Puts jobs in the queue from a web process; a worker runs them."""

    _open: ClassVar[dict[str, QueueRunner]] = {}
    _open_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, database_url: str) -> None:
        self.app = procrastinate.App(
            connector=procrastinate.SyncPsycopgConnector(
                conninfo=conninfo(database_url), min_size=1, max_size=4
            )
        )
        self._opened = False
        self._lock = threading.Lock()

    @classmethod
    def of(cls, database_url: str) -> QueueRunner:
        """The process's runner for a database (its connections are shared)."""
        with cls._open_lock:
            if database_url not in cls._open:
                cls._open[database_url] = cls(database_url)
            return cls._open[database_url]

    def defer(self, task: str, **arguments: Any) -> None:
        """Put a job in the queue; QueueUnavailable if the database does not take it."""
        lock = job_lock(task, arguments)
        try:
            self._ensure_open()
            self.app.configure_task(task_name(task), lock=lock, queueing_lock=lock).defer(
                **arguments
            )
        except queue_errors.AlreadyEnqueued:
            pass  # the waiting job does the same
        except (queue_errors.ProcrastinateException, psycopg.Error) as exc:
            raise QueueUnavailable(str(exc)) from exc

    def resume(self, engine: Engine) -> None:
        """Queue records left queued without a job (a web process that stopped between
        keeping the record and queueing it); a record already queued is left alone."""
        try:
            for task, job_id, _ in pending_jobs(engine):
                self.defer(task, job_id=job_id)
        except (DBAPIError, QueueUnavailable) as exc:  # /readyz tells about the database
            logger.warning("queued jobs not handed on at start: %s", exc)

    def close(self) -> None:
        """Nothing to stop: the connections are the process's, shared by its apps."""

    def _ensure_open(self) -> None:
        with self._lock:
            if self._opened:
                return
            try:
                self.app.open()
            except BaseException:
                self.app.close()  # a pool that never opened is made anew next time
                raise
            self._opened = True


class Backoff(BaseRetryStrategy):
    """Try a job that failed on our side again after 1, 2, 4 … times the base wait, up
    to ASSESS_JOB_ATTEMPTS tries; a refused request is never tried again."""

    def __init__(self, settings: Settings) -> None:
        self.attempts = settings.job_attempts
        self.seconds = settings.job_backoff_seconds

    def get_retry_decision(self, *, exception: BaseException, job: Job) -> RetryDecision | None:
        """When to try again, or None to fail for good."""
        if isinstance(exception, REFUSALS) or job.attempts + 1 >= self.attempts:
            return None
        return RetryDecision(retry_in={"seconds": self.seconds * 2**job.attempts})


def _runs(task: Callable[..., Any]) -> Callable[..., None]:
    """The queue's entry to a task: the worker's engine and settings, and which try."""

    def run(context: JobContext, **arguments: Any) -> None:
        engine: Engine = context.additional_context["engine"]
        settings: Settings = context.additional_context["settings"]
        attempt = Attempt(engine, settings, context.job.attempts, retaking=True)
        task(attempt, **arguments)

    run.__name__ = task.__name__
    return run


def worker_app(settings: Settings) -> procrastinate.App:
    """The queue with every task, for a worker."""
    app = procrastinate.App(
        connector=procrastinate.PsycopgConnector(conninfo=conninfo(settings.database_url))
    )
    for name, task in TASKS.items():
        app.task(name=task_name(name), pass_context=True, retry=Backoff(settings))(_runs(task))
    return app


async def work(
    settings: Settings,
    *,
    concurrency: int,
    engine: Engine | None = None,
    handle_signals: bool = True,
) -> None:
    """Run jobs until stopped (SIGINT, SIGTERM, or cancelled): `concurrency` at once,
    and put back the jobs of workers that stopped answering."""
    engine = engine or make_engine(settings.database_url, pool_size=concurrency + 2)
    app = worker_app(settings)
    async with app.open_async():
        recovery = asyncio.create_task(_recover_stalled(app, engine, settings))
        try:
            await _outlast_database_failures(
                lambda: app.run_worker_async(
                    concurrency=concurrency,
                    additional_context={"engine": engine, "settings": settings},
                    install_signal_handlers=handle_signals,
                    update_heartbeat_interval=settings.job_stalled_seconds / 4,
                    stalled_worker_timeout=settings.job_stalled_seconds,
                    delete_jobs="successful",  # their records keep the outcome
                    # New jobs wake the worker at once (LISTEN/NOTIFY); retries are due
                    # later and are found by polling.
                    fetch_job_polling_interval=1.0,
                )
            )
        finally:
            recovery.cancel()


async def _outlast_database_failures(run: Callable[[], Awaitable[None]]) -> None:
    """Run the worker until it stops; when the database fails under it (read-only after a
    failover, full, gone), say so and start it again after a wait that doubles up to
    RESTART_WAIT_MAX_SECONDS. The jobs it was running are put back by stalled recovery."""
    wait = RESTART_WAIT_SECONDS
    while True:
        started = time.monotonic()
        try:
            await run()
            return
        except (queue_errors.ConnectorException, psycopg.Error) as exc:
            cause = exc.__cause__ or exc
            if time.monotonic() - started > RESTART_WAIT_MAX_SECONDS:
                wait = RESTART_WAIT_SECONDS  # it worked for a while: a new spell of failures
            said = (str(cause).strip().splitlines() or [""])[0]
            logger.error(
                "the job queue's database failed under the worker (%s: %s); it takes jobs "
                "again in %.0f s",
                type(cause).__name__,
                said,
                wait,
            )
            await asyncio.sleep(wait)
            wait = min(wait * 2, RESTART_WAIT_MAX_SECONDS)


async def _recover_stalled(app: procrastinate.App, engine: Engine, settings: Settings) -> None:
    while True:
        try:
            await recover_stalled(app, engine, settings)
        except queue_errors.ProcrastinateException:
            logger.exception("looking for jobs of stopped workers failed; trying again")
        await asyncio.sleep(max(settings.job_stalled_seconds / 2, 0.5))


async def recover_stalled(app: procrastinate.App, engine: Engine, settings: Settings) -> int:
    """Put back in the queue the jobs of workers silent for ASSESS_JOB_STALLED_SECONDS
    (a job that died with its worker on every try fails for good); how many."""
    stalled = list(
        await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=settings.job_stalled_seconds)
    )
    for job in stalled:
        task = job.task_name.removeprefix("assess.")
        try:
            if job.attempts + 1 >= settings.job_attempts:
                await app.job_manager.finish_job(job, status=Status.FAILED, delete_job=False)
                why = f"its worker stopped during each of {job.attempts + 1} tries"
                await asyncio.to_thread(give_up, engine, task, job.task_kwargs, why)
                logger.error("%s job %s failed for good: %s", task, job.id, why)
            else:
                await app.job_manager.retry_job(job)
                logger.warning("%s job %s of a stopped worker runs again", task, job.id)
        except queue_errors.ConnectorException:
            continue  # another worker put it back first
    return len(stalled)
