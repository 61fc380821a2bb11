"""Rules 6 to 11 of QUESTIONNAIRE_FORMAT.md against figures worked out by hand: lead
items, item figures, "can't judge" shares, importance, targets, gaps, ranks and
quadrants, through `assess score -f json` (and `score_answers` where targets are set).

Unless a test says otherwise: scale 1-5, so an answer a scores (a - 1) * 25; stages one
0, two 20, three 40, four 60, five 80; min_coverage 0.5; item and dimension weights 1.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from assess.cli.main import app
from tests.factories import (
    boolean_item,
    choice_item,
    choice_question,
    csv_bytes,
    dimension,
    importance_scale,
    questionnaire_data,
    scale_item,
)

runner = CliRunner()
DEPARTMENT = choice_question("department", "sales", "service", scope="respondent")


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


def lead_data(**extra: Any) -> dict[str, Any]:
    """d1: `a` asked of everyone, `f` (yes/no, may be "can't judge") asked of the lead."""
    items = (
        scale_item("a"),
        boolean_item("f", informant="lead", allow_dont_know=True),
    )
    return questionnaire_data(dimension("d1", *items), min_coverage=0.5, **extra)


# Rule 6 ------------------------------------------------------------------------------


def test_the_leads_answer_to_a_lead_item_counts_for_every_respondent(tmp_path: Path) -> None:
    out = scored(
        tmp_path,
        lead_data(),
        ["respondent", "lead", "a", "f"],
        ["r1", "yes", 5, "yes"],
        ["r2", "", 1, ""],
    )
    d1 = out["dimensions"]["d1"]
    # r1: (100 + 100) / 2 = 100; r2: a = 0, f lent = 100 -> (0 + 100) / 2 = 50
    # mean 75, n 2, sd = sqrt((25^2 + 25^2) / 1) = sqrt(1250), min 50, max 100
    assert d1["score"] == pytest.approx(75.0)
    assert d1["n"] == 2
    assert d1["sd"] == pytest.approx(math.sqrt(1250))
    assert (d1["min"], d1["max"]) == (pytest.approx(50.0), pytest.approx(100.0))
    # rule 7 counts the lead's answer once: f 100, n 1; a (100 + 0) / 2 = 50, n 2
    assert out["items"]["f"] == {"score": 100.0, "n": 1, "dont_know": 0}
    assert out["items"]["a"] == {"score": 50.0, "n": 2, "dont_know": 0}
    # rule 8: answers given a(r1), f(r1), a(r2) = 3, none "can't judge" -> 0
    assert d1["dont_know_share"] == 0.0


@pytest.mark.parametrize(
    ("header", "r1", "r2"),
    [
        (["respondent", "a", "f"], ["r1", 5, ""], ["r2", 1, ""]),  # nobody is the lead
        (["respondent", "lead", "a", "f"], ["r1", "yes", 5, ""], ["r2", "no", 1, ""]),  # skipped
    ],
    ids=["no-lead", "lead-skipped"],
)
def test_a_lead_item_without_the_leads_answer_has_no_score_for_anyone(
    tmp_path: Path, header: list[str], r1: list[Any], r2: list[Any]
) -> None:
    out = scored(tmp_path, lead_data(), header, r1, r2)
    # f unscored for both: r1 a = 100 (coverage 1/2 >= 0.5), r2 a = 0 -> mean 50
    assert out["dimensions"]["d1"]["score"] == pytest.approx(50.0)
    assert out["dimensions"]["d1"]["min"] == 0.0
    assert out["items"]["f"] == {"score": None, "n": 0, "dont_know": 0}
    # answers given: a(r1), a(r2) -> share 0 / 2
    assert out["dimensions"]["d1"]["dont_know_share"] == 0.0


def test_without_the_lead_item_a_dimension_can_miss_its_coverage(tmp_path: Path) -> None:
    items = (scale_item("a"), boolean_item("f", informant="lead", weight=3))
    data = questionnaire_data(dimension("d1", *items), min_coverage=0.5)
    out = scored(tmp_path, data, ["respondent", "a", "f"], ["r1", 5, ""], ["r2", 1, ""])
    # a alone carries 1 / (1 + 3) = 0.25 < 0.5 of d1's weight: nobody has a d1 score
    assert out["dimensions"]["d1"]["score"] is None
    assert out["dimensions"]["d1"]["n"] == 0
    assert out["items"]["a"]["score"] == pytest.approx(50.0)  # rule 7 still counts them


def test_a_leads_cant_judge_counts_once_in_the_share(tmp_path: Path) -> None:
    out = scored(
        tmp_path,
        lead_data(),
        ["respondent", "lead", "a", "f"],
        ["r1", "yes", 5, "dk"],
        ["r2", "", 1, ""],
    )
    # given: a(r1), f(r1, dk), a(r2) -> 1 / 3 (lent to r2 it would be 2 / 4)
    assert out["dimensions"]["d1"]["dont_know_share"] == pytest.approx(1 / 3)
    assert out["items"]["f"] == {"score": None, "n": 0, "dont_know": 1}
    # f has no score for anyone: r1 100, r2 0 -> 50
    assert out["dimensions"]["d1"]["score"] == pytest.approx(50.0)


def test_groups_see_the_leads_answer_too(tmp_path: Path) -> None:
    header = ["respondent", "lead", "department", "a", "f"]
    out = scored(
        tmp_path,
        lead_data(profile=[DEPARTMENT]),
        header,
        ["r1", "yes", "sales", 5, "no"],
        ["r2", "", "service", 5, ""],
    )
    # f = no (0) lent to r2: both (100 + 0) / 2 = 50; without lending r2 would be 100
    groups = out["groups"]["department"]
    assert groups["service"]["dimensions"]["d1"]["score"] == 50.0
    assert groups["sales"]["dimensions"]["d1"]["score"] == 50.0
    assert out["divergence"]["department"]["d1"] == {
        "spread": 0.0,
        "flagged": False,
        "significant": False,
    }


# Rules 7, 8, 9, 10 (default targets) and 11 on one small organisation ------------------


def organisation_data() -> dict[str, Any]:
    """d1: a (may be "can't judge"), b (choice x 0 / y 40 / z 100, may be N/A); d2: c, e."""
    d1 = dimension(
        "d1",
        scale_item("a", allow_dont_know=True),
        choice_item("b", {"x": 0, "y": 40, "z": 100}, allow_na=True),
    )
    d2 = dimension("d2", scale_item("c"), boolean_item("e"))
    return questionnaire_data(d1, d2, importance=importance_scale(), min_coverage=0.5)


ORGANISATION_HEADER = ["respondent", "importance:d1", "importance:d2", "a", "b", "c", "e"]
ORGANISATION_ROWS = [
    ["r1", 5, 2, 2, "y", 5, ""],
    ["r2", 4, "", "dk", "na", 4, "no"],
    ["r3", "", "", 4, "", "", ""],
    ["r4", "", "", "dk", "z", "", ""],
]


def test_item_figures_are_means_of_the_scores_given_with_n_and_cant_judge(
    tmp_path: Path,
) -> None:
    data = organisation_data()
    data["dimensions"][1]["items"].append(scale_item("g"))
    out = scored(tmp_path, data, ORGANISATION_HEADER, *ORGANISATION_ROWS)
    assert out["items"] == {
        "a": {"score": 50.0, "n": 2, "dont_know": 2},  # (25 + 75) / 2; r2 and r4 dk
        "b": {"score": 70.0, "n": 2, "dont_know": 0},  # (40 + 100) / 2; N/A is not dk
        "c": {"score": 87.5, "n": 2, "dont_know": 0},  # (100 + 75) / 2
        "e": {"score": 0.0, "n": 1, "dont_know": 0},  # r2 no
        "g": {"score": None, "n": 0, "dont_know": 0},  # not even a column in the file
    }


def test_shares_importance_targets_ranks_and_quadrants_of_one_organisation(
    tmp_path: Path,
) -> None:
    out = scored(tmp_path, organisation_data(), ORGANISATION_HEADER, *ORGANISATION_ROWS)
    d1, d2 = out["dimensions"]["d1"], out["dimensions"]["d2"]
    # d1 per respondent: r1 (25 + 40) / 2 = 32.5; r2 nothing scored (dk, N/A); r3 75
    # (coverage 1/2); r4 100 -> (32.5 + 75 + 100) / 3 = 69.1667, n 3
    assert d1["score"] == pytest.approx(207.5 / 3)
    assert d1["n"] == 3
    # d2: r1 100 (e skipped), r2 (75 + 0) / 2 = 37.5 -> 68.75, n 2
    assert d2["score"] == pytest.approx(68.75)
    assert out["overall"]["score"] == pytest.approx((207.5 / 3 + 68.75) / 2)
    # rule 8, d1: given a(r1) b(r1) a(r2, dk) b(r2, N/A) a(r3) a(r4, dk) b(r4) -> 2 / 7;
    # r2 counts although its d1 misses min_coverage. d2: c(r1) c(r2) e(r2) -> 0 / 3
    assert d1["dont_know_share"] == pytest.approx(2 / 7)
    assert d2["dont_know_share"] == 0.0
    # rule 9: d1 (5 + 4) / 2 = 4.5, weight (4.5 - 1) / 4 = 0.875; d2 2, (2 - 1) / 4
    assert (d1["importance_mean"], d1["importance_weight"]) == (4.5, pytest.approx(0.875))
    assert (d2["importance_mean"], d2["importance_weight"]) == (2.0, pytest.approx(0.25))
    # rule 10: both in stage four (60) -> target five (80)
    # d1 gap 80 - 69.1667 = 10.8333, priority * 0.875 = 9.4792
    # d2 gap 80 - 68.75 = 11.25, priority * 0.25 = 2.8125
    assert (d1["stage"], d1["target"], d2["target"]) == ("four", "five", "five")
    assert d1["gap"] == pytest.approx(80 - 207.5 / 3)
    assert d1["priority"] == pytest.approx((80 - 207.5 / 3) * 0.875)
    assert d2["gap"] == pytest.approx(11.25)
    assert d2["priority"] == pytest.approx(2.8125)
    assert (d1["rank"], d2["rank"]) == (1, 2)
    # rule 11: mean weight (0.875 + 0.25) / 2 = 0.5625; overall 68.9583
    # d1 0.875 >= 0.5625, 69.17 >= 68.96 -> keep-up; d2 low, 68.75 < 68.96 -> low-priority
    assert (d1["quadrant"], d2["quadrant"]) == ("keep-up", "low-priority")


def test_a_dimension_nobody_answered_has_null_share_importance_and_quadrants(
    tmp_path: Path,
) -> None:
    data = questionnaire_data(
        dimension("d1", scale_item("a")),
        dimension("d2", scale_item("c")),
        importance=importance_scale(),
    )
    header = ["respondent", "importance:d1", "importance:d2", "a", "c"]
    out = scored(tmp_path, data, header, ["r1", 3, "", 2, ""], ["r2", "", "", 4, ""])
    d1, d2 = out["dimensions"]["d1"], out["dimensions"]["d2"]
    assert d2["score"] is None
    assert d2["dont_know_share"] is None  # nothing given
    assert (d2["importance_mean"], d2["importance_weight"]) == (None, None)
    # d1: (25 + 75) / 2 = 50, stage three; importance 3 -> (3 - 1) / 4 = 0.5
    assert (d1["importance_mean"], d1["importance_weight"]) == (3.0, 0.5)
    # d2 lacks importance: no quadrant anywhere
    assert (d1["quadrant"], d2["quadrant"]) == (None, None)
    # rule 10: d1 three -> four, gap 10, priority 10 * 0.5 = 5; d2 unscored, no target
    assert (d1["target"], d1["gap"], d1["priority"], d1["rank"]) == ("four", 10.0, 5.0, 1)
    assert (d2["target"], d2["gap"], d2["priority"], d2["rank"]) == (None, None, None, 2)


# A file without the additions -----------------------------------------------------------


def test_a_file_without_the_additions_scores_as_before_and_adds_defaults(
    tmp_path: Path,
) -> None:
    data = questionnaire_data(dimension("d1", scale_item("a"), scale_item("b")))
    header = ["respondent", "department", "a", "b"]
    out = scored(tmp_path, data, header, ["r1", "sales", 5, 4], ["r2", "service", 1, 2])
    # r1 (100 + 75) / 2 = 87.5, r2 (0 + 25) / 2 = 12.5; mean 50, sd sqrt(2 * 37.5^2)
    assert out["respondents"] == 2
    assert out["overall"] == {"score": 50.0, "stage": "three"}
    d1 = out["dimensions"]["d1"]
    assert {k: d1[k] for k in ("score", "stage", "n", "min", "max")} == {
        "score": 50.0,
        "stage": "three",
        "n": 2,
        "min": 12.5,
        "max": 87.5,
    }
    assert d1["sd"] == pytest.approx(math.sqrt(2 * 37.5**2))

    def one(score: float, stage: str) -> dict[str, Any]:
        figures = {"score": score, "stage": stage, "n": 1, "sd": None, "min": score, "max": score}
        return {
            "respondents": 1,
            "overall": {"score": score, "stage": stage},
            "dimensions": {"d1": figures},
        }

    assert out["groups"] == {
        "department": {"sales": one(87.5, "five"), "service": one(12.5, "one")}
    }
    assert out["divergence"] == {
        "department": {"d1": {"spread": 75.0, "flagged": True, "significant": False}}
    }
    # new keys beside the old ones
    assert out["items"] == {
        "a": {"score": 50.0, "n": 2, "dont_know": 0},
        "b": {"score": 50.0, "n": 2, "dont_know": 0},
    }
    assert {k: d1[k] for k in ("dont_know_share", "importance_mean", "importance_weight")} == {
        "dont_know_share": 0.0,
        "importance_mean": None,
        "importance_weight": None,
    }
    # three -> four (60): gap 10 = priority without importance; no quadrant
    assert {k: d1[k] for k in ("target", "gap", "priority", "rank", "quadrant")} == {
        "target": "four",
        "gap": 10.0,
        "priority": 10.0,
        "rank": 1,
        "quadrant": None,
    }
    assert out["recommendations"] == []
