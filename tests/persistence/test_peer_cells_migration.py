"""The migration that counts a pool's organisations by attributes fills the cells that
closes keep for the entries already in a pool ("" and NULL alike: not given), starts
every stored figure up to date, and downgrades. On SQLite, and on PostgreSQL with
ASSESS_TEST_DATABASE_URL."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from sqlmodel import Session

from assess.persistence.engine import alembic_config, make_engine, upgrade
from assess.persistence.repository.questionnaires import publish_questionnaire
from tests.conftest import SERVICE_CHECK
from tests.persistence.repository.pools import Pool

BEFORE = "22c0a5e3f7d1"
CELLS = "SELECT pool_key, industry, size, country, organisations FROM peer_cells ORDER BY 1,2,3,4"


def test_upgrading_counts_the_cells_closes_would_keep(empty_url: str) -> None:
    """On SQLite, or on the server of ASSESS_TEST_DATABASE_URL."""
    upgrade(empty_url)
    engine = make_engine(empty_url, pool_size=1)
    with Session(engine, expire_on_commit=False) as session:
        source = SERVICE_CHECK.read_text(encoding="utf-8")
        version, _ = publish_questionnaire(
            session, questionnaire_id="service-check", version=1, source=source
        )
        pool = Pool(session, version.id)
        for i, (industry, size) in enumerate([("retail", "s"), ("banks", "s"), ("retail", "")]):
            for _ in range(i + 1):
                pool.close(pool.organisation(industry=industry, size=size), 10.0 * i)
        # Not given, kept either way by older versions: one cell all the same.
        session.execute(
            sa.text(
                "UPDATE benchmark_entries SET size = '' WHERE id IN "
                "(SELECT id FROM benchmark_entries WHERE size IS NULL LIMIT 1)"
            )
        )
        session.commit()
        kept = session.execute(sa.text(CELLS)).all()
    assert sum(row[-1] for row in kept) == 6
    assert [row[1:] for row in kept if row[2] == ""] == [("retail", "", "de", 3)]

    command.downgrade(alembic_config(empty_url), BEFORE)
    assert "peer_cells" not in sa.inspect(engine).get_table_names()
    command.upgrade(alembic_config(empty_url), "head")
    with engine.connect() as connection:
        assert connection.execute(sa.text(CELLS)).all() == kept
        figures = connection.execute(
            sa.text("SELECT count(*) FROM peer_group_figures WHERE points_revision < revision")
        ).one()
    assert figures[0] == 0
    engine.dispose()
