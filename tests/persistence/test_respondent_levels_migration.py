"""The migration that keeps respondents' level scores beside each snapshot fills them for
the entries already in a pool exactly as closing keeps them, and downgrades."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from typer.testing import CliRunner

from assess.cli.main import app as cli
from assess.config import get_settings
from assess.persistence.engine import alembic_config, upgrade
from tests.conftest import QUESTIONNAIRES

BEFORE = "21b4e6a8c0d2"


def kept(engine: sa.Engine) -> tuple[list[tuple], list[tuple]]:
    """Every respondent level score and item moments row, in order."""
    with engine.connect() as connection:
        scores = connection.execute(
            sa.text("SELECT * FROM respondent_level_scores ORDER BY 1, 2, 3")
        ).all()
        moments = connection.execute(
            sa.text("SELECT assessment_id, level, n FROM level_item_moments ORDER BY 1, 2")
        ).all()
    return [tuple(r) for r in scores], [tuple(r) for r in moments]


@pytest.mark.slow
def test_upgrading_fills_the_level_scores_closing_would_keep(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'assess.db'}"
    upgrade(url)
    monkeypatch.setenv("ASSESS_DATABASE_URL", url)
    get_settings.cache_clear()
    options = ["--organisations", "8", "--respondents", "4", "--seed", "3", "--opt-in-share", "1"]
    version = ["--questionnaire", str(QUESTIONNAIRES / "cx-maturity.yaml")]
    result = CliRunner().invoke(
        cli, ["demo", "generate", "--into-this-database", *options, *version]
    )
    get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    engine = sa.create_engine(url)
    as_closed = kept(engine)
    assert len(as_closed[0]) >= 8 * 4 * 3  # a few respondents per level and organisation

    command.downgrade(alembic_config(url), BEFORE)
    assert "respondent_level_scores" not in sa.inspect(engine).get_table_names()
    command.upgrade(alembic_config(url), "head")
    migrated = kept(engine)
    assert [r[:3] for r in migrated[0]] == [r[:3] for r in as_closed[0]]
    assert [r[3] for r in migrated[0]] == pytest.approx([r[3] for r in as_closed[0]], abs=1e-9)
    assert migrated[1] == as_closed[1]
    engine.dispose()
