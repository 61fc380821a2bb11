"""The benchmark pool and the figures of its peer groups: how they change.

An entry enters when an organisation that takes part closes an assessment (see
`assessments.save_snapshot`) and when it opts in (its closed assessments enter); its
entries leave when it opts out. Each change recomputes, in its own transaction, the
distributions of the groups it touched and the verdicts of every group of the pool, so
a read (see `peer_groups`) is a few rows by primary key and never disagrees with the
pool. Changes of one pool take turns (an advisory lock on PostgreSQL, the write lock on
SQLite), so each refresh sees the changes before it. A change counts its organisations
by attributes as it goes (`peer_cells`), so the verdicts never count the pool; the
distributions of large groups are computed just after the change, outside its turn
(`refresh_pending_groups`, which a job runs), and until then show the pool as it was.

Only entries with every score (the overall score exists only when every level has one)
enter: every score of a group then has the same organisations, and k protects them all.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from sqlalchemy import delete, update
from sqlalchemy import select as columns_of
from sqlmodel import Session, col, select

from assess.domain.benchmarking import Attributes, Group, score_ids, scores_of
from assess.domain.pooling import pool_key
from assess.domain.questionnaire import Questionnaire
from assess.persistence.models.assessments import Assessment, AssessmentKind, AssessmentStatus
from assess.persistence.models.benchmarks import BenchmarkEntry
from assess.persistence.models.common import utcnow
from assess.persistence.models.organisations import Organisation
from assess.persistence.models.questionnaires import QuestionnaireVersion
from assess.persistence.models.responses import ScoreSnapshot
from assess.persistence.repository.common import writing
from assess.persistence.repository.peer_cells import count_in_cell
from assess.persistence.repository.peer_group_figures import (
    rebuild_figures,
    refresh_changed,
    refresh_pending,
    store_figures,
    store_verdicts,
)
from assess.persistence.repository.peer_group_rows import take_turn
from assess.persistence.repository.questionnaires import questionnaire_of

Entry = BenchmarkEntry


def pool_of(questionnaire: Questionnaire, *, demo: bool = False) -> tuple[str, list[str]]:
    """The pool key of an assessment of this questionnaire version (of a demo organisation
    or a real one) and the ids of the scores the pool keeps."""
    dimensions = [d.id for d in questionnaire.dimensions]
    return pool_key(questionnaire, demo=demo), score_ids(dimensions)


def enter_pool(
    session: Session,
    *,
    assessment: Assessment,
    organisation: Organisation,
    questionnaire: Questionnaire,
    result: Mapping[str, Any],
    k: int,
    refresh: bool = True,
) -> None:
    """Put a closed assessment's scores in its pool (replacing its earlier entry) and
    refresh the figures it changes, unless a bulk load calls `refresh_pool` once after
    all its entries instead. The caller commits, holding the write lock."""
    key, _ = pool_of(questionnaire, demo=organisation.is_demo)
    take_turn(session, [key], organisation.id)
    if not _takes_part(session, organisation.id):
        return  # opted out while this waited its turn
    touched = _leave(session, [assessment.id])
    _add(session, assessment, organisation, questionnaire, result)
    touched.setdefault(key, set()).update(_mark_newest(session, key, organisation.id))
    if refresh:
        for changed, groups in touched.items():
            store_figures(session, changed, groups, k)


def set_opt_in(session: Session, *, organisation: Organisation, opt_in: bool, k: int) -> None:
    """Let an organisation take part in benchmarks (its closed assessments enter the
    pool) or stop (its entries leave), refresh every figure that changes, and commit."""
    with writing(session):
        take_turn(session, [], organisation.id)  # before reading what it has closed
        rows = session.exec(
            select(Assessment, QuestionnaireVersion, ScoreSnapshot.result)
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
        with_snapshots = [
            (assessment, questionnaire_of(version), result)
            for assessment, version, result in rows
            if result.get("released") is not False
        ]
        demo = organisation.is_demo
        keys = {pool_of(questionnaire, demo=demo)[0] for _, questionnaire, _ in with_snapshots}
        held = session.exec(
            select(Entry.pool_key).where(Entry.organisation_id == organisation.id).distinct()
        ).all()
        take_turn(session, keys | set(held))
        organisation.benchmark_opt_in = opt_in
        session.add(organisation)
        touched = _leave(session, [a.id for a, _, _ in with_snapshots])
        if opt_in:
            for assessment, questionnaire, result in with_snapshots:
                _add(session, assessment, organisation, questionnaire, result)
            for key in keys:
                touched.setdefault(key, set()).update(_mark_newest(session, key, organisation.id))
        for key, groups in touched.items():
            store_figures(session, key, groups, k)
        session.commit()
    refresh_changed(session)


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
        store_figures(session, key, groups, k)
    return len(assessment_ids)


def refresh_pool(session: Session, *, pool_key: str, k: int) -> None:
    """Recompute every group of a pool from its entries (after a bulk load), and commit."""
    with writing(session):
        take_turn(session, [pool_key])
        rebuild_figures(session, pool_key, k)
        session.commit()


def refresh_changed_groups(session: Session) -> None:
    """After a change to the pool committed (an erasure's, say): compute the distributions
    of the groups it changed, but for large ones, which a job computes (`PENDING`).
    Each is read outside the pool's turn and written in a short one. Commits."""
    refresh_changed(session)


def refresh_pending_groups(session: Session, *, pool_key: str) -> int:
    """Compute the distributions of a pool's large groups that changes marked pending
    (see `peer_group_figures.refresh_pending`); how many were written. Commits."""
    return refresh_pending(session, pool_key=pool_key)


# Changes


def _takes_part(session: Session, organisation_id: uuid.UUID) -> bool:
    """Whether the organisation takes part, as committed now (not as first read)."""
    query = select(Organisation.benchmark_opt_in).where(Organisation.id == organisation_id)
    return bool(session.exec(query).one())


def _add(
    session: Session,
    assessment: Assessment,
    organisation: Organisation,
    questionnaire: Questionnaire,
    result: Mapping[str, Any],
) -> None:
    key, ids = pool_of(questionnaire, demo=organisation.is_demo)
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
            attributes = Attributes(row.industry, row.size, row.country)
            count_in_cell(session, row.pool_key, attributes, -1)
            groups.update(attributes.groups())
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
    changed = [e for e in entries if e.current] + [entries[0]]  # before the update syncs them
    session.execute(
        update(Entry)
        .where(col(Entry.organisation_id) == organisation_id, col(Entry.pool_key) == key)
        .values(current=col(Entry.id) == entries[0].id)
    )
    for entry, change in zip(changed, [-1] * (len(changed) - 1) + [1], strict=True):
        count_in_cell(session, key, Attributes(entry.industry, entry.size, entry.country), change)
    return {g for e in changed for g in Attributes(e.industry, e.size, e.country).groups()}


def refresh_verdicts(session: Session, *, pool_key: str, k: int) -> None:
    """Decide anew which groups of a pool may be shown (k was configured anew); the
    caller commits, holding the write lock."""
    take_turn(session, [pool_key])
    store_verdicts(session, pool_key, k)
