"""Requests counted per key in fixed windows of time, in the database, so that every web
worker (behind a load balancer, in several processes) counts the same requests."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import (
    LABEL_STYLE_TABLENAME_PLUS_COL,
    Connection,
    Integer,
    Select,
    String,
    bindparam,
    column,
    delete,
    select,
    text,
    true,
)

from assess.persistence.direct import Direct, commit
from assess.persistence.models.accounts import RequestCount
from assess.persistence.repository.common import write_rows, writing
from assess.persistence.security import digest

_counts = RequestCount.__table__  # type: ignore[attr-defined]


# Plain SQL, which SQLite (3.35 and later) and PostgreSQL read alike: SQLAlchemy cannot
# cache the compiled form of a multi-row insert, and compiling it took longer than running it.
_UPSERT = (
    "ON CONFLICT (key_hash, window_start) DO UPDATE SET count = request_counts.count + 1 "
    "RETURNING key_hash, count"
)
_COUNTED = (column("key_hash", String), column("count", Integer))
# One upsert for one or two keys: it adds one to each key's count in the window and
# returns the counts.
_COUNT = {
    1: text(
        "INSERT INTO request_counts (key_hash, window_start, count) "
        "VALUES (:key_0, :window_start, 1) " + _UPSERT
    ).columns(*_COUNTED),
    2: text(
        "INSERT INTO request_counts (key_hash, window_start, count) "
        "VALUES (:key_0, :window_start, 1), (:key_1, :window_start, 1) " + _UPSERT
    ).columns(*_COUNTED),
}
# The same, run on the driver's cursor (see persistence.direct): the busiest routes run it.
_DIRECT_COUNT = {keys: Direct(statement) for keys, statement in _COUNT.items()}


def count_request(connection: Connection, *, keys: list[str], window_start: int) -> dict[str, int]:
    """Count one request under each of one or two keys in the window starting at
    `window_start`, in one statement; each key's count so far, this request included."""
    # Keys in one order, so that two requests locking the same rows cannot deadlock.
    hashes = sorted({digest(key): key for key in keys}.items())
    parameters: dict[str, object] = {"window_start": window_start}
    parameters |= {f"key_{n}": key_hash for n, (key_hash, _) in enumerate(hashes)}
    counts: dict[str, int] = dict(write_rows(connection, _DIRECT_COUNT[len(hashes)], parameters))
    return {key: counts[key_hash] for key_hash, key in hashes}


def count_request_and_read(
    connection: Connection,
    *,
    keys: list[str],
    window_start: int,
    read: Select[Any],
    parameters: dict[str, Any],
) -> tuple[dict[str, int], tuple[Any, ...] | None]:
    """Count one request under each of one or two keys, as count_request does, and run
    `read`, a query of one row at most; the counts and that row. On PostgreSQL both are
    one statement: the busiest routes count each request before they read its link, and
    a statement of its own for each took a round trip more."""
    if connection.dialect.name != "postgresql":
        counted = count_request(connection, keys=keys, window_start=window_start)
        return counted, read_row(connection, read, parameters)
    hashes = sorted({digest(key): key for key in keys}.items())
    values: dict[str, object] = {**parameters, "window_start": window_start}
    values |= {f"key_{n}": key_hash for n, (key_hash, _) in enumerate(hashes)}
    rows = _counted_read(len(hashes), read).rows(connection, values)
    commit(connection)
    by_hash: dict[str, int] = {row[0]: row[1] for row in rows}
    found = rows[0][2:] if rows else None
    # The read found nothing where its first column, a key, is NULL in the outer join.
    if found is not None and found[0] is None:
        found = None
    return {key: by_hash[key_hash] for key_hash, key in hashes}, found


def read_row(
    connection: Connection, read: Select[Any], parameters: dict[str, Any]
) -> tuple[Any, ...] | None:
    """The row of `read`, a query of one row at most, or None."""
    rows = _direct(read).rows(connection, parameters)
    return rows[0] if rows else None


@cache
def _direct(read: Select[Any]) -> Direct:
    """`read` as a Direct statement: the reads of the busiest routes are a few, built once."""
    return Direct(read)


@cache
def _counted_read(keys: int, read: Select[Any]) -> Direct:
    """The count of `keys` keys (a data-modifying WITH, which PostgreSQL runs once) and
    `read` beside each counted key, or NULLs where it finds nothing."""
    counts = _COUNT[keys].cte("counted")
    found = read.set_label_style(LABEL_STYLE_TABLENAME_PLUS_COL).subquery("found")
    return Direct(
        select(counts.c.key_hash, counts.c["count"], *found.c).select_from(
            counts.outerjoin(found, true())
        )
    )


def forget_request_counts(connection: Connection, *, before: int) -> None:
    """Delete the counts of windows that started before `before`."""
    with writing(connection):
        connection.execute(_FORGET, {"before": before})
        connection.commit()


_FORGET = delete(_counts).where(_counts.c.window_start < bindparam("before"))
