"""`assess questionnaire diff OLD NEW`: the changes and the pooling verdict, text or JSON."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from assess.cli.main import app
from tests.factories import questionnaire_data

runner = CliRunner()


def write(folder: Path, name: str, **extra: object) -> str:
    data = questionnaire_data(**extra)
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return str(path)


def reweighted(folder: Path) -> tuple[str, str]:
    old = write(folder, "v1.yaml")
    data = questionnaire_data(version=2)
    data["dimensions"][0]["items"][0]["weight"] = 2.5
    data["dimensions"][0]["items"][0]["text"] = {"de": "Neuer Text", "en": "i1"}
    new = folder / "v2.yaml"
    new.write_text(yaml.safe_dump(data, allow_unicode=True))
    return old, str(new)


def test_diff_prints_the_verdict_and_tables_by_effect_in_english(tmp_path: Path) -> None:
    old, new = reweighted(tmp_path)
    result = runner.invoke(app, ["questionnaire", "diff", old, new, "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "test v1 → test v2" in result.output
    assert "Benchmarks pool their scores: no" in result.output
    assert "scores are computed differently in: d1," in result.output
    assert "Changes that alter scores (1)" in result.output
    assert "Wording (scores unchanged) (1)" in result.output
    assert "2.5" in result.output
    assert "Neuer Text" in result.output


def test_diff_speaks_german_with_a_decimal_comma(tmp_path: Path) -> None:
    old, new = reweighted(tmp_path)
    result = runner.invoke(app, ["questionnaire", "diff", old, new, "--lang", "de"])
    assert result.exit_code == 0, result.output
    assert "Benchmarks fassen die Werte zusammen: nein" in result.output
    assert "Änderungen, die Werte verändern (1)" in result.output
    assert "Gewicht" in result.output
    assert "2,5" in result.output


def test_diff_json_has_changes_counts_and_verdict(tmp_path: Path) -> None:
    old, new = reweighted(tmp_path)
    result = runner.invoke(app, ["questionnaire", "diff", old, new, "--format", "json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["pooling"]["poolable"] is False
    assert out["pooling"]["scores_changed_in"] == ["d1", "overall"]
    assert out["counts"] == {"scores": 1, "stages": 0, "profile": 0, "wording": 1, "other": 0}
    assert out["summary"].startswith("Benchmarks pool their scores: no")


def test_diff_of_versions_with_other_dimensions_says_they_do_not_pool(tmp_path: Path) -> None:
    old = write(tmp_path, "v1.yaml")
    data = questionnaire_data(version=2)
    data["dimensions"][0]["id"] = "renamed"
    new = tmp_path / "v2.yaml"
    new.write_text(yaml.safe_dump(data))
    result = runner.invoke(app, ["questionnaire", "diff", old, str(new), "-f", "json"])
    assert result.exit_code == 0
    out = json.loads(result.stdout)
    assert out["pooling"]["poolable"] is False
    assert "dimensions added: renamed; dimensions removed: d1" in out["summary"]


def test_diff_takes_a_bundled_id_and_says_when_nothing_changed() -> None:
    result = runner.invoke(app, ["questionnaire", "diff", "cx-maturity", "cx-maturity"])
    assert result.exit_code == 0, result.output
    assert "No differences." in result.output


def test_diff_of_a_broken_file_lists_its_problems_with_line_and_column(tmp_path: Path) -> None:
    old = write(tmp_path, "v1.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        Path(old).read_text().replace("weight", "wieght").replace("version: 1", "version: x")
    )
    result = runner.invoke(app, ["questionnaire", "diff", old, str(broken)])
    assert result.exit_code == 1
    line = next(x for x in result.output.splitlines() if "version" in x)
    path, row, column, _ = line.split(":", 3)
    assert path == str(broken)
    assert row.isdigit()
    assert column.isdigit()
