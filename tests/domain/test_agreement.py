"""Rules 13 and 14 of the format document (agreement, confidence intervals, significant
divergence) against arithmetic done by hand and against scipy's own tests."""

from __future__ import annotations

import math
import random
from typing import Any

import pytest
from scipy import stats

from assess.domain.agreement import ci95, item_ratios, rwg, significant, welch_interval
from assess.domain.answers import DK, NA, Response
from assess.domain.few_answers import without_few_answers
from assess.domain.scoring import score_assessment
from assess.domain.statistics import summarize
from assess.domain.yamlfile import FileProblems
from tests.factories import (
    boolean_item,
    dimension,
    make_questionnaire,
    recommendation,
    scale_item,
)


def respondents(*answers: dict[str, Any], department: list[str] | None = None) -> list[Response]:
    groups = department or [None] * len(answers)
    return [
        Response(f"r{n}", a, {"department": g} if g else {})
        for n, (a, g) in enumerate(zip(answers, groups, strict=True))
    ]


# Rule 13 -----------------------------------------------------------------------------


def test_rwg_of_two_items_worked_by_hand() -> None:
    # a: 4, 5 -> s2 0.5; b: 2, 4 -> s2 2; sigma2 on 1..5 = (5^2 - 1) / 12 = 2
    # ratios 0.25 and 1, m = 0.625, J = 2: 2 * 0.375 / (2 * 0.375 + 0.625) = 0.5454...
    q = make_questionnaire(dimension("d", scale_item("a"), scale_item("b")))
    result = score_assessment(q, respondents({"a": 4, "b": 2}, {"a": 5, "b": 4}))
    figures = result.to_dict()["dimensions"]["d"]
    assert figures["rwg"] == pytest.approx(0.75 / 1.375, abs=1e-12)
    assert len(result.certainty["d"].ratios) == 2


def test_rwg_is_one_when_everyone_gives_the_same_answers() -> None:
    q = make_questionnaire(dimension("d", scale_item("a"), scale_item("b")))
    rows = respondents(*[{"a": 4, "b": 2}] * 5)
    assert score_assessment(q, rows).to_dict()["dimensions"]["d"]["rwg"] == 1.0


def test_rwg_is_zero_where_answers_vary_as_much_as_chance_or_more() -> None:
    # 1 and 5: s2 = 8 > sigma2 = 2, m = 4 >= 1
    q = make_questionnaire(dimension("d", scale_item("a")))
    rows = respondents({"a": 1}, {"a": 5})
    assert score_assessment(q, rows).to_dict()["dimensions"]["d"]["rwg"] == 0.0


def test_rwg_counts_only_statements_answered_with_a_number_by_two_or_more() -> None:
    # a: 2, 3 (N/A and can't judge give no number) -> s2 0.5, ratio 0.25;
    # b answered once, c a yes/no question, f a lead item: none enters; J = 1
    items = (
        scale_item("a", allow_dont_know=True),
        scale_item("b"),
        boolean_item("c"),
        scale_item("f", informant="lead"),
    )
    q = make_questionnaire(dimension("d", *items), min_coverage=0.25)
    rows = [
        Response("r1", {"a": 2, "b": 5, "c": True, "f": 1, "lead": True}, {}),
        Response("r2", {"a": 3, "c": False}, {}),
        Response("r3", {"a": NA, "c": True}, {}),
        Response("r4", {"a": DK}, {}),
    ]
    result = score_assessment(q, rows)
    assert len(result.certainty["d"].ratios) == 1
    assert result.to_dict()["dimensions"]["d"]["rwg"] == pytest.approx(0.75 / 1.0, abs=1e-12)


def test_rwg_reads_reversed_statements_and_own_scales_raw() -> None:
    # reversed a on 1..5: raw 1, 2 -> s2 0.5, ratio 0.25;
    # b on its own 0..10 scale: raw 0, 10 -> s2 50, sigma2 (11^2 - 1) / 12 = 10, ratio 5
    # m = 2.625 >= 1 -> 0; alone, a gives J(1 - m) / (J(1 - m) + m) = 0.75 / 1
    q = make_questionnaire(
        dimension("d", scale_item("a", reverse=True), scale_item("b", min=0, max=10))
    )
    both = score_assessment(q, respondents({"a": 1, "b": 0}, {"a": 2, "b": 10}))
    assert both.certainty["d"].rwg == 0.0
    alone = score_assessment(q, respondents({"a": 1}, {"a": 2}))
    assert alone.certainty["d"].rwg == pytest.approx(0.75)


def test_rwg_is_null_without_a_statement_answered_twice() -> None:
    q = make_questionnaire(dimension("d", scale_item("a")))
    assert score_assessment(q, respondents({"a": 3})).to_dict()["dimensions"]["d"]["rwg"] is None


