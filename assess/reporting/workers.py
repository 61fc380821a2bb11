"""The processes that render reports, and what runs in them.

Rendering (matplotlib, WeasyPrint) is CPU work of a second or more per report; in the
web process it would hold the interpreter while other requests wait. A rendering process
is given everything a report is made from (questionnaire, scores, who and what) and the
templates folder that the asking process's settings name, and gives back the file: it
never opens the database, so it loads neither SQLAlchemy nor the web stack.

Rendering processes are forked from a fork server that has loaded and warmed the
renderers once (see `assess.reporting.warm`): a new process starts in milliseconds
instead of a second, and the renderers' code, fonts and caches stay in pages shared
by all of them. Only what one report needs is each process's own.

Rendering processes run at a lower CPU priority than the process that started them
(ASSESS_RENDER_NICENESS): on a host whose cores are busy, a respondent's save is served
before a report's next page is laid out, and an idle host renders at full speed.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from assess.domain.formatting import slug
from assess.reporting.inputs import Inputs, OwnInputs

if TYPE_CHECKING:
    from assess.config import Settings
    from assess.reporting.content import Report
    from assess.reporting.overview import Overview

T = TypeVar("T")
# A process is replaced after this many tasks, so memory that renderers keep cannot grow.
TASKS_PER_PROCESS = 50
PRELOAD = ["assess.reporting.warm"]
# How often a rendering process looks whether the service that started it still runs.
SERVICE_CHECK_SECONDS = 1.0

_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()


@dataclass(frozen=True)
class Processes:
    """How many rendering processes there are, and how many steps of CPU priority
    (nice) below their parent they run."""

    count: int
    niceness: int = 0

    @classmethod
    def of(cls, settings: Settings) -> Processes:
        """The rendering processes `settings` ask for."""
        return cls(settings.report_workers, settings.render_niceness)


def _start(niceness: int, service: int) -> None:
    """Set up a rendering process: `niceness` steps below its parent's CPU priority, and
    ended when the service process that made the pool is gone."""
    if niceness:
        os.nice(niceness)
    threading.Thread(
        target=_end_with, args=(service,), name="end-with-service", daemon=True
    ).start()


def _end_with(service: int) -> None:
    """End this process once `service` has ended. A rendering process is the fork
    server's child, not the service's, and holds the fork server's and the resource
    tracker's pipes open: a service killed before it could shut the pool down (or one
    that made a pool while shutting down) would leave all three running."""
    while _running(service):
        time.sleep(SERVICE_CHECK_SECONDS)
    os._exit(0)


def _running(pid: int) -> bool:
    """Whether the process runs; one that ended and waits to be reaped does not."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True  # no /proc to tell a zombie by: it runs until it is reaped


def submit(processes: Processes, work: Callable[..., T], *args: Any) -> Future[T]:
    """Run `work(*args)` in a rendering process; a pool whose process died is replaced.
    The first call's `processes` make the pool; it lasts as long as this process."""
    global _pool
    with _pool_lock:
        for attempt in (1, 2):
            if _pool is None:
                context = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload(PRELOAD)
                _pool = ProcessPoolExecutor(
                    max_workers=processes.count,
                    mp_context=context,
                    max_tasks_per_child=TASKS_PER_PROCESS,
                    initializer=_start,
                    initargs=(processes.niceness, os.getpid()),
                )
            try:
                return _pool.submit(work, *args)
            except BrokenProcessPool:
                _pool.shutdown(wait=False, cancel_futures=False)
                _pool = None
                if attempt == 2:
                    raise
    raise AssertionError("unreachable")


def shut_down() -> None:
    """End the rendering processes, once the reports they render are done (those waiting
    are cancelled), so the fork server and the resource tracker end with this process.

    Both last as long as some process holds their pipe's end: the rendering processes
    forked from the fork server hold them too, so without this they outlive a stopped
    service. A later `submit` makes a new pool."""
    global _pool
    with _pool_lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


def _report(inputs: Inputs) -> Report:
    from assess.reporting.render import build_report

    return build_report(
        inputs.questionnaire,
        inputs.scores,
        language=inputs.language,
        meta=inputs.meta,
        branding=inputs.branding,
        extremes=inputs.extremes,
    )


def render_pdf(inputs: Inputs, templates: Path) -> tuple[bytes, str]:
    """The report's PDF and a file name for it; ReportError if it cannot be made."""
    from assess.reporting.render import pdf_of

    report = _report(inputs)
    return pdf_of(report, templates=templates), file_name(report)


def report_content(inputs: Inputs) -> Report:
    """The report's figures and charts, for a page that lays them out itself."""
    return _report(inputs)


def render_html(inputs: Inputs, templates: Path) -> str:
    """The report as one self-contained HTML page."""
    from assess.reporting.render import html_of

    return html_of(_report(inputs), templates=templates, standalone=True)


def render_own_pdf(inputs: OwnInputs, templates: Path) -> tuple[bytes, str]:
    """A respondent's own one-page PDF and a file name for it."""
    from assess.reporting.own import own_pdf

    return own_pdf(inputs, templates=templates)


def render_overview(overview: Overview, templates: Path) -> bytes:
    """A portfolio's overview page as PDF."""
    from assess.reporting.overview import overview_pdf

    return overview_pdf(overview, templates)


def file_name(report: Report) -> str:
    """A file name for a report's PDF: organisation, assessment, wave and language."""
    meta = report.meta
    parts = [meta.organisation, meta.assessment, meta.wave or "", report.language]
    return "-".join(slug(part) for part in parts if slug(part)) + ".pdf"
