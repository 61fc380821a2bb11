"""The command takes `cx-maturity@1` and `cx-maturity@2` wherever it takes a bundled id
(the id alone is the newest version), says which versions there are when one is not, and
publishes a folder's files in version order."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, col, create_engine, select
from typer.testing import CliRunner

from assess.cli.main import app
from assess.config import get_settings
from assess.persistence.models.questionnaires import QuestionnaireVersion
from tests.conftest import ROOT
from tests.second_version import bundled_pair

DEMO = str(ROOT / "examples" / "answers-demo-v1.csv")  # answers of version 1's items
runner = CliRunner()


@pytest.fixture
def bundled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Version 1 as bundled and a version 2 of cx-maturity as the bundled questionnaires."""
    folder = bundled_pair(tmp_path / "questionnaires")
    monkeypatch.setenv("ASSESS_QUESTIONNAIRES_DIR", str(folder))
    monkeypatch.setenv("ASSESS_DATABASE_URL", f"sqlite:///{tmp_path / 'assess.db'}")
    get_settings.cache_clear()
    yield folder
    get_settings.cache_clear()


def test_show_takes_a_version_and_the_id_alone_is_the_newest(bundled: Path) -> None:
    first = runner.invoke(app, ["questionnaire", "show", "cx-maturity@1", "--lang", "de"])
    assert first.exit_code == 0, first.output
    assert "(cx-maturity v1, de, en)" in first.output
    assert "Erwachen" in first.output
    newest = runner.invoke(app, ["questionnaire", "show", "cx-maturity", "--lang", "de"])
    assert "(cx-maturity v2, de, en)" in newest.output
    assert "Einzelkämpfer" in newest.output


def test_score_with_version_1_scores_version_1s_answers(bundled: Path) -> None:
    result = runner.invoke(app, ["score", "-q", "cx-maturity@1", "-a", DEMO, "-f", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["questionnaire"] == {"id": "cx-maturity", "version": 1}


def test_a_version_that_is_not_bundled_exits_1_naming_those_that_are(bundled: Path) -> None:
    for command in (
        ["score", "-q", "cx-maturity@3", "-a", DEMO],
        ["questionnaire", "diff", "cx-maturity@1", "cx-maturity@3"],
        ["report", "-q", "cx-maturity@3", "-a", DEMO, "-o", "x.pdf"],
    ):
        result = runner.invoke(app, command)
        assert result.exit_code == 1, command
        assert "no version 3 of cx-maturity; use one of cx-maturity@1, cx-maturity@2" in (
            result.output
        )
        assert "Traceback" not in result.output


def test_diff_takes_two_versions_of_one_bundled_id(bundled: Path) -> None:
    result = runner.invoke(app, ["questionnaire", "diff", "cx-maturity@1", "cx-maturity@2"])
    assert result.exit_code == 0, result.output
    assert "cx-maturity v1 → cx-maturity v2" in result.output


def test_publish_stores_versions_in_ascending_order_whatever_the_file_order(
    bundled: Path, tmp_path: Path
) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    files = [str(bundled / "cx-maturity-v2.yaml"), str(bundled / "cx-maturity.yaml")]
    result = runner.invoke(app, ["questionnaire", "publish", *files])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"{files[1]}: published cx-maturity v1",
        f"{files[0]}: published cx-maturity v2",
    ]
    engine = create_engine(f"sqlite:///{tmp_path / 'assess.db'}")
    with Session(engine) as session:
        rows = session.exec(
            select(QuestionnaireVersion).order_by(col(QuestionnaireVersion.created_at))
        ).all()
    engine.dispose()
    assert [row.version for row in rows] == [1, 2]
