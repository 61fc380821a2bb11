"""The processes that render reports, and what runs in them.

Rendering (matplotlib, WeasyPrint) is CPU work of a second or more per report; in the
web process it would hold the interpreter while other requests wait. A rendering process
is given everything a report is made from (questionnaire, responses, who and what) and
gives back the file: it never opens the database, so it loads neither SQLAlchemy nor
the web stack.

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
import re
import threading
import unicodedata
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from assess.reporting.inputs import Inputs

if TYPE_CHECKING:
    from assess.config import Settings
    from assess.reporting.content import Report
    from assess.reporting.overview import Overview

T = TypeVar("T")
# A process is replaced after this many tasks, so memory that renderers keep cannot grow.
TASKS_PER_PROCESS = 50
PRELOAD = ["assess.reporting.warm"]

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


def _lower_priority(niceness: int) -> None:
    """Run this rendering process `niceness` steps below its parent's CPU priority."""
    if niceness:
        os.nice(niceness)


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
                    initializer=_lower_priority,
                    initargs=(processes.niceness,),
                )
            try:
                return _pool.submit(work, *args)
            except BrokenProcessPool:
                _pool.shutdown(wait=False, cancel_futures=False)
                _pool = None
                if attempt == 2:
                    raise
    raise AssertionError("unreachable")


def _report(inputs: Inputs) -> Report:
    from assess.reporting.render import build_report

    return build_report(
        inputs.questionnaire,
        inputs.responses,
        language=inputs.language,
        meta=inputs.meta,
        branding=inputs.branding,
        verdicts=inputs.verdicts,
        extremes=inputs.extremes,
    )


def render_pdf(inputs: Inputs) -> tuple[bytes, str]:
    """The report's PDF and a file name for it; ReportError if it cannot be made."""
    from assess.reporting.render import pdf_of

    report = _report(inputs)
    return pdf_of(report), file_name(report)


def report_content(inputs: Inputs) -> Report:
    """The report's figures and charts, for a page that lays them out itself."""
    return _report(inputs)


def render_html(inputs: Inputs) -> str:
    """The report as one self-contained HTML page."""
    from assess.reporting.render import html_of

    return html_of(_report(inputs), standalone=True)


def render_overview(overview: Overview) -> bytes:
    """A portfolio's overview page as PDF."""
    from assess.reporting.overview import overview_pdf

    return overview_pdf(overview)


def file_name(report: Report) -> str:
    """A file name for a report's PDF: organisation, assessment, wave and language."""
    meta = report.meta
    parts = [meta.organisation, meta.assessment, meta.wave or "", report.language]
    return "-".join(slug(part) for part in parts if slug(part)) + ".pdf"


def slug(text: str) -> str:
    """Plain ASCII letters, digits and hyphens, for file names any system accepts."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower()[:60]
