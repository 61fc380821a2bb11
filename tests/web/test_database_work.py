"""Where a respondent's request does its work (deps.database_work): on SQLite in the event
loop while nothing would make it wait there, else in a worker thread, so that a request
waiting for the database never holds every other request of the process."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

import pytest
import structlog
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session

from assess.persistence.engine import make_engine, writer_of
from assess.web import deps
from assess.web.deps import _in_loop
from tests.conftest import application, make_caller
from tests.web.answering import new_link, open_assessment

WAIT = 30  # seconds: far more than any of these requests takes, short of a hung test


def _sqlite(app: FastAPI) -> None:
    if app.state.engine.dialect.name != "sqlite":
        pytest.skip("on PostgreSQL every respondent's request takes a worker thread")


@contextmanager
def _held(app: FastAPI, holder: str) -> Iterator[None]:
    """SQLite's write lock held elsewhere: by another thread's turn (a job's or the
    console's transaction), or by a transaction outside the turns (another process, the
    `assess` command)."""
    if holder == "turn":
        writer = writer_of(app.state.engine)
        assert writer is not None
        with writer.lock:
            yield
        return
    other = sqlite3.connect(app.state.engine.url.database, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


@pytest.mark.parametrize("holder", ["turn", "transaction"])
def test_while_another_write_holds_the_database_a_save_waits_in_a_worker_thread(
    app: FastAPI, client: TestClient, session: Session, published: Any, holder: str
) -> None:
    _sqlite(app)
    consultant = make_caller(session, "lead@example.org")
    assessment = open_assessment(client, consultant, "service-check", "Wave 1")
    token = new_link(client, consultant, assessment, "A")
    answered: dict[str, Response] = {}

    def ask(name: str, method: str, path: str, **body: Any) -> threading.Thread:
        def send() -> None:
            answered[name] = shared.request(method, path, **body)

        thread = threading.Thread(target=send, daemon=True)
        thread.start()
        return thread

    save = {"answers": {"listen-feedback": 4}}
    with TestClient(app) as shared:  # one event loop for every request below
        with _held(app, holder):
            saving = ask("save", "PUT", f"/api/v1/respond/{token}", json=save)
            health = ask("health", "GET", "/healthz")
            health.join(WAIT)
            # The save waits for the database, and the event loop answers meanwhile.
            assert not health.is_alive(), "the event loop waited for the database"
            assert saving.is_alive()
        saving.join(WAIT)
        stored = shared.get(f"/api/v1/respond/{token}").json()["response"]
    assert answered["health"].status_code == 200
    assert answered["save"].status_code == 200, answered["save"].text
    assert stored["answers"] == {"listen-feedback": 4}


def test_a_respondents_work_runs_in_the_loop_only_while_the_pool_has_a_connection_free(
    tmp_path: Any,
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'pool.db'}", pool_size=1)
    state = SimpleNamespace(engine=engine, work_in_loop=True)
    try:
        assert _in_loop(state)
        with engine.connect():
            assert not _in_loop(state)  # the loop would wait for a connection to come back
        assert _in_loop(state)
        assert not _in_loop(SimpleNamespace(engine=engine, work_in_loop=False))
    finally:
        engine.dispose()


def test_one_of_several_web_workers_does_its_work_in_worker_threads(
    database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    # Another process's write would hold the event loop in SQLite's busy handler.
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    for made in application(database_url):
        assert made.state.work_in_loop is False
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR")
    for made in application(database_url):
        assert made.state.work_in_loop is (made.state.engine.dialect.name == "sqlite")


def test_while_the_respondents_threads_are_all_stuck_other_work_goes_to_anyios(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(deps, "STUCK_SECONDS", 0.05)
    threads = deps._RespondentThreads(2)
    monkeypatch.setattr(deps, "_RESPONDENT_THREADS", threads)
    request: Any = SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(work_in_loop=False)))
    release = threading.Event()

    def hang() -> str:  # a statement that waits for a lock held long
        release.wait(WAIT)
        return threading.current_thread().name

    def name() -> str:
        return threading.current_thread().name

    async def scenario() -> tuple[str, list[str]]:
        hanging = [asyncio.ensure_future(deps.database_work(request, hang)) for _ in range(2)]
        for _ in range(WAIT * 100):
            if threads.stuck():
                break
            await asyncio.sleep(0.01)
        other = await deps.database_work(request, name)
        release.set()
        return other, list(await asyncio.gather(*hanging))

    try:
        other, hung = asyncio.run(scenario())
    finally:
        release.set()
        threads.executor.shutdown()
    assert [n.startswith("respondent") for n in hung] == [True, True]
    assert not other.startswith("respondent"), other


def test_work_in_a_thread_writes_its_log_lines_with_the_requests_id() -> None:
    request: Any = SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(work_in_loop=False)))

    async def scenario() -> dict[str, Any]:
        structlog.contextvars.bind_contextvars(request_id="r-123")
        return await deps.database_work(request, structlog.contextvars.get_contextvars)

    assert asyncio.run(scenario())["request_id"] == "r-123"
