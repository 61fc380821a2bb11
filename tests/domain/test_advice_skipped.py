"""A skipped answer is no answer for rules 6 to 9 whichever way answers arrive: a CSV
file (empty cell), a JSON file (key left out or null) or the service's stored responses
(key left out). The same organisation, worked out by hand once:

d1: a (scale 1-5, may be "can't judge"), b (scale), f (yes/no, asked of the lead);
importance 1-5.
r1, the lead: a dk, b 3 (50), f yes (100), importance 3
r2:           a 3 (50), b skipped, f (the lead's: 100), importance skipped

rule 6: r1 (50 + 100) / 2 = 75 (a no score); r2 (50 + 100) / 2 = 75 -> 75
rule 7: a 50 (n 1, dk 1), b 50 (n 1), f 100 (n 1, the lead's answer once)
rule 8: given a(r1, dk), b(r1), f(r1), a(r2) -> 1 / 4 (skips excluded)
rule 9: importance 3 -> mean 3, weight (3 - 1) / 4 = 0.5
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from assess.cli.main import app
from assess.domain.answers import from_stored
from assess.domain.scoring import score_assessment
from tests.factories import (
    boolean_item,
    csv_bytes,
    dimension,
    importance_scale,
    make_questionnaire,
    questionnaire_data,
    scale_item,
)

runner = CliRunner()
DATA = questionnaire_data(
    dimension(
        "d1",
        scale_item("a", allow_dont_know=True),
        scale_item("b"),
        boolean_item("f", informant="lead"),
    ),
    importance=importance_scale(),
)
EXPECTED_ITEMS = {
    "a": {"score": 50.0, "n": 1, "dont_know": 1},
    "b": {"score": 50.0, "n": 1, "dont_know": 0},
    "f": {"score": 100.0, "n": 1, "dont_know": 0},
}


def scored_file(tmp_path: Path, name: str, content: bytes) -> Any:
    """The JSON that `assess score` prints for DATA and this answers file."""
    questionnaire = tmp_path / "q.yaml"
    questionnaire.write_text(yaml.safe_dump(DATA))
    answers = tmp_path / name
    answers.write_bytes(content)
    args = ["score", "-q", str(questionnaire), "-a", str(answers), "-f", "json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output or repr(result.exception)
    return json.loads(result.stdout)


def assert_hand_figures(out: dict[str, Any]) -> None:
    """The figures worked out in the module's docstring."""
    d1 = out["dimensions"]["d1"]
    assert (d1["score"], d1["n"]) == (75.0, 2)
    assert out["items"] == EXPECTED_ITEMS
    assert d1["dont_know_share"] == pytest.approx(1 / 4)
    assert (d1["importance_mean"], d1["importance_weight"]) == (3.0, 0.5)


def test_empty_csv_cells_are_skipped_answers(tmp_path: Path) -> None:
    header = ["respondent", "lead", "importance:d1", "a", "b", "f"]
    raw = csv_bytes(header, ["r1", "yes", 3, "dk", 3, "yes"], ["r2", "", "", 3, "", ""])
    assert_hand_figures(scored_file(tmp_path, "answers.csv", raw))


@pytest.mark.parametrize("left_out", [True, False], ids=["key-left-out", "null"])
def test_keys_a_json_file_leaves_out_or_sets_null_are_skipped_answers(
    tmp_path: Path, left_out: bool
) -> None:
    r2: dict[str, Any] = {"respondent": "r2", "a": 3}
    if not left_out:
        r2.update({"b": None, "f": None, "importance:d1": None})
    r1 = {"respondent": "r1", "lead": "yes", "importance:d1": 3, "a": "dk", "b": 3, "f": "yes"}
    assert_hand_figures(scored_file(tmp_path, "answers.json", json.dumps([r1, r2]).encode()))


def test_a_json_files_skipped_answers_stay_out_of_the_cant_judge_share(
    tmp_path: Path,
) -> None:
    entries = [{"respondent": "r1", "a": "dk", "b": 3}, {"respondent": "r2", "a": 3}, {}]
    entries[2] = {"respondent": "r3"}
    out = scored_file(tmp_path, "answers.json", json.dumps(entries).encode())
    # given: a(r1, dk), b(r1), a(r2) -> 1 / 3
    assert out["dimensions"]["d1"]["dont_know_share"] == pytest.approx(1 / 3)


def test_a_stored_response_without_some_answers_scores_as_the_file() -> None:
    questionnaire = make_questionnaire(*DATA["dimensions"], importance=importance_scale())
    responses = [
        from_stored("r1", {"a": "dk", "b": 3, "f": True, "importance:d1": 3}, {}, lead=True),
        from_stored("r2", {"a": 3}, {}),
    ]
    assert_hand_figures(score_assessment(questionnaire, responses).to_dict())


def test_stored_responses_with_every_importance_keep_skips_out_of_the_share() -> None:
    questionnaire = make_questionnaire(*DATA["dimensions"], importance=importance_scale())
    responses = [
        from_stored("r1", {"a": "dk", "b": 3, "f": True, "importance:d1": 3}, {}, lead=True),
        from_stored("r2", {"a": 3, "importance:d1": 3}, {}),
    ]
    out = score_assessment(questionnaire, responses).to_dict()
    assert out["items"] == EXPECTED_ITEMS
    assert out["dimensions"]["d1"]["importance_mean"] == 3.0
    assert out["dimensions"]["d1"]["dont_know_share"] == pytest.approx(1 / 4)
