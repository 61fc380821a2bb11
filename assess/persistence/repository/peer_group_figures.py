"""The stored figures of a pool's peer groups: each group's distribution of every score,
and the verdict on which groups may be shown. Computed when the pool changes
(`benchmarks`), read as a few rows (`peer_groups`)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import numpy as np
from sqlalchemy import String, delete, func, text, type_coerce, update
from sqlalchemy import select as columns_of
from sqlmodel import Session, col, select

from assess.domain.benchmarking import Attributes, Cell, Group, verdicts
from assess.domain.peer_figures import EXACT_LIMIT, GRID, distribution
from assess.persistence.models.benchmarks import BenchmarkEntry, PeerGroupFigures
from assess.persistence.models.common import utcnow
from assess.persistence.repository.peer_group_rows import (
    count_group,
    group_of,
    key_of,
    members_of,
    near_key_of,
    sql_filters,
)

Entry = BenchmarkEntry


def store_figures(session: Session, key: str, groups: Iterable[Group], k: int) -> None:
    """Store anew the distributions of `groups` of a pool and the verdicts on all its
    groups; the caller holds the pool's turn and commits."""
    groups = list(groups)
    if not groups:
        return
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL work_mem = '128MB'"))  # sorts of large groups
    for group in groups:
        _store_distribution(session, key, group)
    store_verdicts(session, key, k)


def _store_distribution(session: Session, key: str, group: Group) -> None:
    where = [
        col(PeerGroupFigures.pool_key) == key,
        col(PeerGroupFigures.kind) == group.kind.value,
        col(PeerGroupFigures.key) == key_of(group),
    ]
    session.execute(delete(PeerGroupFigures).where(*where))
    n = count_group(session, pool_key=key, group=group)
    if n == 0:
        return
    matrix = _points(session, key, group, n)
    session.add(
        PeerGroupFigures(
            pool_key=key,
            kind=group.kind.value,
            key=key_of(group),
            organisations=n,
            shown=False,  # until the verdicts below say otherwise
            k=0,
            points=np.ascontiguousarray(matrix, dtype=np.float64).tobytes(),
        )
    )
    session.flush()


def _points(session: Session, key: str, group: Group, n: int) -> np.ndarray[Any, Any]:
    """Each score's distribution in the group: a row of points per score."""
    if n > EXACT_LIMIT and session.get_bind().dialect.name == "postgresql":
        return _quantiles_in_postgres(session, key, group)
    where = members_of(key, group)
    if session.get_bind().dialect.name == "sqlite":
        # One JSON document for all rows: far faster than decoding each row's array.
        texts = session.exec(select(type_coerce(Entry.scores, String)).where(*where)).all()
        values = np.array(json.loads("[" + ",".join(texts) + "]"), dtype=np.float64)
    else:
        values = np.array(session.exec(select(Entry.scores).where(*where)).all())
    return np.array([distribution(column).points for column in values.T])


def _quantiles_in_postgres(session: Session, key: str, group: Group) -> np.ndarray[Any, Any]:
    width = session.exec(
        select(func.array_length(Entry.scores, 1)).where(*members_of(key, group)).limit(1)
    ).one()
    columns = ", ".join(
        f"percentile_cont(CAST(:grid AS double precision[])) WITHIN GROUP (ORDER BY scores[{i}])"
        for i in range(1, width + 1)
    )
    filters, parameters = sql_filters(group)
    # Only column names of this module are spliced in; every value is a bound parameter.
    query = f"SELECT {columns} FROM benchmark_entries WHERE pool_key = :pool AND current{filters}"  # noqa: S608
    row = session.execute(
        text(query),
        {"grid": GRID.tolist(), "pool": key, **parameters},
    ).one()
    return np.array(list(row), dtype=np.float64)


def store_verdicts(session: Session, key: str, k: int) -> None:
    """Decide anew which groups of a pool may be shown and store what changed."""
    found = verdicts(cells_of(session, key), k)
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


def cells_of(session: Session, key: str) -> list[Cell]:
    """The organisations of a pool counted by industry, size and country."""
    rows = session.exec(
        select(Entry.industry, Entry.size, Entry.country, func.count())
        .where(Entry.pool_key == key, col(Entry.current) == True)  # noqa: E712 (indexed)
        .group_by(col(Entry.industry), col(Entry.size), col(Entry.country))
    ).all()
    return [Cell(Attributes(i, s, c), int(n)) for i, s, c, n in rows]
