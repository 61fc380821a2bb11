"""The stored figures of a pool's peer groups: each group's distribution of every score,
and the verdict on which groups may be shown. Computed when the pool changes
(`benchmarks`): the verdicts and the distributions of small groups in the change's turn,
those of large groups just after it (`refresh_pending`); read as a few rows
(`peer_groups`)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from sqlalchemy import String, delete, func, text, type_coerce, update
from sqlalchemy import select as columns_of
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from assess.domain.benchmarking import Cell, Group, verdicts
from assess.domain.peer_figures import EXACT_LIMIT, GRID, distribution
from assess.persistence.models.benchmarks import BenchmarkEntry, PeerGroupFigures
from assess.persistence.models.common import utcnow
from assess.persistence.repository.common import writing
from assess.persistence.repository.peer_cells import cells_of, group_sizes, recount_cells
from assess.persistence.repository.peer_group_rows import (
    group_of,
    key_of,
    members_of,
    near_key_of,
    sql_filters,
    take_turn,
)

Entry = BenchmarkEntry


# A change marks the groups it touched and decides the verdicts in its turn (on SQLite:
# holding every write), then its distributions follow in short turns of their own
# (`refresh_pending`), each group read outside: groups of up to this many organisations
# at once, after the change commits (`refresh_changed`), larger ones by a job, so that a
# close into a pool of a million neither waits for nor holds the pool while it sorts it.
INLINE_LIMIT = 20_000
# Keys in a session's `info`: the pools whose groups its changes marked (for
# `refresh_changed`), and those with large groups among them (for the job).
CHANGED = "peer_groups_changed"
PENDING = "peer_groups_pending"


def store_figures(session: Session, key: str, groups: Iterable[Group], k: int) -> None:
    """Mark the distributions of `groups` of a pool pending (see `refresh_pending`), store
    those of groups that are new, and decide the verdicts on all its groups anew; the
    caller holds the pool's turn, has counted the change in its cells and commits."""
    groups = list(groups)
    if not groups:
        return
    cells = cells_of(session, key)
    sizes = group_sizes(cells)
    large = False
    for group in groups:
        n = sizes.get(group, 0)
        if n > 0 and _mark_pending(session, key, group):
            large = large or n > INLINE_LIMIT
        else:  # emptied (its row goes), or new (a few organisations)
            _store_distribution(session, key, group, n)
    store_verdicts(session, key, k, cells)
    session.info.setdefault(CHANGED, set()).add(key)
    if large:
        session.info.setdefault(PENDING, set()).add(key)


def refresh_changed(session: Session) -> None:
    """After a change committed: compute the distributions of the groups up to
    INLINE_LIMIT it marked (larger ones are the job's, see PENDING). Commits."""
    for key in sorted(session.info.pop(CHANGED, ())):
        refresh_pending(session, pool_key=key, largest=INLINE_LIMIT)


def rebuild_figures(session: Session, key: str, k: int) -> None:
    """Count a pool's cells and compute every group's distribution and verdict anew; the
    caller holds the pool's turn and commits."""
    session.execute(delete(PeerGroupFigures).where(col(PeerGroupFigures.pool_key) == key))
    recount_cells(session, key)
    cells = cells_of(session, key)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL work_mem = '128MB'"))  # sorts of large groups
    for group, n in sorted(group_sizes(cells).items()):
        _store_distribution(session, key, group, n)
    store_verdicts(session, key, k, cells)


def refresh_pending(session: Session, *, pool_key: str, largest: int | None = None) -> int:
    """Compute the distributions of a pool's groups marked pending by changes (those of
    up to `largest` organisations, if given), each read outside the pool's turn and
    written in a short turn of its own, unless a newer one was written meanwhile; how
    many were written. Call it after a commit: it ends the session's transaction before
    reading, and commits each write."""
    figures = PeerGroupFigures
    pending = session.execute(
        columns_of(col(figures.kind), col(figures.key), col(figures.revision)).where(
            col(figures.pool_key) == pool_key,
            col(figures.points_revision) < col(figures.revision),
        )
    ).all()
    groups = [(group_of(row.kind, row.key), row) for row in pending]
    if largest is not None and groups:
        sizes = group_sizes(cells_of(session, pool_key))
        groups = [(group, row) for group, row in groups if sizes.get(group, 0) <= largest]
    session.rollback()  # each read below sees the changes committed before it
    written = 0
    for group, row in groups:
        # Read after the revision: the points describe this revision or a later one; if
        # later, the row stays pending and the job of that change computes it again.
        n, points = _computed(session, pool_key, group)
        session.rollback()
        with writing(session):
            take_turn(session, [pool_key])
            done = session.execute(
                update(figures)
                .where(
                    col(figures.pool_key) == pool_key,
                    col(figures.kind) == row.kind,
                    col(figures.key) == row.key,
                    col(figures.points_revision) < row.revision,
                    col(figures.revision) >= row.revision,  # not emptied and made anew
                )
                .values(
                    organisations=n,
                    points=points,
                    points_revision=row.revision,
                    updated_at=utcnow(),
                )
            )
            session.commit()
        written += done.rowcount  # type: ignore[attr-defined]
    return written


