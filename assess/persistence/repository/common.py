"""What every part of the repository shares: SQLite's turns to write, and Conflict."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Executable, Row
from sqlmodel import Session

from assess.persistence.direct import Direct, commit, rollback, run
from assess.persistence.engine import WRITER, WouldWait, Writer, waiting_allowed


@contextmanager
def writing(bind: Connection | Session) -> Iterator[None]:
    """Hold the engine's write lock (SQLite only) from a write statement to its commit.

    SQLite allows one writer at a time; threads that all try to write wait in its busy
    handler with growing sleeps (p99 near a second under load). Taking turns on a lock
    in Python costs microseconds instead; reads never wait for it.
    """
    writer = _writer_of(bind.connection() if isinstance(bind, Session) else bind)
    if writer is None:
        yield
        return
    if waiting_allowed():
        writer.lock.acquire()
    elif not writer.lock.acquire(blocking=False):
        raise WouldWait  # another write holds the lock: see engine.without_waiting
    try:
        yield
    finally:
        writer.lock.release()


def write_one(
    connection: Connection, statement: Executable | Direct, parameters: dict[str, Any]
) -> Row[Any] | tuple[Any, ...] | None:
    """Execute a statement that returns one row at most, and commit it; that row.

    On SQLite it takes its turn with the other writes (see db.Writer)."""
    rows = write_rows(connection, statement, parameters)
    return rows[0] if rows else None


def write_rows(
    connection: Connection, statement: Executable | Direct, parameters: dict[str, Any]
) -> list[Any]:
    """Execute a statement that returns a few rows, and commit it; those rows, as Row
    objects or, from a Direct statement, tuples (on SQLite in its turn with the other
    writes, like write_one). A statement that fails is rolled back."""
    writer = _writer_of(connection)
    if writer is not None:
        return writer.run_all(connection, statement, parameters)
    try:
        rows = run(connection, statement, parameters)
        commit(connection)
    except Exception:
        rollback(connection)  # a failed write leaves nothing behind, on either database
        raise
    return rows


def _writer_of(connection: Connection) -> Writer | None:
    writer: Writer | None = connection.info.get(WRITER)
    return writer


class Conflict(Exception):
    """The request contradicts what is stored; the message says what to change."""
