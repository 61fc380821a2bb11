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
from assess.jobs.tasks import TASKS, Attempt, give_up, job_lock, pending_jobs
from assess.persistence.models.common import utcnow

logger = logging.getLogger("assess.jobs")


class LocalRunner:
    """Runs jobs on threads of this process, with retries."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine, self.settings = engine, settings
        self.started = utcnow()  # a job running since before then has no process left
        self._threads: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._closed = False
        self._waiting: set[str] = set()  # job locks of jobs submitted but not started

    def defer(self, task: str, **arguments: Any) -> None:
        """Run a job in the background."""
        self._submit(task, arguments, 0)

    def resume(self, engine: Engine) -> None:
        """Run jobs that were queued when a web process stopped, and those a process that
        stopped before this one started left running (killed, or the machine went down):
        their next try. One that was running on each of its tries fails for good, with
        its cause kept, so a job that brings the process down cannot do so for ever. A
        job is claimed once, so processes starting side by side run it once; a sibling's
        job taken in the moment between their starts runs twice, and one of them keeps
        the outcome."""
        try:
            for task, job_id, tries in pending_jobs(engine, running_before=self.started):
                if tries >= self.settings.job_attempts:
                    why = f"the service stopped during each of its {tries} tries"
                    give_up(engine, task, {"job_id": job_id}, why)
                    logger.error("%s job %s failed for good: %s", task, job_id, why)
                    continue
                if tries:
                    logger.warning("%s job %s of a stopped process runs again", task, job_id)
                self._submit(task, {"job_id": job_id}, tries)
        except DBAPIError as exc:  # /readyz tells about the database
            logger.warning("queued jobs not handed on at start: %s", exc)

    def close(self) -> None:
        """Take no more jobs; those running finish on their threads."""
        with self._lock:
            self._closed = True
            if self._threads is not None:
                self._threads.shutdown(wait=False, cancel_futures=True)

    def _submit(self, task: str, arguments: dict[str, Any], number: int) -> None:
        lock = job_lock(task, arguments)
        with self._lock:
            if self._closed or lock in self._waiting:
                return  # as the queue does: the waiting job does the same
            if self._threads is None:
                self._threads = ThreadPoolExecutor(
                    self.settings.report_workers, thread_name_prefix="assess-job"
                )
            self._waiting.add(lock)
            self._threads.submit(self._run, task, arguments, number)

    def _run(self, task: str, arguments: dict[str, Any], number: int) -> None:
        with self._lock:
            self._waiting.discard(job_lock(task, arguments))
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
