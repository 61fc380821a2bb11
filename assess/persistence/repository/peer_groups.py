"""Reading peer figures: the stored rows of an organisation's peer groups, compared with
its own scores (figures found stale are computed anew first)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
from psycopg.rows import namedtuple_row
from sqlalchemy import and_, bindparam, case, or_
from sqlalchemy import select as columns_of
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.compiler import Compiled
from sqlmodel import Session, col, select

from assess.domain.answers import Response
from assess.domain.benchmarking import Attributes, Group, GroupKind, Verdict, score_ids
from assess.domain.comparison import Comparison, GroupFigures, OwnFigures, compare, own_scores
from assess.domain.peer_figures import Distribution
from assess.domain.pooling import pool_key
from assess.domain.questionnaire import Questionnaire
from assess.persistence.models.benchmarks import BenchmarkEntry, PeerGroupFigures
from assess.persistence.models.organisations import Organisation
from assess.persistence.repository.benchmarks import refresh_pool, refresh_verdicts
from assess.persistence.repository.common import writing
from assess.persistence.repository.peer_group_rows import group_of, key_of, near_of

Entry = BenchmarkEntry
# The k of the rows of a pool whose entries changed outside a refresh (a migration mapped
# their attributes): its figures are computed anew when first read. A refresh never
# leaves k at 0.
STALE = 0


def comparison_for(
    session: Session,
    *,
    questionnaire: Questionnaire,
    attributes: Attributes,
    own: Mapping[str, OwnFigures],
    k: int,
    demo: bool = False,
) -> Comparison:
    """Where an organisation with these attributes and own scores stands in the pool of
    its questionnaire version (the demo pool for a demo organisation): the stored figures
    of its peer groups, read and compared."""
    key = pool_key(questionnaire, demo=demo)
    ids = score_ids(d.id for d in questionnaire.dimensions)
    stored = peer_groups_of(session, pool_key=key, groups=attributes.groups(), score_ids=ids, k=k)
    return compare(ids, own, stored, attributes, k)


def comparison_of_organisation(
    session: Session,
    *,
    questionnaire: Questionnaire,
    organisation: Organisation,
    responses: Sequence[Response],
    k: int,
) -> Comparison:
    """Where an organisation stands among its peers with the scores of these responses
    (an assessment's submitted ones), as the API and the report show it."""
    return comparison_for(
        session,
        questionnaire=questionnaire,
        attributes=Attributes(organisation.industry, organisation.size, organisation.country),
        own=own_scores(questionnaire, responses),
        k=k,
        demo=organisation.is_demo,
    )


def peer_groups_of(
    session: Session, *, pool_key: str, groups: Sequence[Group], score_ids: Sequence[str], k: int
) -> list[GroupFigures]:
    """The stored figures of these groups of a pool (those it has): verdicts of all,
    distributions of the scores (in the pool's order) of the groups that may be shown."""
    rows = _figure_rows(session, pool_key, groups)
    if any(row.k != k for row in rows):  # k was configured anew since the last refresh
        _decide_anew(session, pool_key, k, rows)
        rows = _figure_rows(session, pool_key, groups)
    return _stored(rows, score_ids)


def shown_groups_of(
    session: Session,
    *,
    pool_key: str,
    score_ids: Sequence[str],
    k: int,
    kind: GroupKind | None = None,
) -> tuple[list[GroupFigures], int]:
    """Every group of a pool that may be shown (of one kind, if given), broadest first,
    with its figures; and how many groups are withheld (never which)."""
    query = select(PeerGroupFigures).where(PeerGroupFigures.pool_key == pool_key)
    if kind is not None:
        query = query.where(PeerGroupFigures.kind == kind.value)
    rows = session.exec(query).all()
    if any(row.k != k for row in rows):
        _decide_anew(session, pool_key, k, rows)
        rows = session.exec(query).all()
    order = list(GroupKind)
    shown = sorted(
        _stored([r for r in rows if r.shown], score_ids),
        key=lambda g: (order.index(g.group.kind), g.group.values),
    )
    return shown, sum(not r.shown for r in rows)


def _decide_anew(session: Session, pool_key: str, k: int, rows: Sequence[Any]) -> None:
    if any(row.k == STALE for row in rows):
        refresh_pool(session, pool_key=pool_key, k=k)
        return
    with writing(session):
        refresh_verdicts(session, pool_key=pool_key, k=k)
        session.commit()


def _stored(rows: Sequence[Any], score_ids: Sequence[str]) -> list[GroupFigures]:
    stored = []
    for row in rows:
        group = group_of(row.kind, row.key)
        verdict = Verdict(row.shown, row.organisations, near_of(row.near))
        found: dict[str, Distribution] = {}
        if row.shown:
            matrix = np.frombuffer(row.points, dtype=np.float64).reshape(len(score_ids), -1)
            found = {
                score_id: Distribution(row.organisations, points)
                for score_id, points in zip(score_ids, matrix, strict=True)
            }
        stored.append(GroupFigures(group, verdict, found))
    return stored


_FIGURES = PeerGroupFigures
# Built once: a person belongs to five groups at most, and building the statement on
# every read would cost more than running it.
_FIGURE_ROWS = columns_of(
    col(_FIGURES.kind),
    col(_FIGURES.key),
    col(_FIGURES.organisations),
    col(_FIGURES.shown),
    col(_FIGURES.near),
    col(_FIGURES.k),
    case((col(_FIGURES.shown), col(_FIGURES.points)), else_=None).label("points"),
).where(
    col(_FIGURES.pool_key) == bindparam("pool"),
    or_(
        *(
            and_(
                col(_FIGURES.kind) == bindparam(f"kind{i}"),
                col(_FIGURES.key) == bindparam(f"key{i}"),
            )
            for i in range(len(GroupKind))
        )
    ),
)


@lru_cache(maxsize=4)
def _compiled(dialect: Dialect) -> Compiled:
    return _FIGURE_ROWS.compile(dialect=dialect)


def _figure_rows(session: Session, key: str, groups: Sequence[Group]) -> Sequence[Any]:
    parameters = {"pool": key}
    for i in range(len(GroupKind)):  # unused pairs match nothing: no kind is ""
        group = groups[i] if i < len(groups) else None
        parameters[f"kind{i}"] = group.kind.value if group else ""
        parameters[f"key{i}"] = key_of(group) if group else ""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return connection.execute(_FIGURE_ROWS, parameters).all()
    # In PostgreSQL's binary format: in text, each 40 kB of points travels as 80 kB of
    # hex digits, and decoding them takes longer than the whole query.
    statement = _compiled(connection.dialect)
    driver: Any = connection.connection.driver_connection
    with driver.cursor(binary=True, row_factory=namedtuple_row) as cursor:
        cursor.execute(statement.string, statement.construct_params(parameters))
        rows: list[Any] = cursor.fetchall()
        return rows
