"""Jobs run by the web process itself (SQLite): the embedded default needs no second
process. A job runs on a thread of a small pool; rendering still happens in the
rendering processes (`assess.reporting.workers`). A try that fails on our side is
tried again after a wait that doubles each time.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from assess.config import Settings
from assess.jobs.tasks import TASKS, Attempt, pending_jobs

logger = logging.getLogger("assess.jobs")


class LocalRunner:
    """Runs jobs on threads of this process, with retries."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine, self.settings = engine, settings
        self._threads: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._closed = False

    def defer(self, task: str, **arguments: Any) -> None:
        """Run a job in the background."""
        self._submit(task, arguments, 0)

    def resume(self, engine: Engine) -> None:
        """Run jobs that were queued when a web process stopped (a job is claimed once,
        so several processes doing this at once is harmless)."""
        try:
            for task, job_id in pending_jobs(engine):
                self.defer(task, job_id=job_id)
        except DBAPIError as exc:  # /readyz tells about the database
            logger.warning("queued jobs not handed on at start: %s", exc)

    def close(self) -> None:
        """Take no more jobs; those running finish on their threads."""
        with self._lock:
            self._closed = True
            if self._threads is not None:
                self._threads.shutdown(wait=False, cancel_futures=True)

    def _submit(self, task: str, arguments: dict[str, Any], number: int) -> None:
        with self._lock:
            if self._closed:
                return
            if self._threads is None:
                self._threads = ThreadPoolExecutor(
                    self.settings.report_workers, thread_name_prefix="assess-job"
                )
            self._threads.submit(self._run, task, arguments, number)

    def _run(self, task: str, arguments: dict[str, Any], number: int) -> None:
        attempt = Attempt(self.engine, self.settings, number, retaking=number > 0)
        try:
            TASKS[task](attempt, **arguments)
        except Exception:
            logger.exception(
                "%s job failed (try %d of %d)",
                task,
                number + 1,
                self.settings.job_attempts,
                extra={"task": task, "arguments": arguments},
            )
            if attempt.final:
                return
            wait = self.settings.job_backoff_seconds * 2**number
            timer = threading.Timer(wait, self._submit, (task, arguments, number + 1))
            timer.daemon = True
            timer.start()
