"""pool keys from scoring signatures: benchmark entries pool by how their questionnaire
version computes scores, no longer by its id and levels alone

Revision ID: 21c4e8a0f6b2
Revises: 20a1d0c5e7b3
Create Date: 2026-12-07 13:00:00.000000

Until now two versions of a questionnaire with the same levels shared a pool however
differently they computed scores. Each entry's key becomes the hash of its questionnaire
version's scoring signature (`assess.domain.pooling.pool_key`; demo organisations
apart). Per organisation and pool the newest entry counts again: an organisation whose
newest entry moves to another pool keeps counting in the old one with its newest entry
there, so nobody drops out of a pool. Every pool's peer-group figures are then computed
anew from its entries, as `refresh_pool` computes them, with verdicts for k = 5; a
service configured with another k decides them anew when it first reads them, as after
any change of k. Downgrading puts back the keys of id and levels and computes the figures
the same way.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from assess import K_DEFAULT
from assess.domain.benchmarking import ATTRIBUTES, Attributes, Cell, Group, verdicts
from assess.domain.peer_figures import distribution
from assess.domain.pooling import pool_key
from assess.domain.questionnaire import Questionnaire
from assess.domain.validation import parse_questionnaire
from assess.domain.yamlfile import FileProblems

revision: str = "21c4e8a0f6b2"
down_revision: str | None = "20a1d0c5e7b3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCORES = sa.JSON().with_variant(postgresql.ARRAY(sa.Float(precision=53)), "postgresql")
CHUNK = 500

entries = sa.table(
    "benchmark_entries",
    sa.column("id", sa.Uuid()),
    sa.column("pool_key", sa.String()),
    sa.column("assessment_id", sa.Uuid()),
    sa.column("organisation_id", sa.Uuid()),
    sa.column("industry", sa.String()),
    sa.column("size", sa.String()),
    sa.column("country", sa.String()),
    sa.column("closed_at", sa.DateTime(timezone=True)),
    sa.column("current", sa.Boolean()),
    sa.column("scores", SCORES),
)
assessments = sa.table(
    "assessments", sa.column("id", sa.Uuid()), sa.column("questionnaire_version_id", sa.Uuid())
)
versions = sa.table(
    "questionnaire_versions",
    sa.column("id", sa.Uuid()),
    sa.column("questionnaire_id", sa.String()),
    sa.column("version", sa.Integer()),
    sa.column("source", sa.Text()),
)
organisations = sa.table(
    "organisations", sa.column("id", sa.Uuid()), sa.column("is_demo", sa.Boolean())
)
figures = sa.table(
    "peer_group_figures",
    sa.column("pool_key", sa.String()),
    sa.column("kind", sa.String()),
    sa.column("key", sa.String()),
    sa.column("organisations", sa.Integer()),
    sa.column("shown", sa.Boolean()),
    sa.column("near", sa.String()),
    sa.column("k", sa.Integer()),
    sa.column("points", sa.LargeBinary()),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)

KeyOf = Callable[[Questionnaire, bool], str]


def upgrade() -> None:
    _rekey(lambda questionnaire, demo: pool_key(questionnaire, demo=demo))


def downgrade() -> None:
    _rekey(_levels_key)


def _levels_key(questionnaire: Questionnaire, demo: bool) -> str:
    """The key before this revision: the questionnaire's id and its levels' ids."""
    text = questionnaire.id + "\n" + "\n".join(sorted(d.id for d in questionnaire.dimensions))
    return hashlib.sha256((text + "\ndemo" if demo else text).encode()).hexdigest()[:32]


def _rekey(key_of: KeyOf) -> None:
    """Give every entry the key `key_of` makes of its version, mark each organisation's
    newest entry per pool as the one that counts, and compute every pool's figures."""
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(
            entries.c.id,
            entries.c.pool_key,
            entries.c.organisation_id,
            entries.c.closed_at,
            entries.c.current,
            versions.c.id.label("version_id"),
            versions.c.questionnaire_id,
            versions.c.version,
            versions.c.source,
            organisations.c.is_demo,
        ).select_from(
            entries.join(assessments, assessments.c.id == entries.c.assessment_id)
            .join(versions, versions.c.id == assessments.c.questionnaire_version_id)
            .join(organisations, organisations.c.id == entries.c.organisation_id)
        )
    ).all()
    keys: dict[tuple[uuid.UUID, bool], str] = {}
    for row in rows:
        demo = bool(row.is_demo)
        if (row.version_id, demo) not in keys:
            keys[row.version_id, demo] = key_of(_parsed(row), demo)
    new_key = {row.id: keys[row.version_id, bool(row.is_demo)] for row in rows}
    moved: dict[str, list[uuid.UUID]] = {}
    for row in rows:
        if new_key[row.id] != row.pool_key:
            moved.setdefault(new_key[row.id], []).append(row.id)
    for key, ids in moved.items():
        _update(connection, ids, pool_key=key)
    _mark_newest(connection, rows, new_key)
    connection.execute(figures.delete())
    for key in sorted(set(new_key.values())):
        _store_figures(connection, key)


