"""The benchmark pool and the figures of its peer groups: how they change.

An entry enters when an organisation that takes part closes an assessment (see
`assessments.save_snapshot`) and when it opts in (its closed assessments enter); its
entries leave when it opts out. Each change recomputes, in its own transaction, the
distributions of the groups it touched and the verdicts of every group of the pool, so
a read (see `peer_groups`) is a few rows by primary key and never disagrees with the
pool. Changes of one pool take turns (an advisory lock on PostgreSQL, the write lock on
SQLite), so each refresh sees the changes before it.

Only entries with every score (the overall score exists only when every level has one)
enter: every score of a group then has the same organisations, and k protects them all.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from sqlalchemy import String, delete, func, text, type_coerce, update
from sqlalchemy import select as columns_of
from sqlmodel import Session, col, select

from assess.domain.benchmarking import (
    Attributes,
    Cell,
    Group,
    pool_key,
    score_ids,
    scores_of,
    verdicts,
)
from assess.domain.peer_figures import EXACT_LIMIT, GRID, distribution
from assess.persistence.models.assessments import Assessment, AssessmentKind, AssessmentStatus
from assess.persistence.models.benchmarks import BenchmarkEntry, PeerGroupFigures
from assess.persistence.models.common import utcnow
from assess.persistence.models.organisations import Organisation
from assess.persistence.models.questionnaires import QuestionnaireVersion
from assess.persistence.models.responses import ScoreSnapshot
from assess.persistence.repository.common import writing
from assess.persistence.repository.peer_groups import (
    count_group,
    group_of,
    key_of,
    members_of,
    near_key_of,
    sql_filters,
)

Entry = BenchmarkEntry


def pool_of(
    questionnaire_id: str, result: Mapping[str, Any], *, demo: bool = False
) -> tuple[str, list[str]]:
    """The pool key of a scored assessment (of a demo organisation or a real one) and the
    ids of the scores the pool keeps."""
    dimensions = list(result.get("dimensions") or {})
    return pool_key(questionnaire_id, dimensions, demo=demo), score_ids(dimensions)


def enter_pool(
    session: Session,
    *,
    assessment: Assessment,
    organisation: Organisation,
    questionnaire_id: str,
    result: Mapping[str, Any],
    k: int,
    refresh: bool = True,
) -> None:
    """Put a closed assessment's scores in its pool (replacing its earlier entry) and
    refresh the figures it changes, unless a bulk load calls `refresh_pool` once after
    all its entries instead. The caller commits, holding the write lock."""
    key, _ = pool_of(questionnaire_id, result, demo=organisation.is_demo)
    take_turn(session, [key], organisation.id)
    if not _takes_part(session, organisation.id):
        return  # opted out while this waited its turn
    touched = _leave(session, [assessment.id])
    _add(session, assessment, organisation, questionnaire_id, result)
    touched.setdefault(key, set()).update(_mark_newest(session, key, organisation.id))
    if refresh:
        for changed, groups in touched.items():
            _refresh(session, changed, groups, k)


def set_opt_in(session: Session, *, organisation: Organisation, opt_in: bool, k: int) -> None:
    """Let an organisation take part in benchmarks (its closed assessments enter the
    pool) or stop (its entries leave), refresh every figure that changes, and commit."""
    with writing(session):
        take_turn(session, [], organisation.id)  # before reading what it has closed
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
                Assessment.kind == AssessmentKind.assessment,  # a study is not one organisation
            )
        ).all()
        # A snapshot of too few responses to release never enters (see store_snapshot).
        with_snapshots = [row for row in with_snapshots if row[2].get("released") is not False]
        demo = organisation.is_demo
        keys = {pool_of(qid, result, demo=demo)[0] for _, qid, result in with_snapshots}
        held = session.exec(
            select(Entry.pool_key).where(Entry.organisation_id == organisation.id).distinct()
        ).all()
        take_turn(session, keys | set(held))
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


def remove_organisation_entries(session: Session, *, organisation_id: uuid.UUID, k: int) -> int:
    """Take every entry of an organisation out of its pools (it is being erased) and
    refresh the figures that change; how many entries left. The caller commits, holding
    the write lock."""
    take_turn(session, [], organisation_id)
    assessment_ids = session.exec(
        select(Entry.assessment_id).where(Entry.organisation_id == organisation_id)
    ).all()
    keys = session.exec(
        select(Entry.pool_key).where(Entry.organisation_id == organisation_id).distinct()
    ).all()
    take_turn(session, keys)
    touched = _leave(session, list(assessment_ids))
    for key, groups in touched.items():
        _refresh(session, key, groups, k)
    return len(assessment_ids)


def refresh_pool(session: Session, *, pool_key: str, k: int) -> None:
    """Recompute every group of a pool from its entries (after a bulk load), and commit."""
    with writing(session):
        take_turn(session, [pool_key])
        session.execute(delete(PeerGroupFigures).where(col(PeerGroupFigures.pool_key) == pool_key))
        groups = {g for cell in _cells(session, pool_key) for g in cell.attributes.groups()}
        _refresh(session, pool_key, groups, k)
        session.commit()


# Changes


def take_turn(
    session: Session, keys: Iterable[str], organisation_id: uuid.UUID | None = None
) -> None:
    """Wait for other changes of this organisation's entries and of these pools to
    commit, always in that order (PostgreSQL; on SQLite the caller holds the write lock).
    Locks already held by this transaction are taken again at no cost."""
    if session.get_bind().dialect.name != "postgresql":
        return
    locks = [] if organisation_id is None else [organisation_id.hex]
    for lock in [*locks, *sorted(keys)]:
        session.execute(text("SELECT pg_advisory_xact_lock(:lock)"), {"lock": int(lock[:15], 16)})


def _takes_part(session: Session, organisation_id: uuid.UUID) -> bool:
    """Whether the organisation takes part, as committed now (not as first read)."""
    query = select(Organisation.benchmark_opt_in).where(Organisation.id == organisation_id)
    return bool(session.exec(query).one())


def _add(
    session: Session,
    assessment: Assessment,
    organisation: Organisation,
    questionnaire_id: str,
    result: Mapping[str, Any],
) -> None:
    key, ids = pool_of(questionnaire_id, result, demo=organisation.is_demo)
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


def refresh_verdicts(session: Session, *, pool_key: str, k: int) -> None:
    """Decide anew which groups of a pool may be shown (k was configured anew); the
    caller commits, holding the write lock."""
    take_turn(session, [pool_key])
    _store_verdicts(session, pool_key, k)


def _cells(session: Session, key: str) -> list[Cell]:
    rows = session.exec(
        select(Entry.industry, Entry.size, Entry.country, func.count())
        .where(Entry.pool_key == key, col(Entry.current) == True)  # noqa: E712 (indexed)
        .group_by(col(Entry.industry), col(Entry.size), col(Entry.country))
    ).all()
    return [Cell(Attributes(i, s, c), int(n)) for i, s, c, n in rows]
