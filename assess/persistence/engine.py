"""Database engines: SQLite (WAL, busy timeout, writes in turns) by default, PostgreSQL by
URL; and the migrations."""

from __future__ import annotations

import importlib.resources
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from queue import SimpleQueue
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, Executable, event
from sqlalchemy.exc import OperationalError
from sqlmodel import create_engine

from assess.persistence.direct import Direct, commit, rollback, run
from assess.persistence.errors import SQLITE_BUSY, sqlite_code

SQLITE_BUSY_TIMEOUT_MS = 5_000
# Connections opened for a burst beyond the pool (sessions that dependencies hold while
# other requests run in every worker thread) and closed after it.
POOL_OVERFLOW = 10
# Key of a SQLite engine's Writer in each of its connections' `info`.
WRITER = "writer"
# Writes one transaction takes at most: enough for every worker thread.
MAX_BATCH = 64
# Each SQLite engine's Writer.
_WRITERS: WeakKeyDictionary[Engine, Writer] = WeakKeyDictionary()
# True while the current work must not wait for a write (see without_waiting).
_NOT_WAITING: ContextVar[bool] = ContextVar("assess_not_waiting", default=False)


class WouldWait(Exception):
    """A write that would have waited for SQLite's lock, in work that must not wait (see
    `without_waiting`); nothing of it was kept."""


@contextmanager
def without_waiting() -> Iterator[None]:
    """Writes within run at once or raise WouldWait, instead of waiting for another's turn
    or for SQLite's lock: for work in the event loop, where a wait would hold every
    request of the process (see web.deps.database_work)."""
    token = _NOT_WAITING.set(True)
    try:
        yield
    finally:
        _NOT_WAITING.reset(token)


def waiting_allowed() -> bool:
    """Whether a write may wait for its turn (it may, except within without_waiting)."""
    return not _NOT_WAITING.get()


def make_engine(url: str, *, pool_size: int = 40) -> Engine:
    """An engine for `url`; SQLite connections get WAL, a busy timeout, foreign keys and
    the engine's Writer.

    The pool keeps `pool_size` connections open: with fewer than the worker threads, every
    burst of requests would open and close connections (and rerun the PRAGMAs on SQLite).
    """
    pool = {"pool_size": pool_size, "max_overflow": POOL_OVERFLOW}
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, **pool)
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        **pool,
    )
    writer = _WRITERS[engine] = Writer()

    def prepare(connection: Any, record: Any) -> None:
        _sqlite_pragmas(connection)
        record.info[WRITER] = writer

    event.listen(engine, "connect", prepare)
    return engine


def writer_of(engine: Engine) -> Writer | None:
    """A SQLite engine's Writer; None for other databases."""
    return _WRITERS.get(engine)


@dataclass(eq=False)
class _Write:
    statement: Executable | Direct
    parameters: dict[str, Any]
    # One item for each wake-up: the write is done, or the turn is free. A SimpleQueue
    # waits and wakes in C; an Event runs threading.Condition's Python code for both, twice
    # per write on the busiest routes.
    wakes: SimpleQueue[None] = field(default_factory=SimpleQueue)
    done: bool = False
    rows: list[Any] = field(default_factory=list)
    error: Exception | None = None

    def wake(self) -> None:
        """Wake the thread waiting for this write (a second wake-up is harmless)."""
        self.wakes.put(None)

    def finish(self, rows: list[Any] | None = None, error: Exception | None = None) -> None:
        self.rows, self.error, self.done = rows or [], error, True
        self.wake()


