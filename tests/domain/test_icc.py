"""ICC(1) and ICC(2): against hand-computed analyses of variance, against a direct one on
raw scores (and scipy's F), and what each edge case gives."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from assess.domain.icc import AnovaSums, GroupSums, agreement, anova_sums


def sums_of(*groups: list[float]) -> list[GroupSums]:
    return [GroupSums(len(g), float(sum(g)), float(sum(x * x for x in g))) for g in groups]


def test_balanced_groups_give_the_hand_computed_iccs() -> None:
    # Three organisations of three: means 2, 5, 8 around 5.
    #   SSW = 3 * (1 + 0 + 1) = 6, MSW = 6 / (9 - 3) = 1
    #   SSB = 3 * (9 + 0 + 9) = 54, MSB = 54 / 2 = 27, n0 = 3
    #   ICC(1) = 26 / (27 + 2 * 1) = 26 / 29, ICC(2) = 26 / 27
    #   F = 27; F(0.975; 2, 6) = 7.2599, F(0.975; 6, 2) = 39.331 (tables)
    sums = anova_sums(sums_of([1, 2, 3], [4, 5, 6], [7, 8, 9]))
    assert (sums.organisations, sums.respondents, sums.sizes_squared) == (3, 9, 27.0)
    assert (sums.between, sums.within) == pytest.approx((54.0, 6.0), abs=1e-12)
    found = agreement(sums)
    assert found.icc1 == pytest.approx(26 / 29, abs=1e-12)
    assert found.icc2 == pytest.approx(26 / 27, abs=1e-12)
    f_low, f_high = 27 / 7.2599, 27 * 39.331
    assert found.icc2_ci95 is not None
    assert found.icc1_ci95 is not None
    assert found.icc2_ci95.low == pytest.approx(1 - 1 / f_low, abs=1e-4)
    assert found.icc2_ci95.high == pytest.approx(1 - 1 / f_high, abs=1e-4)
    assert found.icc1_ci95.low == pytest.approx((f_low - 1) / (f_low + 2), abs=1e-4)
    assert found.icc1_ci95.high == pytest.approx((f_high - 1) / (f_high + 2), abs=1e-4)


def test_unbalanced_groups_use_n0_for_icc1() -> None:
    # Organisations of 2, 3 and 4: means 3, 5, 9, grand mean 57 / 9 = 19 / 3.
    #   SSW = 2 + 8 + 20 = 30, MSW = 30 / 6 = 5
    #   SSB = 2 * (10/3)^2 + 3 * (4/3)^2 + 4 * (8/3)^2 = (200 + 48 + 256) / 9 = 56, MSB = 28
    #   n0 = (9 - 29 / 9) / 2 = 26 / 9
    #   ICC(1) = 23 / (28 + 17/9 * 5) = 207 / 337, ICC(2) = 23 / 28
    #   F = 5.6; F_L = 5.6 / 7.2599, F_U = 5.6 * 39.331
    found = agreement(anova_sums(sums_of([2, 4], [3, 5, 7], [6, 8, 10, 12])))
    assert (found.organisations, found.respondents) == (3, 9)
    assert found.icc1 == pytest.approx(207 / 337, abs=1e-12)
    assert found.icc2 == pytest.approx(23 / 28, abs=1e-12)
    n0 = 26 / 9
    f_low, f_high = 5.6 / 7.2599, 5.6 * 39.331
    assert found.icc1_ci95 is not None
    assert found.icc2_ci95 is not None
    assert found.icc1_ci95.low == pytest.approx((f_low - 1) / (f_low + n0 - 1), abs=1e-4)
    assert found.icc1_ci95.low < 0  # as computed, never cut at 0
    assert found.icc1_ci95.high == pytest.approx((f_high - 1) / (f_high + n0 - 1), abs=1e-4)
    assert found.icc2_ci95.low == pytest.approx(1 - 1 / f_low, abs=1e-4)
    assert found.icc2_ci95.high == pytest.approx(1 - 1 / f_high, abs=1e-4)


def test_random_pools_equal_a_direct_anova_of_raw_scores() -> None:
    rng = np.random.default_rng(22)
    for _ in range(20):
        k = int(rng.integers(2, 40))
        groups = [
            rng.normal(rng.normal(60, 8), 15, int(rng.integers(1, 12))).clip(0, 100)
            for _ in range(k)
        ]
        if sum(len(g) for g in groups) - k < 1:
            continue
        found = agreement(anova_sums(sums_of(*[list(g) for g in groups])))
        every = np.concatenate(groups)
        big_n, grand = len(every), every.mean()
        ssw = sum(((g - g.mean()) ** 2).sum() for g in groups)
        ssb = sum(len(g) * (g.mean() - grand) ** 2 for g in groups)
        msb, msw = ssb / (k - 1), ssw / (big_n - k)
        n0 = (big_n - sum(len(g) ** 2 for g in groups) / big_n) / (k - 1)
        f = stats.f_oneway(*groups).statistic
        assert msb / msw == pytest.approx(f, rel=1e-9)
        assert found.icc1 == pytest.approx((msb - msw) / (msb + (n0 - 1) * msw), rel=1e-9)
        assert found.icc2 == pytest.approx((msb - msw) / msb, rel=1e-9)
        f_low = f / stats.f.ppf(0.975, k - 1, big_n - k)
        assert found.icc2_ci95 is not None
        assert found.icc2_ci95.low == pytest.approx(1 - 1 / f_low, rel=1e-9)
        assert found.icc2_ci95.low <= found.icc2 <= found.icc2_ci95.high


def test_sums_of_large_scores_lose_no_precision() -> None:
    # Sums of squares near 1e12 around a spread of 1: computed per organisation, not pooled.
    groups = [[1e5 + x for x in g] for g in ([1, 2, 3], [4, 5, 6], [7, 8, 9])]
    sums = anova_sums(sums_of(*groups))
    assert (sums.between, sums.within) == pytest.approx((54.0, 6.0), rel=1e-6)


def test_one_organisation_or_one_respondent_each_gives_no_figure() -> None:
    for groups in (sums_of([1, 2, 3]), sums_of([1], [2], [3]), []):
        found = agreement(anova_sums(groups))
        assert (found.icc1, found.icc2, found.icc1_ci95, found.icc2_ci95) == (None,) * 4


def test_agreement_within_every_organisation_gives_one_without_interval() -> None:
    found = agreement(anova_sums(sums_of([50, 50], [70, 70, 70])))
    assert (found.icc1, found.icc2) == (1.0, 1.0)
    assert (found.icc1_ci95, found.icc2_ci95) == (None, None)
    nobody_differs = agreement(anova_sums(sums_of([50, 50], [50, 50])))
    assert (nobody_differs.icc1, nobody_differs.icc2) == (None, None)


def test_equal_means_give_icc1_below_zero_and_no_icc2() -> None:
    # MSB = 0, MSW = 1, n0 = 2: ICC(1) = -1 / (n0 - 1) = -1.
    found = agreement(anova_sums(sums_of([1, 3], [1, 3])))
    assert found.icc1 == pytest.approx(-1.0)
    assert found.icc1_ci95 is not None
    assert found.icc1_ci95.low == pytest.approx(-1.0)
    assert (found.icc2, found.icc2_ci95) == (None, None)


def test_agreement_takes_pool_wide_sums_as_a_database_gives_them() -> None:
    found = agreement(AnovaSums(3, 9, 27.0, 54.0, 6.0))
    assert found.icc2 == pytest.approx(26 / 27)
