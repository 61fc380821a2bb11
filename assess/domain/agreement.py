"""How sure a figure is (rules 13 and 14 of the format document): the agreement of an
organisation's respondents on a dimension (rwg), the 95 % confidence interval of its
score, and whether two groups' means differ by more than chance (Welch's interval)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

from assess.domain.statistics import Summary

# James, Demaree & Wolf (1984); LeBreton & Senter (2008): from 0.70 the respondents agree
# enough to report one figure for the organisation.
STRONG_AGREEMENT = 0.70


def item_variance(counts: Mapping[float, int]) -> float | None:
    """The sample variance of an item's raw answers, given as answer -> respondents;
    None below two answers."""
    n = sum(counts.values())
    if n < 2:
        return None
    mean = math.fsum(value * times for value, times in counts.items()) / n
    return math.fsum(times * (value - mean) ** 2 for value, times in counts.items()) / (n - 1)


def uniform_variance(low: float, high: float) -> float:
    """σ²ᵢ of rule 13: the variance of answers spread evenly over A = high − low + 1
    points, ((A)² − 1) / 12."""
    points = high - low + 1
    return (points * points - 1) / 12


def rwg(ratios: Sequence[float]) -> float | None:
    """Rule 13's rwg(J) from each item's s²ᵢ / σ²ᵢ: J(1 − m) / (J(1 − m) + m) with m their
    mean; 0 where m >= 1, None without items."""
    j = len(ratios)
    if j == 0:
        return None
    m = math.fsum(ratios) / j
    if m >= 1:
        return 0.0
    return j * (1 - m) / (j * (1 - m) + m)


def item_ratios(
    answers: Iterable[tuple[str, Mapping[float, int], float, float]],
) -> dict[str, tuple[float, int]]:
    """Rule 13's s²ᵢ / σ²ᵢ of each item answered with a number by two or more, given as
    (item id, raw answer -> respondents, scale min, scale max): item -> (ratio, n)."""
    ratios = {}
    for item, counts, low, high in answers:
        variance = item_variance(counts)
        if variance is not None:
            ratios[item] = (variance / uniform_variance(low, high), sum(counts.values()))
    return ratios


def ci95(summary: Summary) -> tuple[float, float] | None:
    """Rule 14: mean ± t(0.975, n − 1) · sd / √n; None below n = 2."""
    if summary.n < 2 or summary.mean is None or summary.sd is None:
        return None
    from scipy import stats  # on first use: importing scipy costs the command's start

    half = float(stats.t.ppf(0.975, summary.n - 1)) * summary.sd / math.sqrt(summary.n)
    return summary.mean - half, summary.mean + half


def welch_interval(high: Summary, low: Summary) -> tuple[float, float] | None:
    """The Welch 95 % interval of high's mean minus low's, with Welch–Satterthwaite
    degrees of freedom; the single point of the difference where both sds are 0; None
    unless both have n >= 2."""
    if high.n < 2 or low.n < 2 or high.mean is None or low.mean is None:
        return None
    if high.sd is None or low.sd is None:
        return None
    difference = high.mean - low.mean
    a, b = high.sd**2 / high.n, low.sd**2 / low.n
    if a + b == 0:
        return difference, difference
    from scipy import stats

    df = (a + b) ** 2 / (a * a / (high.n - 1) + b * b / (low.n - 1))
    half = float(stats.t.ppf(0.975, df)) * math.sqrt(a + b)
    return difference - half, difference + half


def significant(groups: Sequence[Summary]) -> bool:
    """Rule 14: whether the Welch interval of (highest − lowest group mean) excludes 0;
    `groups` in the order they appear in the answers, which breaks ties of means."""
    present = [(g.mean, g) for g in groups if g.mean is not None]
    if len(present) < 2:
        return False
    high = low = present[0]
    for pair in present[1:]:
        if pair[0] > high[0]:
            high = pair
        if pair[0] < low[0]:
            low = pair
    interval = welch_interval(high[1], low[1])
    return interval is not None and (interval[0] > 0 or interval[1] < 0)
