"""Peer figures: one score's distribution in one peer group, and where an organisation
stands in it (the groups themselves, and which may be shown: see `benchmarking`).

Figures, per group and score (overall and each dimension):
- n: organisations with that score; median and quartiles (linear interpolation between
  order statistics, numpy's default);
- the organisation's percentile rank: the share of the group's organisations scoring
  below it, ties counted half (scipy's `percentileofscore(kind="mean")`);
- a 95 % interval for the peer median: distribution-free, from order statistics (the
  l-th and (n-l+1)-th smallest scores, l the largest rank with P(Binomial(n, 1/2) < l)
  <= 2.5 %); with fewer than six organisations no such pair exists and it is the range.
Groups of up to 1,001 organisations keep every score; larger ones keep 1,001 quantiles
(every tenth of a percent), from which median and quartiles are exact and percentile
ranks and intervals are interpolated (to within a tenth of a percentile point).

The organisation's own scores and their intervals: see `comparison`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

EXACT_LIMIT = 1001  # groups up to this size keep every score
GRID = np.linspace(0.0, 1.0, EXACT_LIMIT)  # the quantiles larger groups keep
CONFIDENCE = 0.95

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Distribution:
    """One score's distribution in one peer group: every score of its n organisations,
    sorted, or (above EXACT_LIMIT) the quantiles at GRID."""

    n: int
    points: FloatArray

    @property
    def exact(self) -> bool:
        """Whether every score is kept, not only the quantiles."""
        return len(self.points) == self.n

    def quantile(self, p: float) -> float:
        """The p-quantile: linear interpolation between order statistics (numpy's
        default), or between the kept quantiles, which sit evenly at GRID."""
        last = len(self.points) - 1
        position = p * last
        low = int(position)
        high = min(low + 1, last)
        below, above = float(self.points[low]), float(self.points[high])
        return below + (above - below) * (position - low)

    def at_rank(self, rank: int) -> float:
        """The rank-th smallest score (1-based)."""
        if self.exact:
            return float(self.points[rank - 1])
        return self.quantile((rank - 1) / (self.n - 1) if self.n > 1 else 0.0)

    def percentile_rank(self, score: float) -> float:
        """Share of the organisations scoring below `score`, ties counted half, in %."""
        points = self.points
        below = int(np.searchsorted(points, score, "left"))
        up_to = int(np.searchsorted(points, score, "right"))
        if self.exact:
            return 100.0 * (below + up_to) / (2 * self.n)
        last = len(points) - 1
        if up_to > below:  # `score` is one of the kept quantiles
            return 100.0 * (below + up_to - 1) / (2 * last)
        if below == 0:
            return 0.0
        if below > last:
            return 100.0
        low, high = float(points[below - 1]), float(points[below])
        return 100.0 * (below - 1 + (score - low) / (high - low)) / last

    def median_interval(self) -> tuple[float, float]:
        """A distribution-free 95 % interval for the median (see the module's text)."""
        low_rank = max(_order_rank(self.n), 1)
        return self.at_rank(low_rank), self.at_rank(self.n - low_rank + 1)


def distribution(values: Sequence[float] | FloatArray) -> Distribution:
    """The distribution of a group's scores (missing ones, NaN, left out)."""
    array = np.sort(np.asarray(values, dtype=np.float64))
    array = array[~np.isnan(array)]
    n = len(array)
    if n <= EXACT_LIMIT:
        return Distribution(n, array)
    return Distribution(n, np.quantile(array, GRID))


@lru_cache(maxsize=4096)
def _order_rank(n: int) -> int:
    """The largest l with P(Binomial(n, 1/2) <= l - 1) <= (1 - CONFIDENCE) / 2."""
    from scipy.stats import binom

    return int(binom.ppf((1 - CONFIDENCE) / 2, n, 0.5))


@dataclass(frozen=True)
class PeerFigures:
    """One score in one peer group, and where the organisation stands in it."""

    n: int
    median: float
    q1: float
    q3: float
    median_interval: tuple[float, float]
    score: float | None
    percentile: float | None

    def to_dict(self) -> dict[str, object]:
        """The figures as plain JSON values."""
        return {
            "n": self.n,
            "median": self.median,
            "q1": self.q1,
            "q3": self.q3,
            "median_interval": list(self.median_interval),
            "score": self.score,
            "percentile": self.percentile,
        }


def peer_figures(group: Distribution, score: float | None) -> PeerFigures | None:
    """Median, quartiles and interval of the group, and the percentile rank of `score`;
    None for a group without this score."""
    if group.n == 0:
        return None
    return PeerFigures(
        group.n,
        group.quantile(0.5),
        group.quantile(0.25),
        group.quantile(0.75),
        group.median_interval(),
        score,
        None if score is None else group.percentile_rank(score),
    )
