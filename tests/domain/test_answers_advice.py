"""Answers files that misuse the format's additions ("can't judge", the lead, importance)
are refused with an error naming the row and the column; nothing is scored."""

from __future__ import annotations

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
    importance_scale,
    questionnaire_data,
    scale_item,
)

runner = CliRunner()


@pytest.mark.parametrize(
    ("header", "rows", "named"),
    [
        (["respondent", "a"], [["r1", 3], ["r2", "dk"]], ["row 3", "'a'"]),
        (
            ["respondent", "lead", "a"],
            [["r1", "yes", 3], ["r2", "no", 3], ["r3", "yes", 3]],
            ["row 2", "row 4"],
        ),
        (
            ["respondent", "lead", "a", "f"],
            [["r1", "yes", 3, "yes"], ["r2", "", 3, "no"]],
            ["row 3", "'f'"],
        ),
        (["respondent", "a", "f"], [["r1", 3, "no"]], ["row 2", "'f'"]),  # no lead at all
        (
            ["respondent", "importance:d1", "a"],
            [["r1", 5, 3], ["r2", 6, 3]],
            ["row 3", "importance:d1"],
        ),
        (["respondent", "importance:d1", "a"], [["r1", 0, 3]], ["row 2", "importance:d1"]),
        (["respondent", "importance:nope", "a"], [["r1", 3, 3]], ["importance:nope"]),
    ],
    ids=[
        "dk-not-allowed",
        "two-leads",
        "lead-item-by-non-lead",
        "lead-item-without-lead",
        "importance-above-scale",
        "importance-below-scale",
        "importance-unknown-dimension",
    ],
)
def test_misused_additions_are_refused_naming_row_and_column(
    tmp_path: Path, header: list[str], rows: list[list[Any]], named: list[str]
) -> None:
    data = questionnaire_data(
        dimension("d1", scale_item("a"), boolean_item("f", informant="lead")),
        importance=importance_scale(),
    )
    questionnaire = tmp_path / "q.yaml"
    questionnaire.write_text(yaml.safe_dump(data))
    answers = tmp_path / "answers.csv"
    answers.write_bytes(csv_bytes(header, *rows))
    command = ["score", "-q", str(questionnaire), "-a", str(answers), "-f", "json"]
    result = runner.invoke(app, command)
    assert result.exit_code == 1
    for words in named:
        assert words in result.output
    assert '"dimensions"' not in result.output
