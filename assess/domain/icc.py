"""ICC(1) and ICC(2): how much of a level score's spread lies between organisations, and
how reliably an organisation's mean tells organisations apart.

Both come from the one-way analysis of variance of respondents nested in organisations
(Shrout & Fleiss 1979; Bliese 2000). With k organisations, N respondents, n_g respondents
in organisation g:

- SSW = sum over organisations of the squared deviations of their respondents' scores
  from the organisation's mean; SSB = sum over organisations of n_g times the squared
  deviation of the organisation's mean from the mean of all N scores.
- MSB = SSB / (k - 1), MSW = SSW / (N - k).
- n0 = (N - sum(n_g^2) / N) / (k - 1): the typical group size where groups differ in size
  (it equals n where every organisation has n respondents).
- ICC(1) = (MSB - MSW) / (MSB + (n0 - 1) * MSW): the share of the variance of one
  respondent's score that lies between organisations (Bliese 2000).
- ICC(2) = (MSB - MSW) / MSB: the reliability of the organisations' means. ICC(2) of 0.70
  and above usually justifies taking an organisation's mean as its score (LeBreton &
  Senter 2008).

Their 95 % intervals come from the F distribution of F = MSB / MSW with (k - 1, N - k)
degrees of freedom (Shrout & Fleiss 1979): F_L = F / F(0.975; k - 1, N - k) and
F_U = F * F(0.975; N - k, k - 1); ICC(1) lies between (F_L - 1) / (F_L + n0 - 1) and
(F_U - 1) / (F_U + n0 - 1), ICC(2) between 1 - 1 / F_L and 1 - 1 / F_U. Figures are given
as computed: ICC(1) and the lower ends may be negative (organisations differ less than
chance would make them), never cut at 0.

Where a figure cannot be computed it is None, never an error:

- fewer than 2 organisations, or no organisation with 2 respondents (N - k < 1): no
  figure at all (nothing to compare, or no spread within organisations to compare with);
- MSW = 0 (everyone agrees with their organisation) and MSB > 0: ICC(1) = ICC(2) = 1,
  without intervals (F is infinite); MSW = 0 and MSB = 0 (nobody differs at all): no figure;
- MSB = 0 (every organisation has the same mean) and MSW > 0: ICC(1) = -1 / (n0 - 1) with
  that point as its interval (F = 0); ICC(2) and its interval None (0 / 0 and 1 - 1 / 0).

The sums of squares come from each organisation's count, sum and sum of squares, as a
database adds them up: SSW organisation by organisation (sum of squares minus sum squared
over n, a tiny negative from rounding taken as 0), SSB from the organisations' means
around the grand mean, both summed with math.fsum, so no large sums cancel each other.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

CONFIDENCE = 0.95


@dataclass(frozen=True)
class GroupSums:
    """One organisation's respondents on one level: how many, the sum of their scores and
    the sum of the squared scores."""

    n: int
    total: float
    squares: float


@dataclass(frozen=True)
class AnovaSums:
    """What the one-way analysis of variance needs of a pool: k organisations, N
    respondents, the sum of the squared group sizes, SSB and SSW."""

    organisations: int
    respondents: int
    sizes_squared: float
    between: float
    within: float


@dataclass(frozen=True)
class Interval:
    """A 95 % interval."""

    low: float
    high: float


@dataclass(frozen=True)
class Agreement:
    """ICC(1) and ICC(2) of a level with their 95 % intervals (None where undefined), and
    the organisations and respondents behind them."""

    organisations: int
    respondents: int
    icc1: float | None
    icc1_ci95: Interval | None
    icc2: float | None
    icc2_ci95: Interval | None


def anova_sums(groups: Iterable[GroupSums]) -> AnovaSums:
    """The sums of squares of respondents nested in organisations (groups of 0 left out)."""
    kept = [g for g in groups if g.n > 0]
    respondents = sum(g.n for g in kept)
    if not kept:
        return AnovaSums(0, 0, 0.0, 0.0, 0.0)
    means = [g.total / g.n for g in kept]
    grand = math.fsum(g.total for g in kept) / respondents
    within = math.fsum(max(g.squares - g.total * g.total / g.n, 0.0) for g in kept)
    between = math.fsum(g.n * (m - grand) ** 2 for g, m in zip(kept, means, strict=True))
    squared = math.fsum(float(g.n) * g.n for g in kept)
    return AnovaSums(len(kept), respondents, squared, between, within)


def agreement(sums: AnovaSums) -> Agreement:
    """ICC(1) and ICC(2) with their 95 % intervals from a pool's sums of squares."""
    k, total = sums.organisations, sums.respondents
    nothing = Agreement(k, total, None, None, None, None)
    if k < 2 or total - k < 1:
        return nothing
    msb = sums.between / (k - 1)
    msw = sums.within / (total - k)
    n0 = (total - sums.sizes_squared / total) / (k - 1)
    if msw <= 0.0:
        return nothing if msb <= 0.0 else Agreement(k, total, 1.0, None, 1.0, None)
    icc1 = _ratio(msb - msw, msb + (n0 - 1) * msw)
    icc2 = _ratio(msb - msw, msb)
    from scipy import stats  # on first use: at import, every command would wait for it

    f = msb / msw
    tail = (1 + CONFIDENCE) / 2
    f_low = f / float(stats.f.ppf(tail, k - 1, total - k))
    f_high = f * float(stats.f.ppf(tail, total - k, k - 1))
    icc1_ci = _interval(_ratio(f_low - 1, f_low + n0 - 1), _ratio(f_high - 1, f_high + n0 - 1))
    icc2_ci = None if f_low <= 0.0 else _interval(1 - 1 / f_low, 1 - 1 / f_high)
    return Agreement(k, total, icc1, icc1_ci, icc2, icc2_ci)


def _ratio(numerator: float, denominator: float) -> float | None:
    if denominator == 0.0:
        return None
    value = numerator / denominator
    return value if math.isfinite(value) else None


def _interval(low: float | None, high: float | None) -> Interval | None:
    return None if low is None or high is None else Interval(low, high)
