"""Requests counted per key in fixed windows of time, in the database, so that every web
worker (behind a load balancer, in several processes) counts the same requests."""

from __future__ import annotations

from functools import cache

from sqlalchemy import Connection, Executable, bindparam, delete
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from assess.models import RequestCount
from assess.repository.common import write_rows, writing
from assess.security import digest

_counts = RequestCount.__table__  # type: ignore[attr-defined]


@cache
def _count_statement(dialect: str, keys: int) -> Executable:
    """One upsert for `keys` keys: it adds one to each key's count in the window and
    returns the counts (built once per dialect and number of keys)."""
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    rows = [
        {"key_hash": bindparam(f"key_{n}"), "window_start": bindparam("window_start"), "count": 1}
        for n in range(keys)
    ]
    statement = insert(_counts).values(rows)
    return statement.on_conflict_do_update(
        index_elements=[_counts.c.key_hash, _counts.c.window_start],
        set_={"count": _counts.c.count + 1},
    ).returning(_counts.c.key_hash, _counts.c.count)


def count_request(connection: Connection, *, keys: list[str], window_start: int) -> dict[str, int]:
    """Count one request under each key in the window starting at `window_start`, in one
    statement; each key's count so far, this request included."""
    # Keys in one order, so that two requests locking the same rows cannot deadlock.
    hashes = sorted({digest(key): key for key in keys}.items())
    parameters: dict[str, object] = {"window_start": window_start}
    parameters |= {f"key_{n}": key_hash for n, (key_hash, _) in enumerate(hashes)}
    statement = _count_statement(connection.dialect.name, len(hashes))
    counts: dict[str, int] = dict(write_rows(connection, statement, parameters))  # type: ignore[arg-type]
    return {key: counts[key_hash] for key_hash, key in hashes}


def forget_request_counts(connection: Connection, *, before: int) -> None:
    """Delete the counts of windows that started before `before`."""
    with writing(connection):
        connection.execute(_FORGET, {"before": before})
        connection.commit()


_FORGET = delete(_counts).where(_counts.c.window_start < bindparam("before"))