def test_rwg_of_ratios_follows_the_formula_for_many_items() -> None:
    rng = random.Random(7)
    for _ in range(200):
        ratios = [rng.uniform(0, 1.2) for _ in range(rng.randint(1, 9))]
        j, m = len(ratios), math.fsum(ratios) / len(ratios)
        expected = 0.0 if m >= 1 else j * (1 - m) / (j * (1 - m) + m)
        assert rwg(ratios) == pytest.approx(expected, abs=1e-12)


def test_item_ratios_use_the_sample_variance() -> None:
    rng = random.Random(3)
    answers = [rng.randint(1, 7) for _ in range(40)]
    counts: dict[float, int] = {}
    for a in answers:
        counts[float(a)] = counts.get(float(a), 0) + 1
    ratios = item_ratios([("x", counts, 1, 7), ("once", {3.0: 1}, 1, 7)])
    assert ratios == {"x": (pytest.approx(stats.tvar(answers) / ((7 * 7 - 1) / 12)), 40)}


# Rule 14 -----------------------------------------------------------------------------


def test_ci95_worked_by_hand() -> None:
    # scores 0, 50, 100: mean 50, sd 50, t(0.975, 2) = 4.302652729749464
    q = make_questionnaire(dimension("d", scale_item("a")))
    result = score_assessment(q, respondents({"a": 1}, {"a": 3}, {"a": 5}))
    low, high = result.to_dict()["dimensions"]["d"]["ci95"]
    half = 4.302652729749464 * 50 / math.sqrt(3)
    assert low == pytest.approx(50 - half, abs=1e-9)
    assert high == pytest.approx(50 + half, abs=1e-9)


def test_ci95_is_null_below_two_respondents_and_a_point_without_spread() -> None:
    q = make_questionnaire(dimension("d", scale_item("a")))
    assert score_assessment(q, respondents({"a": 2})).to_dict()["dimensions"]["d"]["ci95"] is None
    same = score_assessment(q, respondents({"a": 2}, {"a": 2}))
    assert same.to_dict()["dimensions"]["d"]["ci95"] == [25.0, 25.0]


def test_ci95_agrees_with_scipy() -> None:
    rng = random.Random(11)
    for _ in range(50):
        values = [rng.uniform(0, 100) for _ in range(rng.randint(2, 30))]
        interval = ci95(summarize(values))
        assert interval is not None
        expected = stats.t.interval(
            0.95, len(values) - 1, loc=stats.tmean(values), scale=stats.sem(values)
        )
        assert interval == pytest.approx(expected, abs=1e-9)


def test_welch_interval_agrees_with_scipy() -> None:
    rng = random.Random(5)
    for _ in range(50):
        a = [rng.uniform(0, 100) for _ in range(rng.randint(2, 12))]
        b = [rng.uniform(0, 100) for _ in range(rng.randint(2, 12))]
        test = stats.ttest_ind(a, b, equal_var=False)
        expected = test.confidence_interval(0.95)
        interval = welch_interval(summarize(a), summarize(b))
        assert interval == pytest.approx((expected.low, expected.high), abs=1e-9)
        excludes = expected.low > 0 or expected.high < 0
        assert (test.pvalue < 0.05) == excludes


def test_two_departments_of_two_far_apart_are_flagged_but_not_significant() -> None:
    # sales 87.5 (100, 75), service 12.5 (0, 25): spread 75, se sqrt(2 * 156.25),
    # df 2, t 4.3027 -> 75 ± 76.06 contains 0
    q = make_questionnaire(dimension("d", scale_item("a")))
    rows = respondents(
        {"a": 5}, {"a": 4}, {"a": 1}, {"a": 2}, department=["sales", "sales", "service", "service"]
    )
    spread = score_assessment(q, rows, ["department"]).to_dict()["divergence"]["department"]["d"]
    assert spread == {"spread": 75.0, "flagged": True, "significant": False}


def test_three_each_far_apart_are_significant() -> None:
    q = make_questionnaire(dimension("d", scale_item("a")))
    rows = respondents(
        *[{"a": v} for v in (5, 4, 5, 1, 2, 1)], department=["sales"] * 3 + ["service"] * 3
    )
    spread = score_assessment(q, rows, ["department"]).divergence["department"]["d"]
    # 91.67 vs 8.33, sd 14.43 each: Welch t = 7.07 on 4 df
    assert spread.flagged
    assert spread.significant


def test_a_group_of_one_is_never_significant() -> None:
    q = make_questionnaire(dimension("d", scale_item("a")))
    rows = respondents({"a": 5}, {"a": 5}, {"a": 1}, department=["sales", "sales", "service"])
    spread = score_assessment(q, rows, ["department"]).divergence["department"]["d"]
    assert spread.flagged
    assert not spread.significant


