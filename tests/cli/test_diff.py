"""`assess questionnaire diff OLD NEW`: the pooling verdict and why, a summary by level,
what changed in each level, every change field by field on request; text or JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from assess.cli.main import app
from assess.domain.catalogue import Catalogue
from tests.conftest import QUESTIONNAIRES
from tests.factories import questionnaire_data
from tests.second_version import bundled_pair

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


def diff(*arguments: str) -> str:
    result = runner.invoke(app, ["questionnaire", "diff", *arguments], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.output


def test_diff_says_why_two_versions_do_not_pool_and_what_changed_in_english(
    tmp_path: Path,
) -> None:
    output = diff(*reweighted(tmp_path), "--lang", "en")
    lines = output.splitlines()
    assert lines[0] == "test v1 → test v2"
    assert lines[1].startswith(
        "Benchmarks keep the two versions apart: scores are computed differently in d1 and "
        "the overall score."
    )
    assert "Levels: all 1 kept." in output
    assert "Statements and questions: 1 before, 1 now: 1 scored differently." in output
    assert "~ i1: weight: 1 → 2.5" in output
    assert "Changes that alter scores" not in output  # only with --details
    assert "Every change field by field: add --details." in output


def test_diff_speaks_german_with_a_decimal_comma(tmp_path: Path) -> None:
    output = diff(*reweighted(tmp_path), "--lang", "de")
    assert (
        "Der Vergleich mit anderen Organisationen hält die beiden Versionen getrennt: "
        "Die Werte werden anders" in output
    )
    assert "~ i1: Gewicht: 1 → 2,5" in output
    assert "Aussagen und Fragen: vorher 1, jetzt 1: 1 anders gewertet." in output


def test_details_add_every_change_field_by_field(tmp_path: Path) -> None:
    output = diff(*reweighted(tmp_path), "--lang", "en", "--details")
    assert "Changes that alter scores (1)" in output
    assert "Wording (scores unchanged) (1)" in output
    assert "Neuer Text" in output


def test_diff_json_has_the_summary_first_then_verdict_overview_and_changes(
    tmp_path: Path,
) -> None:
    out = json.loads(diff(*reweighted(tmp_path), "--format", "json"))
    assert list(out) == ["old", "new", "summary", "pooling", "overview", "counts", "changes"]
    assert out["pooling"]["poolable"] is False
    assert out["pooling"]["scores_changed_in"] == ["d1", "overall"]
    assert out["counts"] == {"scores": 1, "stages": 0, "profile": 0, "wording": 1, "other": 0}
    assert out["summary"].startswith("Benchmarks keep the two versions apart")
    assert out["overview"]["levels"][0]["scored_differently"] == ["i1"]


def test_diff_of_versions_with_other_dimensions_says_they_do_not_pool(tmp_path: Path) -> None:
    old = write(tmp_path, "v1.yaml")
    data = questionnaire_data(version=2)
    data["dimensions"][0].update(id="renamed", name={"de": "Neu", "en": "New"})
    new = tmp_path / "v2.yaml"
    new.write_text(yaml.safe_dump(data))
    out = json.loads(diff(old, str(new), "-f", "json"))
    assert out["pooling"]["poolable"] is False
    assert "levels added: New; levels removed: d1" in out["summary"]
    assert [level["change"] for level in out["overview"]["levels"]] == ["added", "removed"]


def test_diff_takes_a_bundled_id_and_says_when_nothing_changed() -> None:
    output = diff("cx-maturity", "cx-maturity")
    assert "Benchmarks pool the two versions" in output
    assert "No differences." in output


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


@pytest.fixture
def pair(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Version 1 as bundled and a version 2 with other items as the bundled folder."""
    from assess.config import get_settings

    monkeypatch.setenv("ASSESS_QUESTIONNAIRES_DIR", str(bundled_pair(tmp_path)))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_the_version_2_diff_reads_as_a_summary_then_each_level(pair: None) -> None:
    output = diff("cx-maturity@1", "cx-maturity@2", "--lang", "de")
    lines = output.splitlines()
    assert lines[1].startswith(
        "Der Vergleich mit anderen Organisationen hält die beiden Versionen getrennt: Die Werte"
    )
    summary = lines[lines.index("") + 1 : lines.index("") + 7]
    assert summary == [
        "Ebenen: alle 4 beibehalten.",
        "Aussagen und Fragen: vorher 28, jetzt 31: 10 hinzugefügt, 7 entfernt, 1 anders "
        "gewertet, 1 umformuliert oder mit anderer Quelle.",
        "Stufen: 3 umbenannt (ab 20: Erwachen → Einzelkämpfer; ab 40: Strukturiert → "
        "Abteilungsinitiativen; ab 60: Integriert → Übergreifend gesteuert); Schwellenwerte "
        "unverändert.",
        "Fragebogen: Wichtigkeit wird je Ebene einmal abgefragt (1–5).",
        "Profilfragen: entfernt: cx_anchoring, cx_role, cx_importance.",
        "Empfehlungen: 15 folgen nur den umbenannten Stufen.",
    ]
    assert "│ Strategie       │ 7 → 8  │ 3   │ 2        │ 1               │ 0" in output
    assert " − strategy-owner – „Wer verantwortet die Kundenorientierung auf oberster Ebene?“ " \
        "(Auswahlfrage)" in output  # fmt: skip
    assert " ~ strategy-purpose: „Kann ich nicht beurteilen“ angeboten: nein → ja" in output
    assert len(lines) < 60
    english = diff("cx-maturity@1", "cx-maturity@2", "--lang", "en")
    assert "Stages: 3 renamed (from 20: Awakening → Lone evangelists;" in english
    assert "Recommendations: 15 only follow the renamed stages." in english


def test_the_bundled_version_2_reads_as_a_summary_in_german_english_and_json() -> None:
    versions = Catalogue(QUESTIONNAIRES).versions["cx-maturity"]
    assert sorted(versions)[:2] == [1, 2]
    german = diff("cx-maturity@1", "cx-maturity@2", "--lang", "de").splitlines()
    assert german[1].startswith(
        "Der Vergleich mit anderen Organisationen hält die beiden Versionen getrennt"
    )
    summary = german[german.index("") + 1 :]
    assert summary[0] == "Ebenen: alle 4 beibehalten."
    assert summary[1].startswith("Aussagen und Fragen: vorher 28, jetzt ")
    assert summary[2].startswith(
        "Stufen: 3 umbenannt (ab 20: Erwachen → Einzelkämpfer; ab 40: Strukturiert → "
    )
    english = diff("cx-maturity@1", "cx-maturity@2", "--lang", "en")
    assert "Levels: all 4 kept." in english
    assert "Every change field by field: add --details." in english
    detailed = diff("cx-maturity@1", "cx-maturity@2", "--lang", "en", "--details")
    assert len(english.splitlines()) * 5 < len(detailed.splitlines())  # the noise waits
    out = json.loads(diff("cx-maturity@1", "cx-maturity@2", "-f", "json"))
    assert out["pooling"]["poolable"] is False
    assert len(out["summary"].splitlines()) <= 8
    renamed = [(r["from"], r["to"]) for r in out["overview"]["stages"]["renamed"]]
    assert renamed == [
        ("awakening", "evangelists"),
        ("structured", "departments"),
        ("integrated", "orchestrated"),
    ]
