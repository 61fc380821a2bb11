"""The migration that keys benchmark entries by their questionnaire version's scoring
signature: versions that score differently leave each other's pool, versions that score
the same stay together, every organisation keeps counting in each pool with its newest
entry there, and the figures are those a refresh computes. On SQLite, and on PostgreSQL
with ASSESS_TEST_DATABASE_URL."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import sqlalchemy as sa
import yaml
from alembic import command
from sqlalchemy.dialects import postgresql
from sqlmodel import Session

from assess.domain.pooling import pool_key
from assess.domain.validation import parse_questionnaire
from assess.persistence.engine import alembic_config
from assess.persistence.repository.benchmarks import refresh_pool
from tests.second_version import FIRST, second_version_data

REVISION = "21c4e8a0f6b2"
BEFORE = "20a1d0c5e7b3"
NOW = datetime(2026, 12, 1, tzinfo=UTC)
UUIDS = {"id", "organisation_id", "assessment_id", "questionnaire_version_id"}
SCORES = sa.JSON().with_variant(postgresql.ARRAY(sa.Float(precision=53)), "postgresql")
TIME = sa.DateTime(timezone=True)


def table(name: str, *columns: str, **typed: sa.types.TypeEngine) -> sa.TableClause:
    """A table as the rows below need it: ids as UUIDs, other columns as given or plain."""
    return sa.table(
        name,
        *(sa.column(c, sa.Uuid() if c in UUIDS else None) for c in columns),
        *(sa.column(c, kind) for c, kind in typed.items()),
    )


ORGANISATIONS = table(
    "organisations",
    *("id", "name", "industry", "size", "country", "benchmark_opt_in", "is_demo"),
    created_at=TIME,
)
VERSIONS = table(
    "questionnaire_versions",
    *("id", "questionnaire_id", "version", "source", "sha256"),
    created_at=TIME,
)
ASSESSMENTS = table(
    "assessments",
    "id",
    "organisation_id",
    "questionnaire_version_id",
    "name",
    "status",
    "kind",
    "show_own_scores",
    created_at=TIME,
)
ENTRIES = table(
    "benchmark_entries",
    "id",
    "pool_key",
    "assessment_id",
    "organisation_id",
    "industry",
    "size",
    "country",
    "current",
    closed_at=TIME,
    scores=SCORES,
)
FIGURES = table(
    "peer_group_figures",
    "pool_key",
    "kind",
    "key",
    "organisations",
    "shown",
    "near",
    "k",
    points=sa.LargeBinary(),
    updated_at=TIME,
)


def sources() -> dict[int, str]:
    """Version 1 as bundled, a version 2 with other items, and a version 3 that words an
    item anew but scores as version 1 does."""
    first = FIRST.read_text(encoding="utf-8")
    third = yaml.safe_load(first)
    third["version"] = 3
    third["dimensions"][0]["items"][0]["text"]["de"] = "Neu formuliert."
    return {
        1: first,
        2: yaml.safe_dump(second_version_data(), allow_unicode=True),
        3: yaml.safe_dump(third, allow_unicode=True),
    }


def levels_key(source: str, demo: bool = False) -> str:
    """A pool key as it was before the revision: id and levels."""
    questionnaire = parse_questionnaire(source)
    text = questionnaire.id + "\n" + "\n".join(sorted(d.id for d in questionnaire.dimensions))
    return hashlib.sha256((text + "\ndemo" if demo else text).encode()).hexdigest()[:32]


# Organisation: (industry, demo, [(version, days before NOW it closed)]).
CLOSED: dict[str, tuple[str, bool, list[tuple[int, int]]]] = {
    "moved on": ("retail", False, [(1, 10), (2, 0)]),
    "first only": ("retail", False, [(1, 5)]),
    "reworded": ("healthcare", False, [(3, 3)]),
    "demo": ("retail", True, [(1, 1)]),
}


def fill(engine: sa.Engine) -> dict[str, dict[int, uuid.UUID]]:
    """The organisations' entries keyed as before the revision, with figures of the old
    pool; each organisation's entry ids by version."""
    texts = sources()
    version_ids = {number: uuid.uuid4() for number in texts}
    made: dict[str, dict[int, uuid.UUID]] = {}
    with engine.begin() as connection:
        for number, source in texts.items():
            connection.execute(
                VERSIONS.insert().values(
                    id=version_ids[number],
                    questionnaire_id="cx-maturity",
                    version=number,
                    source=source,
                    sha256=hashlib.sha256(source.encode()).hexdigest(),
                    created_at=NOW,
                )
            )
        for name, (industry, demo, closed) in CLOSED.items():
            organisation = uuid.uuid4()
            attributes = {"industry": industry, "size": "250-999", "country": "de"}
            connection.execute(
                ORGANISATIONS.insert().values(
                    id=organisation,
                    name=name,
                    benchmark_opt_in=True,
                    is_demo=demo,
                    created_at=NOW,
                    **attributes,
                )
            )
            newest = max(closed, key=lambda c: -c[1])
            made[name] = {}
            for number, days in closed:
                assessment, entry = uuid.uuid4(), uuid.uuid4()
                connection.execute(
                    ASSESSMENTS.insert().values(
                        id=assessment,
                        organisation_id=organisation,
                        questionnaire_version_id=version_ids[number],
                        name=f"wave {number}",
                        status="closed",
                        kind="assessment",
                        show_own_scores=False,
                        created_at=NOW,
                    )
                )
                connection.execute(
                    ENTRIES.insert().values(
                        id=entry,
                        pool_key=levels_key(texts[number], demo),
                        assessment_id=assessment,
                        organisation_id=organisation,
                        current=(number, days) == newest,
                        closed_at=NOW - timedelta(days=days),
                        scores=[40.0 + number, 30.0, 40.0, 50.0, 60.0 - days],
                        **attributes,
                    )
                )
                made[name][number] = entry
        connection.execute(
            FIGURES.insert().values(
                pool_key=levels_key(texts[1]),
                kind="all",
                key="[]",
                organisations=3,
                shown=False,
                near=None,
                k=5,
                points=b"",
                updated_at=NOW,
            )
        )
    return made