def test_groups_without_spread_are_the_single_point_of_their_difference() -> None:
    q = make_questionnaire(dimension("d", scale_item("a")))
    rows = respondents(*[{"a": v} for v in (4, 4, 2, 2)], department=["it", "it", "sales", "sales"])
    assert score_assessment(q, rows, ["department"]).divergence["department"]["d"].significant
    same = respondents(*[{"a": 3}] * 4, department=["it", "it", "sales", "sales"])
    assert not score_assessment(q, same, ["department"]).divergence["department"]["d"].significant


def test_on_tied_means_the_group_first_in_the_answers_is_taken() -> None:
    # service (first in the answers) 75, 75; sales 50, 100 (mean 75 too); it 25, 25.
    # service - it: both sd 0, the point 50 -> significant. Had sales been taken (it is
    # first in the questionnaire's order): se 17.68 on 1 df, 50 ± 224.6 -> not.
    q = make_questionnaire(dimension("d", scale_item("a")))
    rows = respondents(
        *[{"a": v} for v in (4, 4, 3, 5, 2, 2)],
        department=["service", "service", "sales", "sales", "it", "it"],
    )
    result = score_assessment(q, rows, ["department"])
    assert list(result.groups["department"]) == ["sales", "service", "it"]
    assert result.divergence["department"]["d"].significant
    sales_first = [*rows[2:4], *rows[:2], *rows[4:]]
    assert (
        not score_assessment(q, sales_first, ["department"])
        .divergence["department"]["d"]
        .significant
    )


def test_significant_compares_the_highest_and_lowest_of_several_groups() -> None:
    low, middle, high = summarize([10, 12, 11]), summarize([40, 60, 50]), summarize([90, 91, 89])
    assert significant([middle, high, low])
    assert not significant([middle])
    assert not significant([])


def test_groups_carry_rule_five_figures_only() -> None:
    q = make_questionnaire(dimension("d", scale_item("a")))
    rows = respondents(*[{"a": v} for v in (4, 2, 3, 5)], department=["it", "it", "sales", "sales"])
    group = score_assessment(q, rows, ["department"]).to_dict()["groups"]["department"]["it"]
    assert set(group["dimensions"]["d"]) == {"score", "stage", "n", "sd", "min", "max"}


# The `significant` condition -----------------------------------------------------------


def test_a_recommendation_can_ask_for_a_significant_divergence() -> None:
    clear = recommendation("clear", {"divergence": {"significant": True}})
    possible = recommendation("possible", {"divergence": {"at_least": 20, "significant": False}})
    q = make_questionnaire(dimension("d", scale_item("a"), recommendations=[clear, possible]))
    far = respondents(
        *[{"a": v} for v in (5, 4, 5, 1, 2, 1)], department=["sales"] * 3 + ["service"] * 3
    )
    chosen = score_assessment(q, far, ["department"]).to_dict()["recommendations"]
    assert [c["id"] for c in chosen] == ["clear"]
    assert chosen[0]["because"] == [
        {"condition": "divergence.significant", "bound": True, "value": True}
    ]
    few = respondents(*[{"a": v} for v in (5, 4, 1, 2)], department=["sales"] * 2 + ["service"] * 2)
    chosen = score_assessment(q, few, ["department"]).to_dict()["recommendations"]
    assert [c["id"] for c in chosen] == ["possible"]
    alone = score_assessment(q, respondents({"a": 5}, {"a": 1})).to_dict()["recommendations"]
    assert alone == []


def test_a_divergence_condition_needs_a_bound_or_significant() -> None:
    empty = recommendation("r", {"divergence": {}})
    with pytest.raises(FileProblems, match=r"at_least \(a spread\), significant"):
        make_questionnaire(dimension("d", scale_item("a"), recommendations=[empty]))


def test_who_sees_releases_gets_an_rwg_without_statements_fewer_than_k_answered() -> None:
    # a: 2, 3, 2, 3 (s2 1/3, ratio 1/6); b answered by two: 1, 5 (ratio 4) -> with b
    # m >= 1 and rwg 0; without b (k = 3): 1 - 1/6
    q = make_questionnaire(dimension("d", scale_item("a"), scale_item("b")), min_coverage=0.5)
    rows = respondents({"a": 2, "b": 1}, {"a": 3, "b": 5}, {"a": 2}, {"a": 3})
    result = score_assessment(q, rows)
    assert result.certainty["d"].rwg == 0.0
    thinned = without_few_answers(q, result, rows, 3)
    assert thinned.certainty["d"].rwg == pytest.approx(1 - 1 / 6, abs=1e-12)
