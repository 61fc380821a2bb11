"""SQLite writes take turns: queued statements share a transaction, and fail alone."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from assess.persistence.engine import (
    SQLITE_BUSY_TIMEOUT_MS,
    WRITER,
    WouldWait,
    Writer,
    make_engine,
    without_waiting,
)
from assess.persistence.repository.common import writing

INSERT = text("INSERT INTO notes (id, body) VALUES (:id, :body) RETURNING id, body")


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    """A SQLite database with one table, `notes`."""
    engine = make_engine(f"sqlite:///{tmp_path / 'notes.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"))
    yield engine
    engine.dispose()


def writer_of(engine: Engine) -> Writer:
    with engine.connect() as connection:
        writer: Writer = connection.info[WRITER]
        return writer


def write_concurrently(engine: Engine, rows: list[dict[str, Any]]) -> list[Any]:
    """Queue one write per row while an earlier write holds the lock; each one's outcome."""
    writer = writer_of(engine)
    outcomes: list[Any] = [None] * len(rows)

    def write(index: int) -> None:
        with engine.connect() as connection:
            try:
                outcomes[index] = tuple(writer.run(connection, INSERT, rows[index]) or ())
            except IntegrityError as exc:
                outcomes[index] = exc

    threads = [threading.Thread(target=write, args=(i,)) for i in range(len(rows))]
    with writer.lock:
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 5
        while len(writer._queue) < len(rows) and time.monotonic() < deadline:
            time.sleep(0.01)  # the thread with the turn waits for the lock before it drains
    for thread in threads:
        thread.join(5)
    return outcomes


def stored(engine: Engine) -> list[tuple[int, str]]:
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, body FROM notes ORDER BY id"))
        return [(row.id, row.body) for row in rows]


def test_queued_writes_share_one_commit_and_each_gets_its_own_row(engine: Engine) -> None:
    commits: list[object] = []
    event.listen(engine, "commit", commits.append)
    rows = [{"id": i, "body": f"note {i}"} for i in range(1, 6)]
    outcomes = write_concurrently(engine, rows)
    assert outcomes == [(r["id"], r["body"]) for r in rows]
    assert stored(engine) == [(r["id"], r["body"]) for r in rows]
    assert len(commits) == 1


def test_a_failing_write_fails_alone(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(INSERT, {"id": 7, "body": "taken"})
    outcomes = write_concurrently(
        engine, [{"id": 1, "body": "a"}, {"id": 7, "body": "clash"}, {"id": 2, "body": "b"}]
    )
    assert outcomes[0] == (1, "a")
    assert outcomes[2] == (2, "b")
    assert isinstance(outcomes[1], IntegrityError)
    assert stored(engine) == [(1, "a"), (2, "b"), (7, "taken")]


def test_session_writes_hold_the_same_lock(engine: Engine) -> None:
    with Session(engine) as session, writing(session):
        assert writer_of(engine).lock.locked()
    assert not writer_of(engine).lock.locked()


def test_bursts_of_requests_reuse_the_pooled_connections(engine: Engine) -> None:
    opened: list[object] = []
    event.listen(engine, "connect", lambda *_: opened.append(1))

    def burst() -> None:  # as many connections at once as 16 concurrent requests hold
        connections = [engine.connect() for _ in range(16)]
        for connection in connections:
            connection.close()

    burst()
    first = len(opened)
    burst()
    burst()
    assert len(opened) == first


def busy_timeout(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.exec_driver_sql("PRAGMA busy_timeout").scalar_one())


def test_without_waiting_a_write_runs_at_once_when_nothing_holds_the_lock(
    engine: Engine,
) -> None:
    with without_waiting(), engine.connect() as connection:
        assert writer_of(engine).run(connection, INSERT, {"id": 1, "body": "now"}) == (1, "now")
    assert stored(engine) == [(1, "now")]


def test_without_waiting_a_write_refuses_to_wait_for_another_threads_turn(
    engine: Engine,
) -> None:
    writer = writer_of(engine)
    with writer.lock, without_waiting(), engine.connect() as connection:
        with pytest.raises(WouldWait):
            writer.run(connection, INSERT, {"id": 1, "body": "late"})
        with pytest.raises(WouldWait), writing(connection):
            pass
    assert stored(engine) == []
    assert writer.idle()  # the turn it tried for is free again


def test_without_waiting_a_write_refuses_to_wait_for_a_lock_held_outside_the_turns(
    engine: Engine, tmp_path: Path
) -> None:
    # Another process's transaction, or one of this process's outside the turns.
    other = sqlite3.connect(tmp_path / "notes.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with without_waiting(), engine.connect() as connection:
            started = time.monotonic()
            with pytest.raises(WouldWait):
                writer_of(engine).run(connection, INSERT, {"id": 1, "body": "late"})
            assert time.monotonic() - started < SQLITE_BUSY_TIMEOUT_MS / 1000 / 2
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert stored(engine) == []
    assert busy_timeout(engine) == SQLITE_BUSY_TIMEOUT_MS  # waiting again, where it may
    assert writer_of(engine).idle()
