"""A database that takes no writes: read-only (a standby, a read-only file or setting) or
out of room (a full disk, memory, connections). Writes it refuses answer 503 with
Retry-After, never as bad input, and readiness says what the operator should do."""

from __future__ import annotations

import os
import shutil
import threading
import time
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

SQLITE_BUSY = 5
SQLITE_READONLY = 8
SQLITE_FULL = 13
PG_READ_ONLY_TRANSACTION = "25006"
PG_INSUFFICIENT_RESOURCES = "53"  # class 53: disk full, out of memory, too many connections
# Less room than this beside a SQLite file, and the next checkpoint or save may not fit.
SQLITE_MIN_FREE_BYTES = 1 << 20
RETRY_AFTER_SECONDS = 30
# For so long after a refused write readiness reports it (what a PostgreSQL server's full
# disk looks like from here: no query tells it beforehand).
REMEMBERED_SECONDS = 60


class Refusal(StrEnum):
    """Why the database refused a write, as told to whoever sent it."""

    read_only = (
        "The database accepts no changes at the moment (it is read-only); nothing was "
        "saved. Try again in a minute."
    )
    full = (
        "The database has run out of room (disk, memory or connections); nothing was "
        "saved. Try again in a minute."
    )


def refusal_of(error: DBAPIError) -> Refusal | None:
    """The refusal `error` is, if the database took no write because it is read-only or
    out of room; None for any other error."""
    original = error.orig
    primary = sqlite_code(original)
    if primary is not None:
        return {SQLITE_READONLY: Refusal.read_only, SQLITE_FULL: Refusal.full}.get(primary)
    state = getattr(original, "sqlstate", None)
    if not isinstance(state, str):
        return None
    if state == PG_READ_ONLY_TRANSACTION:
        return Refusal.read_only
    if state.startswith(PG_INSUFFICIENT_RESOURCES):
        return Refusal.full
    return None


def sqlite_code(original: BaseException | None) -> int | None:
    """The primary result code of a SQLite driver error; None for any other error."""
    code = getattr(original, "sqlite_errorcode", None)
    # Extended result codes keep the primary one in the low byte.
    return code & 0xFF if isinstance(code, int) else None


def operator_advice(refusal: Refusal, backend: str) -> str:
    """What is wrong with the database and what the operator should do, in one sentence."""
    if refusal is Refusal.full:
        return (
            "it has run out of room (disk full, memory or connections): free or grow the "
            "database's disk, or raise its limits"
        )
    if backend == "postgresql":
        return (
            "it is read-only (a standby, or default_transaction_read_only is on): point "
            "ASSESS_DATABASE_URL at the primary server, or run ALTER DATABASE … SET "
            "default_transaction_read_only = off"
        )
    return (
        "it is read-only: give the service's user write access to the database file and "
        "its folder, and leave query_only off"
    )


def sqlite_file_problem(url: URL) -> str | None:
    """Why the SQLite file at `url` cannot take writes, told with what to do; None when it
    can (or the URL names no file)."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    if url.query.get("mode") == "ro" or url.query.get("immutable") == "1":
        return (
            "it is opened read-only (mode=ro or immutable=1 in ASSESS_DATABASE_URL): "
            "remove that from the URL"
        )
    path = Path(str(url.database).removeprefix("file:"))
    for place in (path, path.parent):
        if place.exists() and not os.access(place, os.W_OK):
            return (
                f"{place} is not writable by this process's user: give it write access "
                "to the database file and its folder (SQLite writes its journal beside it)"
            )
    free = shutil.disk_usage(path.parent).free
    if free < SQLITE_MIN_FREE_BYTES:
        return (
            f"the disk that holds {path} is full ({free:,} bytes free): free space on it "
            "or move the database to a larger disk"
        )
    return None


@dataclass
class RefusedWrites:
    """The last write the database refused in this process, so that readiness can tell
    of it for a while, and the log tells of it once per spell, not once per request."""

    refusal: Refusal | None = None
    since: float = 0.0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()

    def note(self, refusal: Refusal) -> bool:
        """Remember a refused write; True when it starts a new spell of them."""
        with self._lock:
            new = self.recent() != refusal
            self.refusal, self.since = refusal, time.monotonic()
            return new

    def recent(self) -> Refusal | None:
        """The refusal of a write within the last minute, if any."""
        if self.refusal is None or time.monotonic() - self.since > REMEMBERED_SECONDS:
            return None
        return self.refusal
