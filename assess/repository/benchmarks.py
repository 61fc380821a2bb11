"""The benchmark pool and the figures of its peer groups.

An entry enters when an organisation that takes part closes an assessment (see
`assessments.save_snapshot`) and when it opts in (its closed assessments enter); its
entries leave when it opts out. Each change recomputes, in its own transaction, the
distributions of the groups it touched and the verdicts of every group of the pool, so
a read is a few rows by primary key and never disagrees with the pool. Changes of one
pool take turns (an advisory lock on PostgreSQL, the write lock on SQLite), so each
refresh sees the changes before it.

Only entries with every score (the overall score exists only when every level has one)
enter: every score of a group then has the same organisations, and k protects them all.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
from psycopg.rows import namedtuple_row
from sqlalchemy import String, and_, bindparam, case, delete, func, or_, text, type_coerce, update
from sqlalchemy import select as columns_of
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.compiler import Compiled
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from assess.domain.benchmarking import (
    EXACT_LIMIT,
    GRID,
    Attributes,
    Cell,
    Distribution,
    Group,
    GroupKind,
    OwnFigures,
    Verdict,
    distribution,
    pool_key,
    score_ids,
    scores_of,
    verdicts,
)
from assess.domain.comparison import Comparison, GroupFigures, compare
from assess.models import (
    Assessment,
    AssessmentStatus,
    BenchmarkEntry,
    Organisation,
    PeerGroupFigures,
    QuestionnaireVersion,
    ScoreSnapshot,
    utcnow,
)
from assess.repository.common import writing

Entry = BenchmarkEntry


def pool_of(questionnaire_id: str, result: Mapping[str, Any]) -> tuple[str, list[str]]:
    """The pool key of a scored assessment and the ids of the scores the pool keeps."""
    dimensions = list(result.get("dimensions") or {})
    return pool_key(questionnaire_id, dimensions), score_ids(dimensions)


def enter_pool(
    session: Session,
    *,
    assessment: Assessment,
    organisation: Organisation,
    questionnaire_id: str,
    result: Mapping[str, Any],
    k: int,
) -> None:
    """Put a closed assessment's scores in its pool (replacing its earlier entry) and
    refresh the figures it changes. The caller commits, holding the write lock."""
    key, _ = pool_of(questionnaire_id, result)
    _take_turn(session, [key])
    touched = _leave(session, [assessment.id])
    _add(session, assessment, organisation, questionnaire_id, result)
    touched.setdefault(key, set()).update(_mark_newest(session, key, organisation.id))
    for changed, groups in touched.items():
        _refresh(session, changed, groups, k)


def set_opt_in(session: Session, *, organisation: Organisation, opt_in: bool, k: int) -> None:
    """Let an organisation take part in benchmarks (its closed assessments enter the
    pool) or stop (its entries leave), refresh every figure that changes, and commit."""
    with writing(session):
        with_snapshots = session.exec(
            select(Assessment, QuestionnaireVersion.questionnaire_id, ScoreSnapshot.result)
            .join(ScoreSnapshot, col(ScoreSnapshot.assessment_id) == col(Assessment.id))
            .join(
                QuestionnaireVersion,
                col(QuestionnaireVersion.id) == col(Assessment.questionnaire_version_id),
            )
            .where(
                Assessment.organisation_id == organisation.id,
                Assessment.status == AssessmentStatus.closed,
            )
        ).all()
        keys = {pool_of(qid, result)[0] for _, qid, result in with_snapshots}
        held = session.exec(
            select(Entry.pool_key).where(Entry.organisation_id == organisation.id).distinct()
        ).all()
        _take_turn(session, keys | set(held))
        organisation.benchmark_opt_in = opt_in
        session.add(organisation)
        touched = _leave(session, [a.id for a, _, _ in with_snapshots])
        if opt_in:
            for assessment, qid, result in with_snapshots:
                _add(session, assessment, organisation, qid, result)
            for key in keys:
                touched.setdefault(key, set()).update(_mark_newest(session, key, organisation.id))
        for key, groups in touched.items():
            _refresh(session, key, groups, k)
        session.commit()


def refresh_pool(session: Session, *, pool_key: str, k: int) -> None:
    """Recompute every group of a pool from its entries (after a bulk load), and commit."""
    with writing(session):
        _take_turn(session, [pool_key])
        session.execute(delete(PeerGroupFigures).where(col(PeerGroupFigures.pool_key) == pool_key))
        groups = {g for cell in _cells(session, pool_key) for g in cell.attributes.groups()}
        _refresh(session, pool_key, groups, k)
        session.commit()


def count_group(session: Session, *, pool_key: str, group: Group) -> int:
    """How many organisations a peer group of a pool has now (an indexed count)."""
    query = select(func.count()).select_from(Entry).where(*_members(pool_key, group))
    return int(session.exec(query).one())


def peer_groups_of(
    session: Session, *, pool_key: str, groups: Sequence[Group], score_ids: Sequence[str], k: int
) -> list[GroupFigures]:
    """The stored figures of these groups of a pool (those it has): verdicts of all,
    distributions of the scores (in the pool's order) of the groups that may be shown."""
    rows = _figure_rows(session, pool_key, groups)
    if any(row.k != k for row in rows):  # k was configured anew since the last refresh
        with writing(session):
            _take_turn(session, [pool_key])
            _store_verdicts(session, pool_key, k)
            session.commit()
        rows = _figure_rows(session, pool_key, groups)
    stored = []
    for row in rows:
        group = _group(row.kind, row.key)
        verdict = Verdict(row.shown, row.organisations, _near(row.near))
        found: dict[str, Distribution] = {}
        if row.shown:
            matrix = np.frombuffer(row.points, dtype=np.float64).reshape(len(score_ids), -1)
            found = {
                score_id: Distribution(row.organisations, points)
                for score_id, points in zip(score_ids, matrix, strict=True)
            }
        stored.append(GroupFigures(group, verdict, found))
    return stored


def comparison_for(
    session: Session,
    *,
    questionnaire_id: str,
    dimension_ids: Sequence[str],
    attributes: Attributes,
    own: Mapping[str, OwnFigures],
    k: int,
) -> Comparison:
    """Where an organisation with these attributes and own scores stands in the pool of
    its questionnaire: the stored figures of its peer groups, read and compared."""
    key, ids = pool_key(questionnaire_id, dimension_ids), score_ids(dimension_ids)
    stored = peer_groups_of(session, pool_key=key, groups=attributes.groups(), score_ids=ids, k=k)
    return compare(ids, own, stored, attributes, k)


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
        parameters[f"key{i}"] = _key_of(group) if group else ""
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


# Changes


def _take_turn(session: Session, keys: Iterable[str]) -> None:
    """Wait for other changes of these pools to commit (PostgreSQL; on SQLite the
    caller holds the write lock)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for key in sorted(keys):
        session.execute(text("SELECT pg_advisory_xact_lock(:lock)"), {"lock": int(key[:15], 16)})


def _add(
    session: Session,
    assessment: Assessment,
    organisation: Organisation,
    questionnaire_id: str,
    result: Mapping[str, Any],
) -> None:
    key, ids = pool_of(questionnaire_id, result)
    scores = scores_of(result, ids)
    if np.isnan(scores).any():
        return  # a level without a score: nothing to compare it with
    session.add(
        Entry(
            pool_key=key,
            assessment_id=assessment.id,
            organisation_id=organisation.id,
            industry=organisation.industry or None,
            size=organisation.size or None,
            country=organisation.country or None,
            closed_at=assessment.closed_at or utcnow(),
            scores=scores.tolist(),
        )
    )
    session.flush()


def _leave(session: Session, assessment_ids: Sequence[uuid.UUID]) -> dict[str, set[Group]]:
    """Take these assessments' entries out; the groups of those that counted, by pool."""
    if not assessment_ids:
        return {}
    gone = session.execute(
        columns_of(
            col(Entry.pool_key),
            col(Entry.industry),
            col(Entry.size),
            col(Entry.country),
            col(Entry.current),
        ).where(col(Entry.assessment_id).in_(assessment_ids))
    ).all()
    session.execute(delete(Entry).where(col(Entry.assessment_id).in_(assessment_ids)))
    touched: dict[str, set[Group]] = {}
    for row in gone:
        groups = touched.setdefault(row.pool_key, set())
        if row.current:
            groups.update(Attributes(row.industry, row.size, row.country).groups())
    return touched


def _mark_newest(session: Session, key: str, organisation_id: uuid.UUID) -> set[Group]:
    """Make the organisation's newest entry in the pool the one that counts; the groups
    whose organisations changed."""
    entries = session.exec(
        select(Entry)
        .where(Entry.organisation_id == organisation_id, Entry.pool_key == key)
        .order_by(col(Entry.closed_at).desc(), col(Entry.id))
    ).all()
    if not entries or [e.current for e in entries] == [True] + [False] * (len(entries) - 1):
        return set()
    session.execute(
        update(Entry)
        .where(col(Entry.organisation_id) == organisation_id, col(Entry.pool_key) == key)
        .values(current=col(Entry.id) == entries[0].id)
    )
    changed = [e for e in entries if e.current] + [entries[0]]
    return {g for e in changed for g in Attributes(e.industry, e.size, e.country).groups()}


def _refresh(session: Session, key: str, groups: Iterable[Group], k: int) -> None:
    groups = list(groups)
    if not groups:
        return
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL work_mem = '128MB'"))  # sorts of large groups
    for group in groups:
        _store_distribution(session, key, group)
    _store_verdicts(session, key, k)


def _store_distribution(session: Session, key: str, group: Group) -> None:
    where = [
        col(PeerGroupFigures.pool_key) == key,
        col(PeerGroupFigures.kind) == group.kind.value,
        col(PeerGroupFigures.key) == _key_of(group),
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
            key=_key_of(group),
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
    members = _members(key, group)
    if session.get_bind().dialect.name == "sqlite":
        # One JSON document for all rows: far faster than decoding each row's array.
        texts = session.exec(select(type_coerce(Entry.scores, String)).where(*members)).all()
        values = np.array(json.loads("[" + ",".join(texts) + "]"), dtype=np.float64)
    else:
        values = np.array(session.exec(select(Entry.scores).where(*members)).all())
    return np.array([distribution(column).points for column in values.T])


def _quantiles_in_postgres(session: Session, key: str, group: Group) -> np.ndarray[Any, Any]:
    width = session.exec(
        select(func.array_length(Entry.scores, 1)).where(*_members(key, group)).limit(1)
    ).one()
    columns = ", ".join(
        f"percentile_cont(CAST(:grid AS double precision[])) WITHIN GROUP (ORDER BY scores[{i}])"
        for i in range(1, width + 1)
    )
    filters, parameters = _sql_filters(group)
    # Only column names of this module are spliced in; every value is a bound parameter.
    query = f"SELECT {columns} FROM benchmark_entries WHERE pool_key = :pool AND current{filters}"  # noqa: S608
    row = session.execute(
        text(query),
        {"grid": GRID.tolist(), "pool": key, **parameters},
    ).one()
    return np.array(list(row), dtype=np.float64)


def _store_verdicts(session: Session, key: str, k: int) -> None:
    found = verdicts(_cells(session, key), k)
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
        verdict = found.get(_group(kind, stored_key))
        if verdict is None:
            continue  # empty groups have no row; this cannot outlive its refresh
        near_key = None if verdict.near is None else _near_key(verdict.near)
        if (row.shown, row.near, row.k) != (verdict.shown, near_key, k):
            session.execute(
                update(figures)
                .where(
                    col(figures.pool_key) == key,
                    col(figures.kind) == kind,
                    col(figures.key) == stored_key,
                )
                .values(shown=verdict.shown, near=near_key, k=k, updated_at=utcnow())
            )


def _cells(session: Session, key: str) -> list[Cell]:
    rows = session.exec(
        select(Entry.industry, Entry.size, Entry.country, func.count())
        .where(Entry.pool_key == key, col(Entry.current) == True)  # noqa: E712 (indexed)
        .group_by(col(Entry.industry), col(Entry.size), col(Entry.country))
    ).all()
    return [Cell(Attributes(i, s, c), int(n)) for i, s, c, n in rows]


# Groups as rows


_COLUMNS = {
    GroupKind.all: (),
    GroupKind.industry: ("industry",),
    GroupKind.size: ("size",),
    GroupKind.country: ("country",),
    GroupKind.industry_size: ("industry", "size"),
}


def _members(key: str, group: Group) -> list[ColumnElement[bool]]:
    columns = _COLUMNS[group.kind]
    return [
        col(Entry.pool_key) == key,
        col(Entry.current) == True,  # noqa: E712 (an equality the indexes serve)
        *(getattr(Entry, c) == v for c, v in zip(columns, group.values, strict=True)),
    ]


def _sql_filters(group: Group) -> tuple[str, dict[str, str]]:
    columns = _COLUMNS[group.kind]
    filters = "".join(f" AND {c} = :{c}" for c in columns)
    return filters, dict(zip(columns, group.values, strict=True))


def _key_of(group: Group) -> str:
    return json.dumps(list(group.values))


def _group(kind: str, key: str) -> Group:
    return Group(GroupKind(kind), tuple(json.loads(key)))


def _near_key(group: Group) -> str:
    return json.dumps([group.kind.value, *group.values])


def _near(stored: str | None) -> Group | None:
    if stored is None:
        return None
    kind, *values = json.loads(stored)
    return Group(GroupKind(kind), tuple(values))