class Writer:
    """Writes to one SQLite database take turns: it allows one writer at a time.

    `lock` is held from a write statement to its commit (see repository.writing); threads
    waiting in SQLite's busy handler would sleep for growing intervals instead. Single
    statements can be queued with `run`: the thread whose turn it is runs every queued
    statement in one transaction, on its own connection (all see the same file), and the
    others wait for their rows. Under load the lock then changes hands once per batch,
    not once per request: each hand-over waits for the GIL, which costs more than the
    statement itself.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self._turn = threading.Lock()
        self._queue: deque[_Write] = deque()

    def idle(self) -> bool:
        """Whether no thread writes or waits to: a write now would find its turn free."""
        return not self.lock.locked() and not self._queue

    def run(
        self, connection: Connection, statement: Executable | Direct, parameters: dict[str, Any]
    ) -> Any:
        """Execute a statement returning one row at most, and commit; that row or None."""
        rows = self.run_all(connection, statement, parameters)
        return rows[0] if rows else None

    def run_all(
        self, connection: Connection, statement: Executable | Direct, parameters: dict[str, Any]
    ) -> list[Any]:
        """Execute a statement returning a few rows at most, and commit; those rows (Row
        objects, or tuples from a Direct statement)."""
        if not waiting_allowed():
            return self._run_now(connection, statement, parameters)
        write = _Write(statement, parameters)
        self._queue.append(write)
        while not write.done:
            if self._turn.acquire(blocking=False):
                try:
                    self._run_queued(connection)
                finally:
                    self._turn.release()
                    self._wake_next()
            else:
                # Whoever has the turn runs this write, or wakes this thread to take the
                # next turn (see _wake_next).
                write.wakes.get()
        if write.error is not None:
            raise write.error
        return write.rows

    def _run_now(
        self, connection: Connection, statement: Executable | Direct, parameters: dict[str, Any]
    ) -> list[Any]:
        """Run one write at once, or raise WouldWait: where another thread writes or waits
        to, or SQLite's lock is held elsewhere (a transaction outside the turns, another
        process), with SQLite's busy timeout at 0 meanwhile."""
        if self._queue or not self._turn.acquire(blocking=False):
            raise WouldWait
        try:
            if not self.lock.acquire(blocking=False):
                raise WouldWait
            try:
                return _at_once(connection, statement, parameters)
            finally:
                self.lock.release()
        finally:
            self._turn.release()
            self._wake_next()

    def _wake_next(self) -> None:
        # Writes queued during a turn found it taken, and wait: the first takes the next.
        with suppress(IndexError):  # none queued, or taken by another thread meanwhile
            self._queue[0].wake()

    def _run_queued(self, connection: Connection) -> None:
        batch: list[_Write] = []
        failure: Exception | None = None
        try:
            with self.lock:
                while self._queue and len(batch) < MAX_BATCH:
                    batch.append(self._queue.popleft())
                rows = [run(connection, w.statement, w.parameters) for w in batch]
                commit(connection)
        except Exception as exc:
            failure = exc
            rollback(connection)
            if len(batch) > 1 and not isinstance(exc, OperationalError):
                for write in batch:  # in transactions of their own: only the culprit fails
                    self._run_alone(connection, write)
        else:
            for write, written in zip(batch, rows, strict=True):
                write.finish(written)
        finally:
            for write in batch:
                if not write.done:
                    write.finish(error=failure or RuntimeError("The write was interrupted."))

    def _run_alone(self, connection: Connection, write: _Write) -> None:
        try:
            with self.lock:
                rows = run(connection, write.statement, write.parameters)
                commit(connection)
        except Exception as exc:
            rollback(connection)
            write.finish(error=exc)
        else:
            write.finish(rows)


def _at_once(
    connection: Connection, statement: Executable | Direct, parameters: dict[str, Any]
) -> list[Any]:
    """Run and commit a write on SQLite without waiting for its lock: WouldWait if it is
    taken."""
    driver = connection.connection.dbapi_connection
    assert driver is not None
    driver.execute("PRAGMA busy_timeout = 0")
    try:
        rows = run(connection, statement, parameters)
        commit(connection)
    except Exception as exc:
        rollback(connection)
        if isinstance(exc, OperationalError) and sqlite_code(exc.orig) == SQLITE_BUSY:
            raise WouldWait from exc  # the lock is held elsewhere
        raise
    finally:
        driver.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    return rows


def _sqlite_pragmas(connection: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def ours(name: str | None, type_: str, parents: Any) -> bool:
    """Whether Alembic compares a database object with the models: not the job queue's
    tables, which procrastinate's own SQL makes (see the jobs queue migration)."""
    return not (type_ == "table" and (name or "").startswith("procrastinate_"))


def alembic_config(url: str) -> Any:
    """Alembic's configuration for this project's migrations, pointed at `url`."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(importlib.resources.files("assess.migrations")))
    config.set_main_option("file_template", "%%(year)d_%%(month).2d_%%(day).2d_%%(slug)s")
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str) -> None:
    """Apply every migration to the database at `url`."""
    from alembic import command

    command.upgrade(alembic_config(url), "head")


@cache
def head_revision() -> str:
    """The newest migration this code brings."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None  # the project has migrations
    return head


class BackupError(Exception):
    """A backup that cannot be made; the message says why and what to do."""


def backup_sqlite(url: str, target: Path) -> int:
    """Copy the SQLite database at `url` to `target` with SQLite's online backup, which
    reads one consistent state while the service goes on writing; and its key file, if it
    has one. The copy appears under its name only when complete. Its size in bytes."""
    import sqlite3

    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        raise BackupError(
            "ASSESS_DATABASE_URL names no SQLite file; back up PostgreSQL with "
            "pg_dump -Fc (see the README's Deploying section)"
        )
    source = Path(str(parsed.database))
    if not source.is_file():
        raise BackupError(f"{source}: no database there; check ASSESS_DATABASE_URL")
    if target.exists():
        raise BackupError(f"{target} exists; give a new file name")
    partial = target.with_name(f".{target.name}.partial")
    try:
        with (
            closing(sqlite3.connect(source, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)) as origin,
            closing(sqlite3.connect(partial)) as copy,
        ):
            origin.backup(copy)  # in one step: a step at a time restarts on every write
            checked = copy.execute("PRAGMA quick_check").fetchone()[0]
        if checked != "ok":
            raise BackupError(f"the copy does not check out ({checked}); nothing was kept")
        key = Path(f"{source}.key")
        if key.is_file():
            kept = Path(f"{target}.key")
            kept.write_text(key.read_text())
            kept.chmod(0o600)
        partial.replace(target)
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(f"cannot back up {source} to {target}: {exc}") from None
    finally:
        partial.unlink(missing_ok=True)
    return target.stat().st_size
