"""Rule 12 of QUESTIONNAIRE_FORMAT.md against cases worked out by hand: which
recommendations each kind of condition chooses, what `because` says, and the order of
the roadmap, through `assess score -f json`.

Unless a test says otherwise: scale 1-5, so an answer a scores (a - 1) * 25; stages one
0, two 20, three 40, four 60, five 80; min_coverage 0.5; weights 1; no importance, so a
dimension's priority is its gap.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from assess.cli.main import app
from tests.factories import (
    choice_question,
    csv_bytes,
    dimension,
    questionnaire_data,
    recommendation,
    scale_item,
)

runner = CliRunner()
DEPARTMENT = choice_question("department", "sales", "service", scope="respondent")
REGION = choice_question("region", "north", "south", scope="respondent")
SIZE = choice_question("size", "small", "large")


def scored(
    tmp_path: Path, data: dict[str, Any], header: list[str], *rows: list[Any], args: tuple = ()
) -> Any:
    """The JSON that `assess score` prints for this questionnaire and answers file."""
    questionnaire = tmp_path / "q.yaml"
    questionnaire.write_text(yaml.safe_dump(data))
    answers = tmp_path / "answers.csv"
    answers.write_bytes(csv_bytes(header, *rows))
    command = ["score", "-q", str(questionnaire), "-a", str(answers), "-f", "json", *args]
    result = runner.invoke(app, command)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def chosen(out: dict[str, Any]) -> list[str | None]:
    """The ids of the recommendations chosen, in roadmap order."""
    return [advice["id"] for advice in out["recommendations"]]


# Conditions ---------------------------------------------------------------------------


def conditions_data(**extra: Any) -> dict[str, Any]:
    """d1 (a may be "can't judge", b), d2 (c), d3 (g, never answered), and one
    recommendation per condition kind, some just missing their bound."""
    rec = recommendation
    d1 = dimension(
        "d1",
        scale_item("a", allow_dont_know=True),
        scale_item("b"),
        recommendations=[
            rec("stages", {"stages": ["three", "four"]}),
            rec("stages-no", {"stages": ["four"]}),
            rec("below-strict", {"below": 50}),
            rec("below", {"below": 50.5}),
            rec("at-least", {"at_least": 50}),
            rec("at-least-no", {"at_least": 50.5}),
            rec("items-below", {"items": {"a": {"below": 50.5}}}),
            rec("items-below-strict", {"items": {"a": {"below": 50}}}),
            rec("items-other", {"items": {"c": {"at_least": 50}}}),
            rec("items-both", {"items": {"b": {"at_least": 50, "below": 60}}}),
            rec("items-unscored", {"items": {"g": {"at_least": 0}}}),
            rec("dk", {"dont_know": {"at_least": 0.25}}),
            rec("dk-no", {"dont_know": {"at_least": 0.26}}),
            rec("profile", {"profile": {"size": ["large"]}}),
            rec("profile-no", {"profile": {"size": ["small"]}}),
            rec("and-no", {"stages": ["three"], "below": 60, "profile": {"size": ["small"]}}),
        ],
    )
    d2 = dimension(
        "d2",
        scale_item("c"),
        recommendations=[
            rec("divergence", {"divergence": {"at_least": 100}}),
            rec("divergence-no", {"divergence": {"at_least": 100.5}}),
        ],
    )
    d3 = dimension(
        "d3",
        scale_item("g"),
        recommendations=[
            rec("d3-profile", {"profile": {"size": ["large"]}}),
            rec("d3-items", {"items": {"c": {"at_least": 0}}}),
            rec("d3-dk", {"dont_know": {"at_least": 0}}),
        ],
    )
    extra.setdefault("profile", [DEPARTMENT, REGION, SIZE])
    return questionnaire_data(d1, d2, d3, **extra)


CONDITIONS_HEADER = ["respondent", "lead", "department", "region", "size", "a", "b", "c"]
CONDITIONS_ROWS = [
    ["r1", "yes", "sales", "north", "large", 3, 3, 5],
    ["r2", "", "service", "north", "", "dk", 3, 1],
]
# d1: r1 (50 + 50) / 2 = 50; r2 b 50 (a dk, coverage 1/2) -> 50, stage three
# d2: r1 100, r2 0 -> 50; d3: no score
# items: a 50 (n 1, dk 1), b 50, c 50; d1 dont_know_share: a a(dk) b b -> 1 / 4
# department: sales d2 100, service d2 0 -> spread 100 (d1: 0); region: all north
# profile: the lead r1 says size large
# ranks: d1 and d2 both 50 -> four, gap 10, tie -> file order d1 1, d2 2; horizons all
# next, priorities 1: the roadmap keeps file order


def test_each_condition_kind_chooses_exactly_as_its_bound_says(tmp_path: Path) -> None:
    out = scored(tmp_path, conditions_data(), CONDITIONS_HEADER, *CONDITIONS_ROWS)
    assert out["dimensions"]["d1"]["dont_know_share"] == 0.25
    assert out["dimensions"]["d3"]["score"] is None
    assert chosen(out) == [
        "stages",
        "below",
        "at-least",
        "items-below",
        "items-other",
        "items-both",
        "dk",
        "profile",
        "divergence",
    ]


def test_because_names_each_condition_with_its_bound_and_the_figure(tmp_path: Path) -> None:
    out = scored(tmp_path, conditions_data(), CONDITIONS_HEADER, *CONDITIONS_ROWS)
    because = {
        advice["id"]: sorted(advice["because"], key=lambda r: r["condition"])
        for advice in out["recommendations"]
    }
    assert because == {
        "stages": [{"condition": "stages", "bound": ["three", "four"], "value": "three"}],
        "below": [{"condition": "below", "bound": 50.5, "value": 50.0}],
        "at-least": [{"condition": "at_least", "bound": 50, "value": 50.0}],
        "items-below": [{"condition": "items.a.below", "bound": 50.5, "value": 50.0}],
        "items-other": [{"condition": "items.c.at_least", "bound": 50, "value": 50.0}],
        "items-both": [
            {"condition": "items.b.at_least", "bound": 50, "value": 50.0},
            {"condition": "items.b.below", "bound": 60, "value": 50.0},
        ],
        "dk": [{"condition": "dont_know.at_least", "bound": 0.25, "value": 0.25}],
        "profile": [{"condition": "profile.size", "bound": ["large"], "value": "large"}],
        "divergence": [{"condition": "divergence.at_least", "bound": 100, "value": 100.0}],
    }
    assert {a["dimension"] for a in out["recommendations"] if a["id"] == "divergence"} == {"d2"}
    assert {a["horizon"] for a in out["recommendations"]} == {"next"}


@pytest.mark.parametrize(
    ("group_by", "holds"),
    [
        ((), True),  # department, the respondent-scope question of that name
        (("--group-by", "department"), True),
        (("--group-by", "region"), False),  # everyone in north: spread 0
        (("--group-by", "region", "--group-by", "department"), False),  # the first counts
        (("--group-by", "department", "--group-by", "region"), True),
    ],
)
def test_divergence_uses_the_grouping_asked_for_else_department(
    tmp_path: Path, group_by: tuple[str, ...], holds: bool
) -> None:
    out = scored(tmp_path, conditions_data(), CONDITIONS_HEADER, *CONDITIONS_ROWS, args=group_by)
    assert ("divergence" in chosen(out)) is holds


def test_without_a_grouping_a_divergence_condition_does_not_hold(tmp_path: Path) -> None:
    rules = [recommendation("spread", {"divergence": {"at_least": 0}})]
    data = questionnaire_data(
        dimension("d1", scale_item("a"), recommendations=rules), profile=[REGION, SIZE]
    )
    out = scored(tmp_path, data, ["respondent", "region", "a"], ["r1", "north", 3])
    assert out["dimensions"]["d1"]["score"] == 50.0
    assert chosen(out) == []


@pytest.mark.parametrize(
    ("header", "rows", "holds"),
    [
        (["lead", "size"], [["yes", "small"], ["", "large"]], False),  # the lead's answer
        (["lead", "size"], [["yes", ""], ["", "large"], ["", "large"]], True),  # lead skipped
        (["size"], [["large"], [""]], True),  # every respondent who answered said large
        (["size"], [["large"], ["small"]], False),  # they differ: no profile answer
    ],
    ids=["lead-small", "lead-skipped", "one-value", "values-differ"],
)
def test_a_files_profile_answer_is_the_leads_else_the_one_everyone_gave(
    tmp_path: Path, header: list[str], rows: list[list[Any]], holds: bool
) -> None:
    rules = [recommendation("large", {"profile": {"size": ["large"]}})]
    data = questionnaire_data(
        dimension("d1", scale_item("a"), recommendations=rules), profile=[SIZE]
    )
    answers = [[f"r{n}", *row, 3] for n, row in enumerate(rows, 1)]
    out = scored(tmp_path, data, ["respondent", *header, "a"], *answers)
    assert chosen(out) == (["large"] if holds else [])
    if holds:
        [advice] = out["recommendations"]
        assert advice["because"] == [
            {"condition": "profile.size", "bound": ["large"], "value": "large"}
        ]


# Roadmap order --------------------------------------------------------------------------


def test_the_roadmap_orders_by_horizon_rank_priority_and_file_after_dependencies(
    tmp_path: Path,
) -> None:
    rec = recommendation
    always = {"at_least": 0}
    d1 = dimension(
        "d1",
        scale_item("a"),
        recommendations=[
            rec("p-later", always, horizon="later"),  # 0
            rec("p-next-p2", always, priority=2),  # 1
            rec("p-next-p1", always),  # 2
            rec("p-now-dep", always, horizon="now", depends_on=["q-next"]),  # 3
            rec(None, always, horizon="now"),  # 4
        ],
    )
    d2 = dimension(
        "d2",
        scale_item("c"),
        recommendations=[
            rec("q-next", always),  # 5
            rec("q-now-p3", always, horizon="now", priority=3),  # 6
            rec("q-next-b", always),  # 7
            rec("q-unchosen", {"below": 0}),  # 8
            rec("q-now-dep-unchosen", always, horizon="now", depends_on=["q-unchosen"]),  # 9
        ],
    )
    out = scored(tmp_path, questionnaire_data(d1, d2), ["respondent", "a", "c"], ["r1", 4, 3])
    # d1 75: four -> five, gap 5, rank 2; d2 50: three -> four, gap 10, rank 1
    assert (out["dimensions"]["d1"]["rank"], out["dimensions"]["d2"]["rank"]) == (2, 1)
    # keys (horizon, rank, priority, file): 0 (2,2,1,0) 1 (1,2,2,1) 2 (1,2,1,2)
    # 3 (0,2,1,3) after 5; 4 (0,2,1,4); 5 (1,1,1,5); 6 (0,1,3,6); 7 (1,1,1,7);
    # 9 (0,1,1,9), its dependency 8 not chosen: ignored.
    # free: 9, 6, 4 (now); then 5 (1,1,1,5) frees 3 (0,2,1,3); then 7, 2, 1, 0
    assert chosen(out) == [
        "q-now-dep-unchosen",
        "q-now-p3",
        None,
        "q-next",
        "p-now-dep",
        "q-next-b",
        "p-next-p1",
        "p-next-p2",
        "p-later",
    ]
    nameless = out["recommendations"][2]
    assert (nameless["id"], nameless["dimension"], nameless["horizon"]) == (None, "d1", "now")
    assert nameless["because"] == [{"condition": "at_least", "bound": 0, "value": 75.0}]


def test_dependencies_chain_but_not_through_a_recommendation_not_chosen(
    tmp_path: Path,
) -> None:
    rec = recommendation
    always = {"at_least": 0}
    rules = [
        rec("a", always, horizon="now", depends_on=["b"]),  # 0
        rec("b", always, depends_on=["c"]),  # 1
        rec("c", always, horizon="later"),  # 2
        rec("d", always),  # 3
        rec("e", always, horizon="later"),  # 4
        rec("x", always, horizon="now", depends_on=["y"]),  # 5
        rec("y", {"below": 0}, depends_on=["z"]),  # 6, not chosen
        rec("z", always, horizon="later"),  # 7
    ]
    data = questionnaire_data(dimension("d1", scale_item("i"), recommendations=rules))
    out = scored(tmp_path, data, ["respondent", "i"], ["r1", 3])
    # one dimension: keys (horizon, file). free: c (2,2) d (1,3) e (2,4) x (0,5) z (2,7)
    # x; d; c, which frees b (1,1); b frees a (0,0); then e, z
    assert chosen(out) == ["x", "d", "c", "b", "a", "e", "z"]