def entries_of(engine: sa.Engine) -> dict[uuid.UUID, tuple[str, bool]]:
    with engine.connect() as connection:
        rows = connection.execute(sa.select(ENTRIES.c.id, ENTRIES.c.pool_key, ENTRIES.c.current))
        return {row.id: (row.pool_key, bool(row.current)) for row in rows}


def figures_of(engine: sa.Engine) -> dict[tuple[str, str, str], tuple[Any, ...]]:
    """Every stored peer-group row by pool, kind and values."""
    with engine.connect() as connection:
        rows = connection.execute(sa.select(FIGURES)).all()
    return {
        (r.pool_key, r.kind, r.key): (r.organisations, r.shown, r.near, r.k, bytes(r.points))
        for r in rows
    }


def refreshed(
    engine: sa.Engine, config: Any, keys: set[str]
) -> dict[tuple[str, str, str], tuple[Any, ...]]:
    """The rows the service's own refresh computes for these pools, on the schema it is
    written for (the latest)."""
    command.upgrade(config, "head")
    with Session(engine) as session:
        for key in sorted(keys):
            refresh_pool(session, pool_key=key, k=5)
    return figures_of(engine)


def test_entries_move_to_the_pool_of_their_scoring_and_every_organisation_still_counts(
    empty_url: str,
) -> None:
    """On SQLite, or on the server of ASSESS_TEST_DATABASE_URL."""
    config = alembic_config(empty_url)
    command.upgrade(config, BEFORE)
    engine = sa.create_engine(empty_url)
    try:
        made = fill(engine)
        texts = sources()
        first, second = parse_questionnaire(texts[1]), parse_questionnaire(texts[2])
        command.upgrade(config, REVISION)

        found = entries_of(engine)
        same_as_first = (pool_key(first), True)
        assert found[made["moved on"][1]] == same_as_first  # counts again in version 1's pool
        assert found[made["moved on"][2]] == (pool_key(second), True)
        assert found[made["first only"][1]] == same_as_first
        assert found[made["reworded"][3]] == same_as_first  # scores as version 1 does
        assert found[made["demo"][1]] == (pool_key(first, demo=True), True)

        stored = figures_of(engine)
        assert stored[pool_key(first), "all", "[]"][0] == 3
        assert stored[pool_key(first), "industry", '["retail"]'][0] == 2
        assert stored[pool_key(second), "all", "[]"][0] == 1
        assert stored[pool_key(first, demo=True), "all", "[]"][0] == 1
        assert {key for key, _, _ in stored} == {
            pool_key(first),
            pool_key(second),
            pool_key(first, demo=True),
        }
        again = refreshed(engine, config, {key for key, _, _ in stored})
        assert again.keys() == stored.keys()
        for row, (n, shown, near, k, points) in stored.items():
            assert again[row][:4] == (n, shown, near, k)
            np.testing.assert_allclose(
                np.frombuffer(again[row][4]), np.frombuffer(points), rtol=1e-12
            )

        command.downgrade(config, BEFORE)
        back = entries_of(engine)
        assert back[made["moved on"][1]] == (levels_key(texts[1]), False)
        assert back[made["moved on"][2]] == (levels_key(texts[1]), True)
        assert back[made["reworded"][3]] == (levels_key(texts[1]), True)
        assert back[made["demo"][1]] == (levels_key(texts[1], demo=True), True)
        assert figures_of(engine)[levels_key(texts[1]), "all", "[]"][0] == 3
    finally:
        engine.dispose()
