"""Serving the web application in one process, or in several web workers that share
nothing but the database, the server's key and a folder where each keeps its metrics."""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from sqlalchemy.engine import make_url

from assess.cli.arguments import fail
from assess.cli.settings_check import NEW_KEY
from assess.config import Settings, get_settings, secret_key_of

if TYPE_CHECKING:
    from fastapi import FastAPI

# Where prometheus_client's multiprocess mode keeps each process's figures; read when a
# process imports the client, so set before the workers start.
METRICS_DIR = "PROMETHEUS_MULTIPROC_DIR"
KEEP_ALIVE_SECONDS = 75


def create_worker_app() -> FastAPI:
    """The application, in a process uvicorn started: a worker process starts without the
    service's logging, so it is configured here first."""
    from assess.logs import configure as configure_logs
    from assess.main import create_app

    settings = get_settings()
    configure_logs(settings.log_format)
    # Report jobs work out confidence intervals with scipy.stats in this process. Imported
    # on first use, it would hold the interpreter for a second or more (several on a busy
    # machine) while every request in flight waits, long enough for uvicorn's supervisor
    # to take the worker for hung and kill it.
    import scipy.stats  # noqa: F401

    if os.environ.get(METRICS_DIR):
        from prometheus_client import multiprocess

        # Live gauges of a stopped worker would otherwise be counted on as if it ran.
        atexit.register(multiprocess.mark_process_dead, os.getpid())
    return create_app(settings)


def shared_key_problem(settings: Settings) -> str | None:
    """Why several workers could not sign and check form tokens and links with one key;
    None when they can: a key set, or one kept in a file beside a SQLite database."""
    if settings.secret_key is not None:
        return None
    url = make_url(settings.database_url)
    if url.get_backend_name() != "sqlite":
        return (
            "several workers must share the key that signs form tokens and derives "
            f"respondents' links: set ASSESS_SECRET_KEY (make one with {NEW_KEY}) and keep it"
        )
    if url.database in (None, "", ":memory:"):
        return (
            "an in-memory SQLite database would be a database of each worker's own: "
            "give ASSESS_DATABASE_URL a file, or serve with one worker"
        )
    secret_key_of(settings)  # made now, before the workers race to make it
    if not Path(f"{url.database}.key").is_file():
        return (
            f"the server's key cannot be kept in {url.database}.key for the workers to "
            f"share: let the service write there, or set ASSESS_SECRET_KEY (make one with "
            f"{NEW_KEY})"
        )
    return None


@contextmanager
def metrics_folder() -> Iterator[Path]:
    """An empty folder for the workers' metrics, in PROMETHEUS_MULTIPROC_DIR for them: the
    operator's if set (emptied first: figures of processes gone would count on), else a
    temporary one, removed afterwards."""
    given = os.environ.get(METRICS_DIR)
    if given:
        folder = Path(given)
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*.db"):
            stale.unlink()
        yield folder
        return
    made = Path(tempfile.mkdtemp(prefix="assess-metrics-"))
    os.environ[METRICS_DIR] = str(made)
    try:
        yield made
    finally:
        del os.environ[METRICS_DIR]
        shutil.rmtree(made, ignore_errors=True)


def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    reload: Annotated[bool, typer.Option(help="Restart on code changes.")] = False,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Web worker processes (sharing the database).")
    ] = 1,
) -> None:
    """Serve the web application and the JSON API."""
    import uvicorn

    from assess.logs import configure as configure_logs

    settings = get_settings()
    configure_logs(settings.log_format)
    if workers > 1 and reload:
        fail("--reload restarts one process: serve with --workers 1 to use it")
    problem = shared_key_problem(settings) if workers > 1 else None
    if problem is not None:
        fail(f"--workers {workers}: {problem}")
    with metrics_folder() if workers > 1 else contextlib.nullcontext():
        uvicorn.run(
            "assess.cli.serve:create_worker_app",
            factory=True,
            host=host or settings.host,
            port=port or settings.port,
            reload=reload,
            workers=workers,
            log_config=None,  # each process configures the logs, uvicorn's included
            access_log=False,  # each request is logged once, with its request id (web/health.py)
            # Longer than load balancers keep idle connections (60 s is usual): after
            # uvicorn's default 5 s, a balancer could send a request on a connection just
            # being closed, and answer it with a 502.
            timeout_keep_alive=KEEP_ALIVE_SECONDS,
        )
