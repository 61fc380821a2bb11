"""`assess report --target`: the target stages given (a level's own over `all`) set each
level's target and gap in the report; a bad one exits 1 saying what to write, and no
report is written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assess.cli.main import app
from tests.factories import csv_bytes

ADVICE_CHECK = str(Path(__file__).parents[1] / "questionnaires" / "advice-check.yaml")
runner = CliRunner()


@pytest.fixture
def answers(tmp_path: Path) -> Path:
    path = tmp_path / "answers.csv"
    # strategy (1, 5 -> 0, 100 per item; the lead's "no" to the CX lead 0):
    # r1 (0 + 100 + 0) / 3 = 33.3, r2 (100 + 0 + 0) / 3 = 33.3 -> 33.3, emerging
    path.write_bytes(
        csv_bytes(
            [
                "respondent",
                "lead",
                "strategy-purpose",
                "strategy-board-kpis",
                "strategy-cx-lead",
                "orch-journeys",
                "orch-data",
                "culture-stories",
                "culture-reward",
            ],
            ["r1", "yes", 1, 5, "no", 3, 3, 3, 3],
            ["r2", "", 5, 1, "", 3, 3, 3, 3],
        )
    )
    return path


def report(answers: Path, out: Path, *targets: str) -> tuple[int, str]:
    options = [option for target in targets for option in ("--target", target)]
    result = runner.invoke(
        app, ["report", "-q", ADVICE_CHECK, "-a", str(answers), "-o", str(out), *options]
    )
    return result.exit_code, result.output


def test_a_levels_own_target_wins_over_all_whatever_the_order(
    answers: Path, tmp_path: Path
) -> None:
    out = tmp_path / "report.html"
    code, output = report(answers, out, "strategy=established", "all=passion")
    assert code == 0, output
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", out.read_text()))
    # strategy 33.3 -> established (50): 16.7; the others 50.0 -> passion (75): 25.0
    assert "Target: Established · Gap: 16.7 points" in text
    assert text.count("Target: Customer passion · Gap: 25.0 points") == 2


def test_without_targets_each_level_aims_at_its_next_stage(answers: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    code, output = report(answers, out)
    assert code == 0, output
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", out.read_text()))
    assert "Target: Established · Gap: 16.7 points" in text  # 33.3: emerging, next 50
    assert text.count("Target: Customer passion · Gap: 25.0 points") == 2  # 50: established


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("strategy=top", "unknown stage 'top' as the target of 'strategy'"),
        ("all=top", "unknown stage 'top' as the target of 'all'"),
        ("tactics=passion", "unknown dimension 'tactics' in a target"),
        ("strategy", "--target strategy: write DIMENSION=STAGE"),
    ],
)
def test_a_bad_target_exits_1_saying_what_to_change_and_writes_nothing(
    answers: Path, tmp_path: Path, target: str, message: str
) -> None:
    out = tmp_path / "report.pdf"
    code, output = report(answers, out, target)
    assert code == 1
    assert message in output
    assert not out.exists()
