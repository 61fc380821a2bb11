"""Peer figures against numpy and scipy on the same data; anonymity verdicts; fallback."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import binom, percentileofscore

from assess.domain.benchmarking import Attributes, Cell, Group, GroupKind, verdicts
from assess.domain.comparison import GroupFigures, Status, compare, own_figures
from assess.domain.peer_figures import EXACT_LIMIT, distribution, peer_figures

RNG = np.random.default_rng(7)


def binomial_interval(values: np.ndarray) -> tuple[float, float]:
    """The order-statistic interval computed directly: the largest rank whose tail
    P(B <= rank - 1) stays within 2.5 %, summing the binomial probabilities by hand."""
    n = len(values)
    ordered = np.sort(values)
    tail, rank = 0.0, 0
    while True:
        tail += binom.pmf(rank, n, 0.5)  # P(B <= rank)
        if tail > 0.025:
            break
        rank += 1
    rank = max(rank, 1)
    return float(ordered[rank - 1]), float(ordered[n - rank])


@pytest.mark.parametrize("n", [1, 5, 6, 7, 40, 1001])
def test_small_group_figures_equal_numpy_and_scipy(n: int) -> None:
    values = RNG.uniform(0, 100, n).round(1)  # rounded: ties as real scores have them
    figures = peer_figures(distribution(values), float(values[0]))
    assert figures is not None
    assert figures.n == n
    assert figures.median == pytest.approx(np.quantile(values, 0.5))
    assert figures.q1 == pytest.approx(np.quantile(values, 0.25))
    assert figures.q3 == pytest.approx(np.quantile(values, 0.75))
    assert figures.percentile == pytest.approx(percentileofscore(values, values[0], kind="mean"))
    assert figures.median_interval == pytest.approx(binomial_interval(values))


def test_large_group_keeps_quantiles_exact_and_percentiles_within_a_tenth() -> None:
    values = RNG.normal(55, 15, 50_000).clip(0, 100)
    group = distribution(values)
    assert len(group.points) == EXACT_LIMIT
    assert group.n == 50_000
    for p in (0.25, 0.5, 0.75):
        assert group.quantile(p) == pytest.approx(np.quantile(values, p))
    for score in (-1.0, 12.3, 40.0, 55.5, 71.2, 99.0, 101.0):
        expected = percentileofscore(values, score, kind="mean")
        assert abs(group.percentile_rank(score) - expected) <= 0.1
    low, high = group.median_interval()
    exact_low, exact_high = binomial_interval(values)
    assert abs(low - exact_low) < 0.05
    assert abs(high - exact_high) < 0.05


def test_percentile_counts_ties_half() -> None:
    group = distribution([10.0, 20.0, 20.0, 30.0])
    assert group.percentile_rank(20.0) == 50.0
    assert group.percentile_rank(5.0) == 0.0
    assert group.percentile_rank(35.0) == 100.0


def test_own_interval_is_student_t() -> None:
    from scipy.stats import t

    scores = np.array([40.0, 55.0, 62.5, 70.0])
    mean, sd = scores.mean(), scores.std(ddof=1)
    figures = own_figures(float(mean), float(sd), 4)
    low, high = t.interval(0.95, 3, loc=mean, scale=sd / 2)
    assert figures.interval == pytest.approx((low, high))
    assert own_figures(50.0, None, 1).interval is None


def cells(*spec: tuple[str | None, str | None, str | None, int]) -> list[Cell]:
    return [Cell(Attributes(i, s, c), n) for i, s, c, n in spec]


RETAIL = Group(GroupKind.industry, ("retail",))
BANKS = Group(GroupKind.industry, ("banks",))
ALL = Group(GroupKind.all)


def test_groups_below_k_are_not_shown_nor_what_all_others_are() -> None:
    found = verdicts(cells(("retail", "s", "de", 4), ("banks", "s", "de", 9)), k=5)
    assert found[ALL].shown
    assert not found[RETAIL].shown
    assert found[RETAIL].reason(5) == "fewer than 5 organisations"
    # all minus banks would be the four retailers
    assert not found[BANKS].shown
    assert found[BANKS].near == ALL


def test_of_two_groups_five_apart_by_one_only_one_is_shown() -> None:
    # 6 organisations in all; 5 of them are retail: retail differs from all by one.
    found = verdicts(cells(("retail", None, None, 5), ("banks", None, None, 1)), k=5)
    assert found[ALL].shown
    assert found[ALL].organisations == 6
    assert not found[RETAIL].shown
    assert found[RETAIL].near == ALL
    assert "differs from the group 'all'" in (found[RETAIL].reason(5) or "")


def test_groups_far_enough_apart_are_both_shown() -> None:
    found = verdicts(cells(("retail", None, None, 5), ("banks", None, None, 5)), k=5)
    assert found[ALL].shown
    assert found[RETAIL].shown
    assert found[BANKS].shown


def test_groups_of_the_same_organisations_may_both_be_shown() -> None:
    found = verdicts(cells(("retail", "s", None, 7)), k=5)
    assert all(v.shown for v in found.values())


def test_differencing_is_checked_between_groups_of_different_kinds() -> None:
    # size s: 6 organisations; industry retail: 7, of which 6 are size s. Both >= k but
    # they differ by only one (retail of another size), so the narrower is hidden.
    found = verdicts(cells(("retail", "s", None, 6), ("retail", "m", None, 1), ("b", "m", None, 6)))
    assert found[RETAIL].shown
    assert not found[Group(GroupKind.size, ("s",))].shown


def test_k_below_three_is_raised_to_three() -> None:
    found = verdicts(cells(("retail", None, None, 2), ("banks", None, None, 1)), k=1)
    assert found[ALL].shown
    assert not found[RETAIL].shown


def stored(attrs: Attributes, found: dict[Group, object]) -> list[GroupFigures]:
    values = distribution([10.0, 20.0, 30.0, 40.0, 50.0])
    return [
        GroupFigures(g, v, {"overall": values} if v.shown else {})  # type: ignore[attr-defined]
        for g, v in found.items()
        if g in attrs.groups()
    ]


def test_report_falls_back_from_industry_and_size_to_industry() -> None:
    attrs = Attributes("retail", "s", "de")
    found = verdicts(cells(("retail", "s", "de", 3), ("retail", "m", "de", 6), ("b", "m", "at", 8)))
    comparison = compare(["overall"], {}, stored(attrs, found), attrs, 5)
    assert comparison.status == Status.shown
    assert comparison.used == RETAIL
    assert [(s.kind, s.reason) for s in comparison.skipped] == [
        (GroupKind.industry_size, "fewer than 5 organisations")
    ]
    body = comparison.to_dict()
    hidden = [g for g in body["groups"] if not g["shown"]]  # type: ignore[attr-defined]
    assert hidden
    assert all(set(g) == {"kind", "values", "label", "shown", "reason"} for g in hidden)
    assert body["report_group_fallback"] == [
        {
            "kind": "industry_size",
            "values": ["retail", "s"],
            "label": "industry_size: retail / s",
            "reason": "fewer than 5 organisations",
        }
    ]


def test_an_organisation_without_industry_is_compared_with_all() -> None:
    attrs = Attributes(None, None, None)
    found = verdicts(cells((None, None, None, 6)))
    comparison = compare(["overall"], {}, stored(attrs, found), attrs, 5)
    assert comparison.used == ALL
    assert [s.reason for s in comparison.skipped] == ["missing", "missing"]
    assert comparison.to_dict()["report_group_fallback"] == [
        {"kind": "industry_size", "reason": "missing", "missing": ("industry", "size")},
        {"kind": "industry", "reason": "missing", "missing": ("industry",)},
    ]


def test_no_pool_and_too_small_are_told_apart() -> None:
    attrs = Attributes("retail", None, None)
    assert compare(["overall"], {}, [], attrs, 5).status == Status.no_pool
    found = verdicts(cells(("retail", None, None, 4)))
    too_small = compare(["overall"], {}, stored(attrs, found), attrs, 5)
    assert too_small.status == Status.too_small
    assert too_small.used is None
    assert too_small.peers == {}