def _mark_pending(session: Session, key: str, group: Group) -> bool:
    """Count a change of a group's organisations; False if it has no row yet."""
    done = session.execute(
        update(PeerGroupFigures)
        .where(*_row_of(key, group))
        .values(revision=col(PeerGroupFigures.revision) + 1)
    )
    return bool(done.rowcount)  # type: ignore[attr-defined]


def _row_of(key: str, group: Group) -> list[ColumnElement[bool]]:
    return [
        col(PeerGroupFigures.pool_key) == key,
        col(PeerGroupFigures.kind) == group.kind.value,
        col(PeerGroupFigures.key) == key_of(group),
    ]


def _store_distribution(session: Session, key: str, group: Group, n: int) -> None:
    where = _row_of(key, group)
    if n == 0:
        session.execute(delete(PeerGroupFigures).where(*where))
        return
    points = _as_bytes(_points(session, key, group, n))
    row = session.exec(select(PeerGroupFigures).where(*where)).first()
    if row is None:
        row = PeerGroupFigures(
            pool_key=key,
            kind=group.kind.value,
            key=key_of(group),
            organisations=n,
            shown=False,  # until the verdicts say otherwise
            k=0,
            points=points,
        )
    row.revision += 1
    row.points_revision = row.revision
    row.organisations, row.points, row.updated_at = n, points, utcnow()
    session.add(row)
    session.flush()


def _as_bytes(matrix: np.ndarray[Any, Any]) -> bytes:
    return np.ascontiguousarray(matrix, dtype=np.float64).tobytes()


def _points(session: Session, key: str, group: Group, n: int) -> np.ndarray[Any, Any]:
    """Each score's distribution in the group: a row of points per score."""
    if n > EXACT_LIMIT and session.get_bind().dialect.name == "postgresql":
        return _quantiles_in_postgres(session, key, group)[1]
    return np.array([distribution(column).points for column in _scores(session, key, group).T])


def _computed(session: Session, key: str, group: Group) -> tuple[int, bytes]:
    """A group's size and distribution as one read sees them (no count read before)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL work_mem = '128MB'"))  # sorts of large groups
        n, matrix = _quantiles_in_postgres(session, key, group)
        if n > EXACT_LIMIT:
            return n, _as_bytes(matrix)
    values = _scores(session, key, group)
    return len(values), _as_bytes(np.array([distribution(column).points for column in values.T]))


def _scores(session: Session, key: str, group: Group) -> np.ndarray[Any, Any]:
    where = members_of(key, group)
    connection = session.connection()  # Core: the ORM's bookkeeping per row costs more
    if connection.dialect.name == "sqlite":
        # One JSON document for all rows: far faster than decoding each row's array.
        texts = connection.execute(columns_of(type_coerce(Entry.scores, String)).where(*where))
        return np.array(json.loads("[" + ",".join(texts.scalars()) + "]"), dtype=np.float64)
    found = connection.execute(columns_of(col(Entry.scores)).where(*where)).scalars().all()
    return np.array(found, dtype=np.float64)


def _quantiles_in_postgres(
    session: Session, key: str, group: Group
) -> tuple[int, np.ndarray[Any, Any]]:
    """The group's size and the quantiles at GRID of each score, in one statement."""
    width = session.exec(
        select(func.array_length(Entry.scores, 1)).where(*members_of(key, group)).limit(1)
    ).first()
    if width is None:
        return 0, np.empty((0, 0))
    columns = ", ".join(
        f"percentile_cont(CAST(:grid AS double precision[])) WITHIN GROUP (ORDER BY scores[{i}])"
        for i in range(1, width + 1)
    )
    filters, parameters = sql_filters(group)
    # Only column names of this module are spliced in; every value is a bound parameter.
    where = f"pool_key = :pool AND current{filters}"
    query = f"SELECT count(*), {columns} FROM benchmark_entries WHERE {where}"  # noqa: S608
    row = session.execute(
        text(query),
        {"grid": GRID.tolist(), "pool": key, **parameters},
    ).one()
    return int(row[0]), np.array(list(row[1:]), dtype=np.float64)


def store_verdicts(session: Session, key: str, k: int, cells: Sequence[Cell] | None = None) -> None:
    """Decide anew which groups of a pool may be shown (from its cells, if not given)
    and store what changed."""
    found = verdicts(cells_of(session, key) if cells is None else cells, k)
    figures = PeerGroupFigures
    rows = session.execute(
        columns_of(
            col(figures.kind),
            col(figures.key),
            col(figures.shown),
            col(figures.near),
            col(figures.k),
        ).where(col(figures.pool_key) == key)
    ).all()
    for row in rows:
        kind, stored_key = row.kind, row.key
        verdict = found.get(group_of(kind, stored_key))
        if verdict is None:
            continue  # empty groups have no row; this cannot outlive its refresh
        near = None if verdict.near is None else near_key_of(verdict.near)
        if (row.shown, row.near, row.k) != (verdict.shown, near, k):
            session.execute(
                update(figures)
                .where(
                    col(figures.pool_key) == key,
                    col(figures.kind) == kind,
                    col(figures.key) == stored_key,
                )
                .values(shown=verdict.shown, near=near, k=k, updated_at=utcnow())
            )
