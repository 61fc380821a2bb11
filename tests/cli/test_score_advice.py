"""`assess score` with the figures of advice: can't-judge shares, importance, targets,
gaps, priorities, ranks and quadrants in the table and the JSON, the roadmap as a list,
and `--target`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from assess.cli.main import app
from tests.factories import csv_bytes

ROOT = Path(__file__).parent.parent.parent
ADVICE = str(ROOT / "tests" / "questionnaires" / "advice-check.yaml")
runner = CliRunner()

HEADER = [
    "respondent",
    "lead",
    "size",
    "department",
    "importance:strategy",
    "importance:orchestration",
    "importance:culture",
    "strategy-purpose",
    "strategy-board-kpis",
    "strategy-cx-lead",
    "orch-journeys",
    "orch-owner",
    "orch-data",
    "culture-stories",
    "culture-reward",
]
# Scale 1-5: an answer a scores (a - 1) * 25; orch-data is reversed (100 minus that).
# r1 is the lead: its cx-lead "no" (0) and orch-owner "department" (50) count for all.
ROWS = [
    ["r1", "yes", "large", "marketing", 5, 4, 3, 2, 3, "no", "dk", "department", 2, 4, 2],
    ["r2", None, "large", "sales", 4, 2, 3, 3, "dk", None, 2, None, 4, 3, "dk"],
    ["r3", None, None, "service", 3, None, 5, "dk", 2, None, 5, None, 1, 5, 1],
    ["r4", None, None, "sales", None, 3, 4, 1, 1, None, "dk", None, 5, 2, 3],
]


@pytest.fixture
def answers(tmp_path: Path) -> str:
    path = tmp_path / "answers.csv"
    path.write_bytes(csv_bytes(HEADER, *ROWS))
    return str(path)


def score(answers: str, *args: str) -> Any:
    """`assess score` with the advice questionnaire; the result of the run."""
    command = ["score", "-q", ADVICE, "-a", answers, *args]
    return runner.invoke(app, command, env={"COLUMNS": "100"})


def score_json(answers: str, *args: str) -> dict[str, Any]:
    result = score(answers, "-f", "json", *args)
    assert result.exit_code == 0, result.output
    figures: dict[str, Any] = json.loads(result.stdout)
    return figures


def test_json_figures_match_the_hand_computed_ones(answers: str) -> None:
    out = score_json(answers)
    strategy = out["dimensions"]["strategy"]
    # strategy (purpose, board-kpis, cx-lead lent from r1 = 0, weights 1):
    #   r1 (25 + 50 + 0) / 3 = 25; r2 (50 + 0) / 2 = 25 (kpis dk); r3 (25 + 0) / 2 = 12.5
    #   (purpose dk); r4 (0 + 0 + 0) / 3 = 0; mean 62.5 / 4 = 15.625: lip-service
    assert strategy["score"] == pytest.approx(15.625)
    assert strategy["stage"] == "lip-service"
    # can't judge: 2 dk among 9 answers given (4 purpose, 4 kpis, the lead's cx-lead once)
    assert strategy["dont_know_share"] == pytest.approx(2 / 9)
    # importance 5, 4, 3 (r4 left it empty): mean 4, weight (4 - 1) / (5 - 1) = 0.75
    assert strategy["importance_mean"] == pytest.approx(4.0)
    assert strategy["importance_weight"] == pytest.approx(0.75)
    # no target set: the stage after lip-service, emerging (25); gap 25 - 15.625 = 9.375;
    # priority 9.375 * 0.75 = 7.03125
    assert strategy["target"] == "emerging"
    assert strategy["gap"] == pytest.approx(9.375)
    assert strategy["priority"] == pytest.approx(7.03125)
    # orchestration: r1 (50 + 75) / 2 = 62.5, r2 (25 + 50 + 25) / 3 = 33.33,
    # r3 (100 + 50 + 100) / 3 = 83.33, r4 (50 + 0) / 2 = 25; mean 51.04: established,
    # target passion (75), gap 23.96, importance (4 + 2 + 3) / 3 = 3 -> weight 0.5,
    # priority 11.98: the highest, rank 1
    orchestration = out["dimensions"]["orchestration"]
    assert orchestration["score"] == pytest.approx(204.1666667 / 4)
    assert orchestration["priority"] == pytest.approx((75 - 204.1666667 / 4) * 0.5)
    assert orchestration["rank"] == 1
    # culture: 50, 50 (reward dk, coverage 1/2), 50, 37.5 -> 46.875, target established,
    # gap 3.125, importance 3.75 -> weight 0.6875, priority 2.15: rank 3
    assert out["dimensions"]["culture"]["priority"] == pytest.approx(3.125 * 0.6875)
    assert [out["dimensions"][d]["rank"] for d in ("strategy", "culture")] == [2, 3]
    # overall (15.625 + 51.04 + 2 * 46.875) / 4 = 40.10; mean weight 0.6458: strategy
    # important and below overall, orchestration unimportant and above, culture both above
    assert out["overall"]["score"] == pytest.approx(160.4166667 / 4)
    quadrants = {d: f["quadrant"] for d, f in out["dimensions"].items()}
    assert quadrants == {
        "strategy": "concentrate",
        "orchestration": "possible-overkill",
        "culture": "keep-up",
    }
    # purpose: 25, 50, 0 (r3 dk) -> 25 with n 3; the lead's cx-lead counts once
    assert out["items"]["strategy-purpose"] == {"score": 25.0, "n": 3, "dont_know": 1}
    assert out["items"]["strategy-cx-lead"] == {"score": 0.0, "n": 1, "dont_know": 0}


def test_json_has_every_key_of_the_score_output_additions_with_its_type(answers: str) -> None:
    out = score_json(answers)
    number = (int, float)
    # The document's example; ci95, rwg and divergence's `significant` are rules 13
    # and 14 (agreement within the organisation), not part of these additions.
    dimension_keys = {
        "score": number,
        "stage": str,
        "n": int,
        "sd": number,
        "min": number,
        "max": number,
        "dont_know_share": number,
        "importance_mean": number,
        "importance_weight": number,
        "target": str,
        "gap": number,
        "priority": number,
        "rank": int,
        "quadrant": str,
    }
    for figures in out["dimensions"].values():
        for key, kind in dimension_keys.items():
            assert isinstance(figures[key], kind), (key, figures[key])
    assert set(out["items"]) == {
        "strategy-purpose",
        "strategy-board-kpis",
        "strategy-cx-lead",
        "orch-journeys",
        "orch-owner",
        "orch-data",
        "culture-stories",
        "culture-reward",
    }
    for item in out["items"].values():
        assert set(item) == {"score", "n", "dont_know"}
        assert isinstance(item["score"], number)
        assert isinstance(item["n"], int)
        assert isinstance(item["dont_know"], int)
    divergence = out["divergence"]["department"]["orchestration"]
    assert isinstance(divergence["spread"], float)
    assert divergence["flagged"] is True
    assert out["recommendations"], out
    for advice in out["recommendations"]:
        assert set(advice) == {"id", "dimension", "horizon", "because"}
        assert isinstance(advice["id"], str)
        assert advice["horizon"] in {"now", "next", "later"}
        for reason in advice["because"]:
            assert set(reason) == {"condition", "bound", "value"}
    board = next(a for a in out["recommendations"] if a["id"] == "strategy-board-kpis")
    # board-kpis: 50, 25 (r2 dk), 0 -> 25, below 50; strategy 15.625 below 75
    assert board == {
        "id": "strategy-board-kpis",
        "dimension": "strategy",
        "horizon": "now",
        "because": [
            {"condition": "below", "bound": 75, "value": 15.625},
            {"condition": "items.strategy-board-kpis.below", "bound": 50, "value": 25.0},
        ],
    }


def test_roadmap_order_puts_dependencies_first(answers: str) -> None:
    # now: orch-align (orchestration rank 1) before strategy-purpose (rank 2);
    # board-kpis (now) waits for cx-lead (next); orch-owner waits for cx-lead too and
    # comes before culture-reward (rank 3); later: strategy-large, culture-stories.
    # orch-unknown: can't judge 2 of 9 = 0.22, below its 0.25: not chosen.
    order = [a["id"] for a in score_json(answers)["recommendations"]]
    assert order == [
        "orch-align",
        "strategy-purpose",
        "strategy-cx-lead",
        "strategy-board-kpis",
        "orch-owner",
        "culture-reward",
        "strategy-large",
        "culture-stories",
    ]


def test_a_dimensions_own_target_wins_over_all_whatever_the_order(answers: str) -> None:
    for args in (
        ["--target", "all=passion", "--target", "strategy=established"],
        ["--target", "strategy=established", "--target", "all=passion"],
    ):
        out = score_json(answers, *args)
        targets = {d: f["target"] for d, f in out["dimensions"].items()}
        assert targets == {
            "strategy": "established",
            "orchestration": "passion",
            "culture": "passion",
        }
        # strategy: gap 50 - 15.625 = 34.375, priority 34.375 * 0.75 = 25.78: rank 1
        assert out["dimensions"]["strategy"]["gap"] == pytest.approx(34.375)
        assert out["dimensions"]["strategy"]["priority"] == pytest.approx(25.78125)
        assert out["dimensions"]["strategy"]["rank"] == 1


def test_an_unknown_target_stage_exits_1_naming_it(answers: str) -> None:
    result = score(answers, "--target", "strategy=top", "-f", "json")
    assert result.exit_code == 1
    assert "unknown stage 'top' as the target of 'strategy'" in result.output
    assert "stages are: lip-service, emerging, established, passion" in result.output
    assert "{" not in result.output


def test_an_unknown_target_dimension_exits_1_naming_it(answers: str) -> None:
    result = score(answers, "--target", "sales=passion")
    assert result.exit_code == 1
    assert "unknown dimension 'sales'" in result.output
    assert "Traceback" not in result.output


def test_a_target_without_equals_sign_exits_1_saying_how_to_write_it(answers: str) -> None:
    result = score(answers, "--target", "strategy")
    assert result.exit_code == 1
    assert "--target strategy: write DIMENSION=STAGE" in result.output
    twice = score(answers, "--target", "strategy=emerging", "--target", "strategy=passion")
    assert twice.exit_code == 1
    assert "'strategy' already has the target 'emerging'" in twice.output


def test_table_shows_priorities_within_100_columns_and_the_roadmap(answers: str) -> None:
    result = score(answers)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert all(len(line.rstrip()) <= 100 for line in lines)
    # Ranked: orchestration first; every figure of a dimension on one line.
    rows = [line.split() for line in lines if line.strip()[:2] in {"1 ", "2 ", "3 "}]
    first = ["1", "Orchestration", "22.2%", "3.0", "Customer", "passion", "24.0", "12.0"]
    assert rows[:3] == [
        [*first, "Possible", "overkill"],
        ["2", "Strategy", "22.2%", "4.0", "Emerging", "9.4", "7.0", "Concentrate", "here"],
        [
            "3",
            "Culture",
            "12.5%",
            "3.8",
            "Established",
            "3.1",
            "2.1",
            *["Keep", "up", "the", "good", "work"],
        ],
    ]
    roadmap = result.stdout[result.stdout.index("Roadmap") :]
    assert " 1. [now] Bring departments to one picture. – owner: Heads of department" in roadmap
    assert "why: groups differ by 54.2 points (at least 20)" in roadmap
    assert " 2. [now] Formulate a purpose. – owner: Executive board" in roadmap
    assert "first step: Ask three customers what they would miss without you." in roadmap
    assert "why: statement 'Our purpose guides decisions' scores 25.0 (below 50)" in roadmap
    assert "why: the lead respondent answered 'We have a CX manager' with 'No'" in roadmap
    assert "why: stage is Lip service; Size: Large" in roadmap
    assert " 8. [later] Tell customer stories. – owner: –" in roadmap


def test_table_in_german_words_the_roadmap_in_german(answers: str) -> None:
    result = score(answers, "--lang", "de", "--target", "strategy=established")
    assert result.exit_code == 0, result.output
    assert "Prioritäten" in result.stdout
    # The glossary's quadrant names; "Hier konzentrieren" wraps in its column.
    assert "Weiter so" in result.stdout
    assert "konzentrieren" in result.stdout
    assert "Kann ich" in result.stdout
    assert "beurteilen" in result.stdout
    assert "Zielstufe" in result.stdout
    assert "Abstand" in result.stdout
    assert "Fahrplan" in result.stdout
    assert " 1. [sofort] Formulieren Sie einen Purpose. – verantwortlich: Geschäftsleitung" in (
        result.stdout
    )
    assert "erster Schritt: Fragen Sie drei Kunden, was ihnen ohne Sie fehlen würde." in (
        result.stdout
    )
    assert "warum: Aussage „Unser Purpose leitet Entscheidungen“ erreicht 25,0 (unter 50)" in (
        result.stdout
    )
    assert (
        "warum: die Hauptansprechperson beantwortete „Wir haben einen CX-Manager“ mit „Nein“"
        in (result.stdout)
    )
    assert "[als Nächstes]" in result.stdout
    assert "warum: Stufe ist Lippenbekenntnis; Größe: Groß" in result.stdout


def test_without_importance_the_table_shows_dashes_and_no_quadrant(tmp_path: Path) -> None:
    answers = tmp_path / "plain.csv"
    answers.write_bytes(
        csv_bytes(["respondent", "strategy-purpose", "culture-stories"], ["r1", 3, 4])
    )
    result = score(str(answers))
    assert result.exit_code == 0, result.output
    assert "Quadrant" not in result.stdout
    # strategy 50 (cx-lead without a lead: no score; kpis skipped; coverage 1/3 < 0.5)
    # has no score: no target, no gap, ranked after culture (75 -> passion, gap 0)
    rows = [line.split() for line in result.stdout.splitlines() if line.startswith(" 1 ")]
    assert rows == [["1", "Culture", "0.0%", "–", "Customer", "passion", "0.0", "0.0"]]
