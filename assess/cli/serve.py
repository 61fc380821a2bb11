"""Serving the web application in one process, or in several web workers that share
nothing but the database, the server's key and a folder where each keeps its metrics."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi import FastAPI
from sqlalchemy.engine import make_url

from assess.cli.settings_check import NEW_KEY
from assess.config import Settings, get_settings, secret_key_of

# Where prometheus_client's multiprocess mode keeps each process's figures; read when a
# process imports the client, so set before the workers start.
METRICS_DIR = "PROMETHEUS_MULTIPROC_DIR"


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
