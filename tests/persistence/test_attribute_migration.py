"""The migration that makes organisation attributes options: free text that names an
option (in German or English, however spaced and dashed) becomes its value, the rest is
kept for choosing one; pool entries follow and their pools are marked for computing
anew. On SQLite, and on PostgreSQL with ASSESS_TEST_DATABASE_URL."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy.dialects import postgresql

from assess.persistence.engine import alembic_config

REVISION = "18a1c0de5f01"
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def before_revision() -> str:
    revision = ScriptDirectory.from_config(alembic_config("sqlite://")).get_revision(REVISION)
    assert isinstance(revision.down_revision, str)
    return revision.down_revision


ORGANISATIONS = {
    "typed in German": ("Handel", "250 – 999", "Deutschland"),
    "typed in English": ("Public sector", "1,000-4,999", "germany"),
    "already options": ("retail", "5000-plus", "de"),
    "partly unknown": ("Lebensmittel", "250‑999", "Atlantis"),
    "not given": (None, "", None),
}


def table(name: str, *columns: str, **typed: sa.types.TypeEngine) -> sa.TableClause:
    """A table as the rows below need it: ids as UUIDs, other columns as given or plain."""
    return sa.table(
        name,
        *(sa.column(c, sa.Uuid() if c in UUIDS else None) for c in columns),
        *(sa.column(c, kind) for c, kind in typed.items()),
    )


UUIDS = {"id", "organisation_id", "assessment_id", "questionnaire_version_id"}
SCORES = sa.JSON().with_variant(postgresql.ARRAY(sa.Float(precision=53)), "postgresql")
TIME = sa.DateTime(timezone=True)


def fill(engine: sa.Engine) -> dict[str, uuid.UUID]:
    """Organisations with free-text attributes, two of them in a pool with figures."""
    organisations = table(
        "organisations",
        "id",
        "name",
        "industry",
        "size",
        "country",
        "benchmark_opt_in",
        created_at=TIME,
    )
    versions = table(
        "questionnaire_versions",
        "id",
        "questionnaire_id",
        "version",
        "source",
        "sha256",
        created_at=TIME,
    )
    assessments = table(
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
    entries = table(
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
    figures = table(
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
    ids = {name: uuid.uuid4() for name in ORGANISATIONS}
    version = uuid.uuid4()
    with engine.begin() as connection:
        for name, (industry, size, country) in ORGANISATIONS.items():
            attributes = {"industry": industry, "size": size, "country": country}
            connection.execute(
                organisations.insert().values(
                    id=ids[name], name=name, benchmark_opt_in=True, created_at=NOW, **attributes
                )
            )
        connection.execute(
            versions.insert().values(
                id=version,
                questionnaire_id="q",
                version=1,
                source="",
                sha256="0" * 64,
                created_at=NOW,
            )
        )
        for name in ("typed in German", "partly unknown"):
            assessment = uuid.uuid4()
            connection.execute(
                assessments.insert().values(
                    id=assessment,
                    organisation_id=ids[name],
                    questionnaire_version_id=version,
                    name="wave",
                    status="closed",
                    kind="assessment",
                    show_own_scores=False,
                    created_at=NOW,
                )
            )
            industry, size, country = ORGANISATIONS[name]
            connection.execute(
                entries.insert().values(
                    id=uuid.uuid4(),
                    pool_key="changed",
                    assessment_id=assessment,
                    organisation_id=ids[name],
                    industry=industry,
                    size=size,
                    country=country,
                    current=True,
                    closed_at=NOW,
                    scores=[50.0, 50.0],
                )
            )
        for pool in ("changed", "untouched"):
            connection.execute(
                figures.insert().values(
                    pool_key=pool,
                    kind="all",
                    key="[]",
                    organisations=5,
                    shown=True,
                    near=None,
                    k=5,
                    points=b"",
                    updated_at=NOW,
                )
            )
    return ids


def attributes_of(engine: sa.Engine, ids: dict[str, uuid.UUID]) -> dict[str, tuple]:
    """Each organisation's attributes (and unmatched values, once the column exists)."""
    names = {v: k for k, v in ids.items()}
    columns = {c["name"] for c in sa.inspect(engine).get_columns("organisations")}
    kept = ["unmatched_attributes"] if "unmatched_attributes" in columns else []
    organisations = table("organisations", "id", "industry", "size", "country", *kept)
    with engine.connect() as connection:
        rows = connection.execute(sa.select(organisations)).mappings().all()
    found = {}
    for row in rows:
        unmatched = row.get("unmatched_attributes")
        if isinstance(unmatched, str):
            unmatched = json.loads(unmatched)
        found[names[row["id"]]] = (row["industry"], row["size"], row["country"], unmatched)
    return found


def test_free_text_attributes_become_options_and_unmatched_ones_are_kept(
    empty_url: str,
) -> None:
    """On SQLite, or on the server of ASSESS_TEST_DATABASE_URL."""
    config = alembic_config(empty_url)
    command.upgrade(config, before_revision())
    engine = sa.create_engine(empty_url)
    try:
        ids = fill(engine)
        command.upgrade(config, REVISION)
        assert attributes_of(engine, ids) == {
            "typed in German": ("retail", "250-999", "de", {}),
            "typed in English": ("public-sector", "1000-4999", "de", {}),
            "already options": ("retail", "5000-plus", "de", {}),
            "partly unknown": (
                None,
                "250-999",
                None,
                {"industry": "Lebensmittel", "country": "Atlantis"},
            ),
            "not given": (None, None, None, {}),
        }
        with engine.connect() as connection:
            entries = connection.execute(
                sa.text("SELECT industry, size, country FROM benchmark_entries ORDER BY industry")
            ).all()
            marked = connection.execute(
                sa.text("SELECT pool_key, k FROM peer_group_figures ORDER BY pool_key")
            ).all()
        assert sorted(map(tuple, entries), key=str) == sorted(
            [("retail", "250-999", "de"), (None, "250-999", None)], key=str
        )
        assert list(map(tuple, marked)) == [("changed", 0), ("untouched", 5)]

        command.downgrade(config, before_revision())
        restored = attributes_of(engine, ids)
        assert restored["partly unknown"][:3] == ("Lebensmittel", "250-999", "Atlantis")
        assert restored["typed in German"][:3] == ("retail", "250-999", "de")
    finally:
        engine.dispose()
