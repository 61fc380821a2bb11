"""`assess score` says how sure each figure is: per level the 95 % interval and rwg in
the table, a verdict in words under it, and divergence between groups as clear or
possible, never the same warning for both."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from assess.cli.main import app
from tests.factories import (
    boolean_item,
    csv_bytes,
    dimension,
    questionnaire_data,
    recommendation,
    scale_item,
)

runner = CliRunner()

HEADER = ["respondent", "department", "c1", "p1", "b1"]
# c1 (level "sharp"): sales 5, 5, 4 against service 1, 1, 2: 91.7 against 8.3, little
# spread within each group, so the Welch interval excludes 0: clear.
# p1 (level "mixed"): sales 5, 1, 5 against service 1, 5, 1: 66.7 against 33.3, flagged
# but spread widely within each group: possible only. Its 95 % interval reaches past both
# ends of the scale.
# b1 (level "facts"): yes/no only, no statement for rwg: too few answers to tell.
ROWS = [
    ["r1", "sales", 5, 5, "yes"],
    ["r2", "sales", 5, 1, "no"],
    ["r3", "sales", 4, 5, "yes"],
    ["r4", "service", 1, 1, "no"],
    ["r5", "service", 1, 5, "yes"],
    ["r6", "service", 2, 1, "no"],
]


@pytest.fixture
def files(tmp_path: Path) -> tuple[str, str]:
    clear = recommendation("talk", {"divergence": {"significant": True}})
    possible = recommendation("ask", {"divergence": {"at_least": 20, "significant": False}})
    questionnaire = questionnaire_data(
        dimension("sharp", scale_item("c1"), recommendations=[clear]),
        dimension("mixed", scale_item("p1"), recommendations=[possible]),
        dimension("facts", boolean_item("b1")),
        divergence_threshold=20,
    )
    questionnaire_file = tmp_path / "q.yaml"
    questionnaire_file.write_text(yaml.safe_dump(questionnaire))
    answers = tmp_path / "answers.csv"
    answers.write_bytes(csv_bytes(HEADER, *ROWS))
    return str(questionnaire_file), str(answers)


def score(files: tuple[str, str], *args: str) -> Any:
    command = ["score", "-q", files[0], "-a", files[1], *args]
    result = runner.invoke(app, command, env={"COLUMNS": "110"})
    assert result.exit_code == 0, result.output
    return result


def row(output: str, name: str) -> str:
    """The table row that starts with a level's name."""
    return next(line for line in output.splitlines() if line.startswith(f"│ {name} "))


def test_the_answers_give_one_clear_and_one_possible_divergence(files: tuple[str, str]) -> None:
    out = json.loads(score(files, "-f", "json").stdout)
    divergence = out["divergence"]["department"]
    assert divergence["sharp"] == {
        "spread": pytest.approx(83.33, abs=0.01),
        "flagged": True,
        "significant": True,
    }
    assert (divergence["mixed"]["flagged"], divergence["mixed"]["significant"]) == (True, False)


def test_each_level_shows_its_95_interval_and_rwg_beside_score_n_and_sd(
    files: tuple[str, str],
) -> None:
    out = json.loads(score(files, "-f", "json").stdout)["dimensions"]
    low, high = out["sharp"]["ci95"]
    english = row(score(files, "--lang", "en").output, "sharp")
    assert f"{low:.1f}–{high:.1f}" in english
    assert f"{out['sharp']['rwg']:.2f}" in english
    german = row(score(files, "--lang", "de").output, "sharp")
    assert f"{low:.1f}–{high:.1f}".replace(".", ",") in german
    # An interval past the scale's ends is shown within 0 to 100; a level without rwg: –.
    assert out["mixed"]["ci95"][0] < 0
    assert out["mixed"]["ci95"][1] > 100
    assert "0.0–100.0" in row(score(files, "--lang", "en").output, "mixed")
    assert out["facts"]["rwg"] is None
    assert "│    – │" in row(score(files, "--lang", "en").output, "facts")


def test_a_note_under_the_table_says_what_rwg_and_the_interval_mean(
    files: tuple[str, str],
) -> None:
    english = " ".join(score(files, "--lang", "en").output.split())
    assert "rwg: how far the respondents agree, 0 to 1" in english
    assert "95% interval: the whole organisation's score lies within it" in english
    german = " ".join(score(files, "--lang", "de").output.split())
    assert "rwg: wie einig sich die Befragten sind, 0 bis 1 (ab 0,70 weitgehend einig)" in german


def test_each_level_gets_a_verdict_in_words(files: tuple[str, str]) -> None:
    out = json.loads(score(files, "-f", "json").stdout)["dimensions"]
    assert out["sharp"]["rwg"] == 0.0  # 1s, 2s, 4s and 5s: more spread than chance
    english = " ".join(score(files, "--lang", "en").output.split())
    assert "sharp: The figure hides large differences: rwg 0.00." in english
    assert "facts: Too few answers to tell how far the respondents agree." in english
    assert "With so few respondents the score may lie anywhere between 0 and 100." in english
    german = " ".join(score(files, "--lang", "de").output.split())
    assert "sharp: Die Zahl verdeckt große Unterschiede: rwg 0,00." in german
    assert "facts: Zu wenige Antworten, um zu sagen, wie einig sich die Befragten sind." in german


def test_a_clear_divergence_and_a_possible_one_are_told_apart(files: tuple[str, str]) -> None:
    english = score(files, "--lang", "en").output
    groups = english[english.index("(n=3)") :]
    assert row(groups, "sharp").rstrip("│ ").endswith("83.3 clear")
    assert row(groups, "mixed").rstrip("│ ").endswith("33.3 possible")
    assert "⚠" not in english
    flat = " ".join(english.split())
    assert "clear: the groups' scores lie at least 20 points apart, more than chance" in flat
    assert "possible: at least 20 points apart, but the groups are small" in flat
    german = score(files, "--lang", "de").output
    groups = german[german.index("(n=3)") :]
    assert row(groups, "sharp").rstrip("│ ").endswith("83,3 deutlich")
    assert row(groups, "mixed").rstrip("│ ").endswith("33,3 möglich")


def test_without_a_flagged_divergence_the_table_warns_of_nothing(
    files: tuple[str, str], tmp_path: Path
) -> None:
    answers = tmp_path / "calm.csv"
    answers.write_bytes(csv_bytes(HEADER, *[[r[0], r[1], 3, 3, "yes"] for r in ROWS]))
    output = score((files[0], str(answers)), "--lang", "en").output
    assert "clear" not in output
    assert "possible" not in output
    assert "Roadmap: no recommendation fits these answers." in output


def test_the_roadmap_says_why_a_clear_or_a_possible_divergence_chose_a_step(
    files: tuple[str, str],
) -> None:
    english = " ".join(score(files, "--lang", "en").output.split())
    assert "why: the groups' divergence is clear (more than chance explains)" in english
    assert (
        "why: groups differ by 33.3 points (at least 20); the groups' divergence is possible only"
        in english
    )
    german = " ".join(score(files, "--lang", "de").output.split())
    assert "warum: die Abweichung der Gruppen ist deutlich (mehr als der Zufall erklärt)" in german
    assert "die Abweichung der Gruppen ist nur möglich (sie kann Zufall sein)" in german
