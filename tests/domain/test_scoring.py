"""Each scoring rule of QUESTIONNAIRE_FORMAT.md against arithmetic done by hand."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from assess.domain.answer_files import read_answers
from assess.domain.answers import NA, Response
from assess.domain.grouping import UnknownQuestion
from assess.domain.scoring import item_score, score_answers, score_assessment
from assess.domain.validation import load_questionnaire
from tests.factories import (
    boolean_item,
    choice_item,
    csv_bytes,
    dimension,
    make_questionnaire,
    scale_item,
)

SERVICE_CHECK = Path(__file__).parent.parent / "questionnaires" / "service-check.yaml"


def one_dimension(*items: dict[str, object], **extra: object):
    return make_questionnaire(dimension("d", *items), **extra)


def test_scale_answer_scores_its_position_on_the_scale() -> None:
    q = one_dimension(scale_item("i"))
    item = q.dimensions[0].items[0]
    # (answer - min) / (max - min) * 100 on 1..5
    assert item_score(q, item, 1.0) == 0.0
    assert item_score(q, item, 2.0) == 25.0  # (2-1)/4*100
    assert item_score(q, item, 4.0) == 75.0  # (4-1)/4*100
    assert item_score(q, item, 5.0) == 100.0


def test_reverse_item_scores_low_answer_high() -> None:
    q = one_dimension(scale_item("i", reverse=True))
    item = q.dimensions[0].items[0]
    assert item_score(q, item, 2.0) == 75.0  # 100 - (2-1)/4*100
    assert item_score(q, item, 5.0) == 0.0


def test_item_may_override_the_scale() -> None:
    q = one_dimension(scale_item("i", min=0, max=10))
    item = q.dimensions[0].items[0]
    assert item_score(q, item, 3.0) == pytest.approx(30.0)  # (3-0)/(10-0)*100


def test_choice_scores_its_option_and_boolean_scores_yes_100() -> None:
    q = one_dimension(choice_item("c", {"none": 0, "some": 40, "all": 100}), boolean_item("b"))
    choice, yes_no = q.dimensions[0].items
    assert item_score(q, choice, "some") == 40.0
    assert item_score(q, yes_no, True) == 100.0
    assert item_score(q, yes_no, False) == 0.0


def test_skipped_and_not_applicable_have_no_score_not_zero() -> None:
    q = one_dimension(scale_item("i"))
    item = q.dimensions[0].items[0]
    assert item_score(q, item, None) is None
    assert item_score(q, item, NA) is None


def test_dimension_is_weighted_mean_of_scored_items() -> None:
    q = one_dimension(scale_item("a", weight=2), scale_item("b"), scale_item("c", weight=1))
    result = score_assessment(q, [Response("r1", {"a": 5.0, "b": 2.0, "c": NA})])
    # a = 100 (w 2), b = 25 (w 1), c not applicable: (2*100 + 1*25) / 3 = 75
    assert result.total.dimensions["d"].score == pytest.approx(75.0)


def test_dimension_below_min_coverage_has_no_score() -> None:
    q = one_dimension(scale_item("a", weight=3), scale_item("b"), min_coverage=0.5)
    # only b answered: weight 1 of 4 = 25% < 50%
    result = score_assessment(q, [Response("r1", {"b": 5.0, "a": NA})])
    assert result.total.dimensions["d"].score is None
    assert result.total.overall.score is None
    assert result.total.overall.stage is None


def test_coverage_exactly_at_threshold_is_enough() -> None:
    q = one_dimension(scale_item("a"), scale_item("b"), min_coverage=0.5)
    result = score_assessment(q, [Response("r1", {"a": 4.0})])
    assert result.total.dimensions["d"].score == 75.0  # 1 of 2 weight = 50% >= 50%


def test_overall_is_weighted_mean_of_dimensions() -> None:
    q = make_questionnaire(
        dimension("x", scale_item("a"), weight=3),
        dimension("y", scale_item("b"), weight=1),
    )
    result = score_assessment(q, [Response("r1", {"a": 5.0, "b": 1.0})])
    # (3*100 + 1*0) / 4 = 75
    assert result.total.overall.score == 75.0
    assert result.total.overall.stage == "four"


def test_stage_is_last_whose_min_score_is_reached() -> None:
    q = one_dimension(scale_item("a", min=0, max=10))
    stages = {
        answer: score_assessment(q, [Response("r", {"a": answer})]).total.overall.stage
        for answer in (0.0, 1.0, 2.0, 3.0, 6.0, 8.0, 10.0)
    }
    # scores 0, 10, 20, 30, 60, 80, 100; stages start at 0, 20, 40, 60, 80
    assert stages == {
        0.0: "one",
        1.0: "one",
        2.0: "two",
        3.0: "two",
        6.0: "four",
        8.0: "five",
        10.0: "five",
    }


def test_organisation_figures_are_mean_sd_min_max_of_respondents() -> None:
    q = one_dimension(scale_item("a"), scale_item("b"))
    responses = [
        Response("r1", {"a": 5.0, "b": 5.0}),  # 100
        Response("r2", {"a": 3.0, "b": 2.0}),  # (50 + 25) / 2 = 37.5
        Response("r3", {"a": 1.0, "b": 2.0}),  # (0 + 25) / 2 = 12.5
        Response("r4", {}),  # no score: left out
    ]
    figures = score_assessment(q, responses).total.dimensions["d"]
    # mean (100 + 37.5 + 12.5) / 3 = 50
    # sd sqrt(((50)^2 + (-12.5)^2 + (-37.5)^2) / 2) = sqrt(4062.5 / 2) = 45.069...
    assert figures.score == 50.0
    assert figures.summary.n == 3
    assert figures.summary.sd == pytest.approx(math.sqrt(4062.5 / 2))
    assert (figures.summary.min, figures.summary.max) == (12.5, 100.0)
    assert score_assessment(q, responses).total.respondents == 4


def test_sd_is_null_below_two_respondents() -> None:
    q = one_dimension(scale_item("a"))
    figures = score_assessment(q, [Response("r1", {"a": 4.0})]).total.dimensions["d"]
    assert figures.summary.n == 1
    assert figures.summary.sd is None


def test_overall_of_organisation_comes_from_dimension_means() -> None:
    q = make_questionnaire(dimension("x", scale_item("a")), dimension("y", scale_item("b")))
    responses = [
        Response("r1", {"a": 5.0}),  # x = 100, y none -> no overall for r1
        Response("r2", {"a": 1.0, "b": 3.0}),  # x = 0, y = 50
    ]
    result = score_assessment(q, responses)
    # x mean (100 + 0) / 2 = 50, y mean 50 (r2 only); overall (50 + 50) / 2 = 50
    assert result.total.dimensions["x"].score == 50.0
    assert result.total.dimensions["y"].score == 50.0
    assert result.total.overall.score == 50.0


def test_groups_and_divergence_by_department() -> None:
    q = one_dimension(scale_item("a"), divergence_threshold=20)
    responses = [
        Response("r1", {"a": 5.0}, {"department": "sales"}),  # 100
        Response("r2", {"a": 4.0}, {"department": "sales"}),  # 75
        Response("r3", {"a": 3.0}, {"department": "service"}),  # 50
        Response("r4", {"a": 2.0}),  # no department: in the total only
    ]
    result = score_assessment(q, responses)
    sales = result.groups["department"]["sales"]
    service = result.groups["department"]["service"]
    assert sales.dimensions["d"].score == 87.5  # (100 + 75) / 2
    assert sales.respondents == 2
    assert service.dimensions["d"].score == 50.0
    assert list(result.groups["department"]) == ["sales", "service"]
    # spread 87.5 - 50 = 37.5 >= 20
    assert result.divergence["department"]["d"].spread == 37.5
    assert result.divergence["department"]["d"].flagged is True


def test_divergence_exactly_at_threshold_is_flagged() -> None:
    q = one_dimension(scale_item("a"), divergence_threshold=25)
    responses = [
        Response("r1", {"a": 5.0}, {"department": "sales"}),
        Response("r2", {"a": 4.0}, {"department": "it"}),
    ]
    divergence = score_assessment(q, responses).divergence["department"]["d"]
    assert divergence.spread == 25.0
    assert divergence.flagged is True


def test_group_by_unknown_question_is_refused() -> None:
    q = one_dimension(scale_item("a"))
    with pytest.raises(UnknownQuestion, match="department"):
        score_assessment(q, [], group_by=["region"])


def test_no_group_by_when_questionnaire_has_no_department() -> None:
    q = one_dimension(scale_item("a"), profile=[])
    result = score_assessment(q, [Response("r1", {"a": 3.0})])
    assert result.to_dict()["groups"] == {}
    assert result.to_dict()["divergence"] == {}


def test_json_shape_matches_the_format_document() -> None:
    q = one_dimension(scale_item("a"))
    out = score_assessment(q, [Response("r1", {"a": 3.0}, {"department": "it"})]).to_dict()
    assert set(out) == {
        "questionnaire",
        "respondents",
        "overall",
        "dimensions",
        "groups",
        "divergence",
        "items",
        "recommendations",
    }
    assert out["questionnaire"] == {"id": "test", "version": 1}
    assert out["overall"] == {"score": 50.0, "stage": "three"}
    assert out["dimensions"]["d"] == {
        "score": 50.0,
        "stage": "three",
        "n": 1,
        "sd": None,
        "min": 50.0,
        "max": 50.0,
        "ci95": None,
        "rwg": None,
        "dont_know_share": 0.0,
        "importance_mean": None,
        "importance_weight": None,
        "target": "four",
        "gap": out["dimensions"]["d"]["gap"],
        "priority": out["dimensions"]["d"]["gap"],
        "rank": 1,
        "quadrant": None,
    }
    assert out["items"] == {"a": {"score": 50.0, "n": 1, "dont_know": 0}}
    assert out["groups"]["department"]["it"]["overall"] == {"score": 50.0, "stage": "three"}
    assert out["divergence"]["department"]["d"] == {
        "spread": 0.0,
        "flagged": False,
        "significant": False,
    }


def test_second_questionnaire_scores_as_computed_by_hand() -> None:
    q = load_questionnaire(SERVICE_CHECK)
    raw = csv_bytes(
        [
            "respondent",
            "team",
            "listen-feedback",
            "listen-ignore",
            "listen-nps",
            "act-owner",
            "act-speed",
            "share-wiki",
            "share-silo",
        ],
        ["r1", "front", 8, 2, "yes", "team", 3, "yes", 2],
        ["r2", "back", 4, "na", "no", "board", 4, "no", 5],
        ["r3", "front", 10, 0, "yes", "nobody", 1, None, None],
    )
    result = score_answers(raw, q, ["team"])
    # listening (0-10 scale; feedback w2, ignore reversed w1, nps boolean w1):
    #   r1 (2*80 + 80 + 100) / 4 = 85; r2 (2*40 + 0) / 3 = 26.67 (coverage 3/4);
    #   r3 (2*100 + 100 + 100) / 4 = 100
    # acting (owner choice w3, speed 1..4 w1):
    #   r1 (3*40 + 66.67) / 4 = 46.67; r2 (3*100 + 100) / 4 = 100; r3 (0 + 0) / 4 = 0
    # sharing (wiki boolean w1, silo reversed 1..5 w0.5):
    #   r1 (100 + 0.5*75) / 1.5 = 91.67; r2 (0 + 0) = 0; r3 nothing -> no score
    listening = (85 + 80 / 3 + 100) / 3
    acting = ((120 + 200 / 3) / 4 + 100 + 0) / 3
    sharing = (137.5 / 1.5 + 0) / 2
    assert result.total.dimensions["listening"].score == pytest.approx(listening)
    assert result.total.dimensions["acting"].score == pytest.approx(acting)
    assert result.total.dimensions["sharing"].score == pytest.approx(sharing)
    assert result.total.dimensions["sharing"].summary.n == 2
    # overall: weights 2, 1, 0.5
    overall = (2 * listening + acting + 0.5 * sharing) / 3.5
    assert result.total.overall.score == pytest.approx(overall)
    assert round(result.total.overall.score, 1) == 60.8
    assert result.total.overall.stage == "performing"  # 50 <= 60.8 < 75.5
    front = result.groups["team"]["front"].dimensions["listening"].score
    assert front == pytest.approx((85 + 100) / 2)
    assert result.divergence["team"]["listening"].flagged  # threshold 15


def test_csv_and_typed_responses_give_the_same_result() -> None:
    q = load_questionnaire(SERVICE_CHECK)
    raw = csv_bytes(
        ["respondent", "team", "listen-feedback", "act-owner", "share-wiki"],
        ["a", "front", 7, "team", "yes"],
        ["b", "back", "", "board", "no"],
    )
    from_csv = score_answers(raw, q, ["team"]).to_dict()
    typed = score_assessment(q, read_answers(raw, q), ["team"]).to_dict()
    assert from_csv == typed


def test_a_stage_reached_exactly_is_not_lost_to_float_noise() -> None:
    # 1..7 scale: scores are thirds (100/6 steps); 33.33.. + 66.66.. averages to exactly 50
    q = one_dimension(scale_item("a", min=1, max=7), scale_item("b", min=1, max=7))
    stages = [{"id": "low", "min_score": 0, "name": {"de": "l", "en": "l"}}]
    stages.append({"id": "half", "min_score": 50, "name": {"de": "h", "en": "h"}})
    q = one_dimension(scale_item("a", min=1, max=7), scale_item("b", min=1, max=7), stages=stages)
    result = score_assessment(q, [Response("r", {"a": 3.0, "b": 5.0})])
    assert result.total.dimensions["d"].score == pytest.approx(50.0)
    assert result.total.dimensions["d"].stage == "half"
