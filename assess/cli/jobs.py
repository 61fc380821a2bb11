"""`assess worker` (runs jobs from the PostgreSQL queue) and `assess jobs list` (what
operators look at: jobs by kind and status, and those that failed for good)."""

from __future__ import annotations

import asyncio
import logging
from typing import Annotated

import typer
from sqlmodel import Session

from assess.config import get_settings
from assess.persistence.engine import make_engine
from assess.persistence.repository.jobs import (
    failed_jobs,
    failed_queue_jobs,
    jobs_by_kind_and_status,
)

jobs_app = typer.Typer(help="Background jobs: reports, exports, score snapshots.")
logger = logging.getLogger("assess.jobs")
SQLITE_RUNS_JOBS = (
    "ASSESS_DATABASE_URL is a SQLite database: the web process (`assess serve`) runs "
    "reports, exports and snapshots itself, and no worker is needed. `assess worker` "
    "takes jobs from the PostgreSQL job queue; use it with a postgresql+psycopg:// URL."
)


def worker(
    concurrency: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=64,
            help="Jobs at once (default: ASSESS_REPORT_WORKERS, the processes "
            "that render reports).",
        ),
    ] = None,
) -> None:
    """Run jobs from the PostgreSQL job queue until stopped (SIGTERM or Ctrl-C: the jobs
    running finish first)."""
    from assess.logs import configure as configure_logs

    settings = get_settings()
    engine = make_engine(settings.database_url, pool_size=(concurrency or 2) + 2)
    if engine.dialect.name != "postgresql":
        typer.echo(SQLITE_RUNS_JOBS, err=True)
        raise typer.Exit(1)
    configure_logs(settings.log_format)
    problem = _queue_problem(settings.database_url)
    if problem is not None:
        typer.echo(problem, err=True)
        raise typer.Exit(1)
    from assess.jobs.queue import work
    from assess.reporting import workers

    used = concurrency or settings.report_workers
    logger.info("job worker started", extra={"concurrency": used})
    try:
        asyncio.run(work(settings, concurrency=used, engine=engine))
    finally:
        workers.shut_down()  # the fork server ends with the worker
    logger.info("job worker stopped")


def _queue_problem(database_url: str) -> str | None:
    """What keeps a worker from using the queue, if anything."""
    import psycopg

    from assess.jobs.queue import conninfo

    try:
        with psycopg.connect(conninfo(database_url), connect_timeout=10) as connection:
            found = connection.execute("SELECT to_regclass('procrastinate_jobs')").fetchone()
    except psycopg.Error as exc:
        return f"the database does not answer: {str(exc).strip()}"
    if found is None or found[0] is None:
        return "the database has no job queue yet: run `assess db upgrade`"
    return None


@jobs_app.command("list")
def list_jobs(
    failed: Annotated[
        bool, typer.Option("--failed", help="The jobs that failed for good, with their errors.")
    ] = False,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="Most jobs to show.")] = 50,
) -> None:
    """Jobs by kind and status; with --failed, each job that failed for good."""
    engine = make_engine(get_settings().database_url)
    with Session(engine) as session:
        if not failed:
            counts = jobs_by_kind_and_status(session)
            for (kind, status), n in sorted(counts.items()):
                typer.echo(f"{kind:<10} {status:<8} {n}")
            if not counts:
                typer.echo("no jobs")
            return
        shown = failed_jobs(session, limit=limit)
        for job in shown:
            when = job.finished_at.isoformat(timespec="seconds") if job.finished_at else "-"
            typer.echo(f"{job.kind:<10} {job.id} {when} tries={job.attempts}")
            typer.echo(f"  told the requester: {job.error}")
            if job.failure:
                typer.echo(f"  on our side: {job.failure}")
        queue = (
            failed_queue_jobs(session.connection(), limit=limit)
            if engine.dialect.name == "postgresql"
            else []
        )
    for job_id, task, arguments, attempts in queue:
        typer.echo(f"queue job {job_id} {task} {arguments} tries={attempts + 1}")
    if not shown and not queue:
        typer.echo("no failed jobs")
