"""Jobs in the web process (SQLite) wait as the queue's do: a request for the same
record while one waits is done by the waiting job (many closes of one pool, one
computation of its large peer groups)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import create_engine

from assess.config import Settings
from assess.jobs.local import LocalRunner
from assess.jobs.tasks import TASKS


def test_requests_while_a_job_of_the_same_pool_waits_are_done_by_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    started, release = threading.Event(), threading.Event()
    runs: list[str] = []

    def slow(attempt: Any, pool_key: str) -> None:
        runs.append(pool_key)
        started.set()
        release.wait(10)

    monkeypatch.setitem(TASKS, "peer_groups", slow)
    runner = LocalRunner(create_engine("sqlite://"), Settings(report_workers=1))
    runner.defer("peer_groups", pool_key="a")
    assert started.wait(10)  # running: no longer waiting
    for _ in range(5):
        runner.defer("peer_groups", pool_key="a")  # one waits, the others join it
    runner.defer("peer_groups", pool_key="b")
    release.set()
    assert runner._threads is not None
    runner._threads.shutdown(wait=True)
    assert runs == ["a", "a", "b"]
