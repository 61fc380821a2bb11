"""Rules 10 and 11 of QUESTIONNAIRE_FORMAT.md against figures worked out by hand:
targets, gaps, priorities, ranks and the quadrants of the importance-performance
analysis, through `assess score -f json` (and `score_answers` where targets are set).

Unless a test says otherwise: scale 1-5, so an answer a scores (a - 1) * 25; stages one
0, two 20, three 40, four 60, five 80; min_coverage 0.5; item and dimension weights 1.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from assess.cli.main import app
from assess.domain.advice import resolve_targets
from assess.domain.scoring import score_answers
from tests.factories import (
    choice_item,
    csv_bytes,
    dimension,
    importance_scale,
    make_questionnaire,
    questionnaire_data,
    scale_item,
)

runner = CliRunner()


def scored(tmp_path: Path, data: dict[str, Any], header: list[str], *rows: list[Any]) -> Any:
    """The JSON that `assess score` prints for this questionnaire and answers file."""
    questionnaire = tmp_path / "q.yaml"
    questionnaire.write_text(yaml.safe_dump(data))
    answers = tmp_path / "answers.csv"
    answers.write_bytes(csv_bytes(header, *rows))
    args = ["score", "-q", str(questionnaire), "-a", str(answers), "-f", "json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# Rule 10: ranks -----------------------------------------------------------------------


def ranking_data() -> dict[str, Any]:
    """Seven dimensions of one choice item `x<dim>` whose option `v` scores as given;
    d5 and d6 stay unanswered."""
    scores = {"d1": 50, "d2": 30, "d3": 65, "d4": 50, "d5": 0, "d6": 0, "d7": 90}
    return questionnaire_data(
        *(dimension(d, choice_item(f"x{d}", {"v": s, "o": 0})) for d, s in scores.items())
    )


RANKING_HEADER = ["respondent", "xd1", "xd2", "xd3", "xd4", "xd7"]


def test_ranks_follow_priority_then_lower_score_then_file_order(tmp_path: Path) -> None:
    out = scored(tmp_path, ranking_data(), RANKING_HEADER, ["r1", "v", "v", "v", "v", "v"])
    dims = out["dimensions"]
    # no importance: priority = gap
    # d1 50 three -> four 60: 10 | d2 30 two -> three 40: 10 | d3 65 four -> five: 15
    # d4 50: 10 | d7 90 five -> five (top stage targets itself): max(0, 80 - 90) = 0
    expected = {"d1": 10.0, "d2": 10.0, "d3": 15.0, "d4": 10.0, "d7": 0.0}
    assert {d: dims[d]["gap"] for d in expected} == expected
    assert {d: dims[d]["priority"] for d in expected} == expected
    assert dims["d7"]["target"] == "five"
    # d3 (15) 1; d2 (10, score 30) 2; d1 and d4 (10, 50) by file order 3, 4; d7 5;
    # d5, d6 unscored: after every scored one, in file order
    ranks = {d: f["rank"] for d, f in dims.items()}
    assert ranks == {"d1": 3, "d2": 2, "d3": 1, "d4": 4, "d5": 6, "d6": 7, "d7": 5}
    assert (dims["d5"]["target"], dims["d5"]["gap"], dims["d5"]["priority"]) == (None,) * 3
    assert {f["quadrant"] for f in dims.values()} == {None}  # no importance at all


@pytest.mark.parametrize(
    "given",
    [{"all": "four", "d1": "two", "d6": "three"}, {"d6": "three", "d1": "two", "all": "four"}],
    ids=["all-first", "all-last"],
)
def test_set_targets_win_over_all_and_above_the_target_the_gap_is_zero(
    given: dict[str, str],
) -> None:
    data = ranking_data()
    questionnaire = make_questionnaire(*data["dimensions"])
    raw = csv_bytes(RANKING_HEADER, ["r1", "v", "v", "v", "v", "v"])
    targets = resolve_targets(questionnaire, given)
    dims = score_answers(raw, questionnaire, targets=targets).to_dict()["dimensions"]
    # d1 50 with target two (20): gap max(0, 20 - 50) = 0; d2 30 -> four 60: 30;
    # d3 65 -> four: 0; d4 50 -> 10; d7 90 -> 0; d5 all -> four but unscored: no gap;
    # d6 its own three, unscored
    target = {d: f["target"] for d, f in dims.items()}
    assert target == {
        "d1": "two",
        "d2": "four",
        "d3": "four",
        "d4": "four",
        "d5": "four",
        "d6": "three",
        "d7": "four",
    }
    gaps = {d: f["gap"] for d, f in dims.items()}
    assert gaps == {
        "d1": 0.0,
        "d2": 30.0,
        "d3": 0.0,
        "d4": 10.0,
        "d5": None,
        "d6": None,
        "d7": 0.0,
    }
    # ranks: d2 30 first, d4 10; ties at 0: lower score first d1 50, d3 65, d7 90
    ranks = {d: f["rank"] for d, f in dims.items()}
    assert ranks == {"d2": 1, "d4": 2, "d1": 3, "d3": 4, "d7": 5, "d5": 6, "d6": 7}


# Rule 11 ------------------------------------------------------------------------------


def test_quadrants_compare_with_the_unweighted_mean_importance_and_the_overall_score(
    tmp_path: Path,
) -> None:
    data = questionnaire_data(
        dimension("w", scale_item("iw")),
        dimension("x", scale_item("ix")),
        dimension("y", scale_item("iy")),
        dimension("z", scale_item("iz"), weight=10),
        importance=importance_scale(),
    )
    header = ["respondent", "iw", "ix", "iy", "iz"] + [f"importance:{d}" for d in "wxyz"]
    out = scored(tmp_path, data, header, ["r1", 5, 2, 3, 4, 1, 1, 3, 5])
    dims = out["dimensions"]
    # scores w 100, x 25, y 50, z 75; overall (100 + 25 + 50 + 10 * 75) / 13 = 71.1538
    assert out["overall"]["score"] == pytest.approx(925 / 13)
    # importance weights w 0, x 0, y 0.5, z 1; unweighted mean 1.5 / 4 = 0.375
    # (weighted by dimension weight it would be 10.5 / 13 = 0.81 and y would be low)
    assert [dims[d]["importance_weight"] for d in "wxyz"] == [0.0, 0.0, 0.5, 1.0]
    assert {d: dims[d]["quadrant"] for d in "wxyz"} == {
        "w": "possible-overkill",  # low importance, 100 >= 71.15
        "x": "low-priority",  # low, 25 < 71.15
        "y": "concentrate",  # 0.5 >= 0.375, 50 < 71.15
        "z": "keep-up",  # 1 >= 0.375, 75 >= 71.15
    }


def test_a_dimension_without_a_score_has_no_quadrant(tmp_path: Path) -> None:
    data = questionnaire_data(
        dimension("d1", scale_item("a")),
        dimension("d2", scale_item("c")),
        importance=importance_scale(),
    )
    header = ["respondent", "importance:d1", "importance:d2", "a", "c"]
    out = scored(tmp_path, data, header, ["r1", 5, 1, 3, ""])
    # d2 has importance 1 but no score
    assert out["dimensions"]["d2"]["importance_weight"] == 0.0
    assert out["dimensions"]["d2"]["quadrant"] is None


def test_priority_uses_importance_only_where_a_dimension_has_it(tmp_path: Path) -> None:
    data = questionnaire_data(
        dimension("d1", scale_item("a")),
        dimension("d2", scale_item("c")),
        importance=importance_scale(),
    )
    header = ["respondent", "importance:d1", "importance:d2", "a", "c"]
    out = scored(tmp_path, data, header, ["r1", 3, "", 3, 4])
    d1, d2 = out["dimensions"]["d1"], out["dimensions"]["d2"]
    # d1 50 -> four: gap 10 * (3 - 1) / 4 = 5; d2 75 -> five: gap 5, no importance -> 5
    assert (d1["gap"], d1["priority"]) == (10.0, 5.0)
    assert (d2["gap"], d2["priority"]) == (5.0, 5.0)
    # tie at 5: the lower score (d1, 50) first
    assert (d1["rank"], d2["rank"]) == (1, 2)
    assert (d1["quadrant"], d2["quadrant"]) == (None, None)  # d2 lacks importance


def test_quadrant_bounds_are_inclusive(tmp_path: Path) -> None:
    data = questionnaire_data(
        dimension("d1", scale_item("a")),
        dimension("d2", scale_item("c")),
        importance=importance_scale(),
    )
    header = ["respondent", "importance:d1", "importance:d2", "a", "c"]
    out = scored(tmp_path, data, header, ["r1", 4, 4, 3, 3])
    # both 50 = overall 50, both weight 0.75 = mean 0.75: high and high
    assert out["overall"]["score"] == 50.0
    assert {d: f["quadrant"] for d, f in out["dimensions"].items()} == {
        "d1": "keep-up",
        "d2": "keep-up",
    }
