"""The worker pool that renders reports outlives a worker that dies."""

from __future__ import annotations

import operator
import os
import sys
from concurrent.futures.process import BrokenProcessPool

import pytest

from assess.domain.formatting import slug
from assess.reporting import workers

ONE = workers.Processes(1)


def test_a_pool_whose_worker_died_is_replaced_for_the_next_job() -> None:
    dying = workers.submit(ONE, os._exit, 3)
    with pytest.raises(BrokenProcessPool):
        dying.result(timeout=120)
    assert workers.submit(ONE, operator.add, 2, 3).result(timeout=120) == 5


def test_rendering_processes_run_at_a_lower_cpu_priority_than_their_parent() -> None:
    dying = workers.submit(ONE, os._exit, 3)  # the next call makes a new pool
    with pytest.raises(BrokenProcessPool):
        dying.result(timeout=120)
    lowered = workers.submit(workers.Processes(1, niceness=7), os.nice, 0).result(timeout=120)
    assert lowered == min(os.nice(0) + 7, 19)


def test_file_names_are_plain_ascii() -> None:
    assert slug("Müller & Söhne GmbH / 2026") == "muller-sohne-gmbh-2026"
    assert slug("<script>") == "script"
    assert slug("日本") == ""


def _loaded(names: tuple[str, ...]) -> dict[str, bool]:
    return {name: name in sys.modules for name in names}


def test_rendering_processes_start_warm_and_load_no_database_code() -> None:
    names = ("weasyprint", "matplotlib", "sqlalchemy", "sqlmodel", "fastapi", "pandas")
    loaded = workers.submit(ONE, _loaded, names).result(timeout=120)
    assert loaded == {
        "weasyprint": True,  # loaded and warmed by the fork server
        "matplotlib": True,
        "sqlalchemy": False,
        "sqlmodel": False,
        "fastapi": False,
        "pandas": False,
    }