def _parsed(row: Any) -> Questionnaire:
    try:
        return parse_questionnaire(row.source, f"{row.questionnaire_id} v{row.version}")
    except FileProblems as exc:  # the service reads every stored version: a bug, not data
        raise RuntimeError(
            f"questionnaire {row.questionnaire_id} version {row.version} no longer reads "
            f"as a questionnaire, so its benchmark entries cannot be given a pool: {exc}"
        ) from exc


def _mark_newest(connection: sa.Connection, rows: Sequence[Any], new_key: dict[Any, str]) -> None:
    """Per organisation and pool, the entry closed last (on ties the smallest id) counts."""
    by_pool: dict[tuple[uuid.UUID, str], list[Any]] = {}
    for row in sorted(rows, key=lambda r: r.id):
        by_pool.setdefault((row.organisation_id, new_key[row.id]), []).append(row)
    newest = {max(group, key=lambda r: r.closed_at).id for group in by_pool.values()}
    for current in (True, False):
        ids = [r.id for r in rows if (r.id in newest) is current and bool(r.current) is not current]
        _update(connection, ids, current=current)


def _update(connection: sa.Connection, ids: Sequence[uuid.UUID], **values: Any) -> None:
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        connection.execute(entries.update().where(entries.c.id.in_(chunk)).values(**values))


def _store_figures(connection: sa.Connection, key: str) -> None:
    """Each peer group's distribution of every score over the pool's counting entries,
    and the verdict on whether it may be shown (see `peer_group_figures`)."""
    counting = connection.execute(
        sa.select(entries.c.industry, entries.c.size, entries.c.country, entries.c.scores).where(
            entries.c.pool_key == key, entries.c.current.is_(True)
        )
    ).all()
    if not counting:
        return
    attributes = [Attributes(r.industry, r.size, r.country) for r in counting]
    scores = np.array([list(r.scores) for r in counting], dtype=np.float64)
    cells = [Cell(a, n) for a, n in Counter(attributes).items()]
    now = datetime.now(UTC)
    for group, verdict in verdicts(cells, K_DEFAULT).items():
        members = np.array([_belongs(a, group) for a in attributes])
        values = scores[members]
        points = np.array([distribution(column).points for column in values.T])
        near = verdict.near
        connection.execute(
            figures.insert().values(
                pool_key=key,
                kind=group.kind.value,
                key=json.dumps(list(group.values)),
                organisations=len(values),
                shown=verdict.shown,
                near=None if near is None else json.dumps([near.kind.value, *near.values]),
                k=K_DEFAULT,
                points=np.ascontiguousarray(points, dtype=np.float64).tobytes(),
                updated_at=now,
            )
        )


def _belongs(attributes: Attributes, group: Group) -> bool:
    names = ATTRIBUTES[group.kind]
    return all(getattr(attributes, n) == v for n, v in zip(names, group.values, strict=True))
