"""Peer benchmarks: where an organisation stands among comparable organisations, and which
peer groups may be shown without making any organisation identifiable.

The pool. Organisations that take part give one entry per closed assessment; per
organisation and pool only its newest entry counts, so every organisation counts once.
Assessments pool together when their questionnaires have the same id and the same
dimension ids (`pool_key`): their scores are on the same 0-100 scales.

Peer groups. All organisations of the pool; those of the same industry, of the same size
band, of the same country; of the same industry and size band. Reports use the most
specific of industry + size -> industry -> all that may be shown.

Anonymity. A group is shown only if it has at least k organisations (k = 5 unless
configured, never below 3). Two groups whose organisations differ by fewer than k (the
size of their symmetric difference) are never both shown, or subtracting one group's
figures from the other's would describe those few: the broader group is kept. Groups of
exactly the same organisations differ by none and show the same figures, so both may be
shown. This is
decided once per pool, the same for every viewer, so no two viewers see two such groups
either.

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

import hashlib
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from assess import K_MINIMUM

K_DEFAULT = 5
EXACT_LIMIT = 1001  # groups up to this size keep every score
GRID = np.linspace(0.0, 1.0, EXACT_LIMIT)  # the quantiles larger groups keep
OVERALL = "overall"
CONFIDENCE = 0.95

FloatArray = npt.NDArray[np.float64]


class GroupKind(StrEnum):
    """Kinds of peer groups, broadest first: the order in which groups are admitted."""

    all = "all"
    industry = "industry"
    size = "size"
    country = "country"
    industry_size = "industry_size"


# The organisation attributes (profile questions) whose values define each kind of group,
# in the order of a group's values.
ATTRIBUTES: dict[GroupKind, tuple[str, ...]] = {
    GroupKind.all: (),
    GroupKind.industry: ("industry",),
    GroupKind.size: ("size",),
    GroupKind.country: ("country",),
    GroupKind.industry_size: ("industry", "size"),
}

# The groups a report falls back through, most specific first.
FALLBACK = (GroupKind.industry_size, GroupKind.industry, GroupKind.all)


def pool_key(questionnaire_id: str, dimension_ids: Iterable[str], *, demo: bool = False) -> str:
    """The pool of a questionnaire: its id and its set of dimension ids; demo organisations
    have a pool of their own, so synthetic scores never count among real ones."""
    text = questionnaire_id + "\n" + "\n".join(sorted(dimension_ids))
    return hashlib.sha256((text + "\ndemo" if demo else text).encode()).hexdigest()[:32]


def score_ids(dimension_ids: Iterable[str]) -> list[str]:
    """The scores a pool keeps per organisation, in their stored order."""
    return [OVERALL, *sorted(dimension_ids)]


@dataclass(frozen=True, order=True)
class Group:
    """A peer group: its kind and the attribute values that define it (none for all;
    industry and size band for industry_size)."""

    kind: GroupKind
    values: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """How the group is named to readers of the API: "all", "industry: retail"."""
        if self.kind == GroupKind.all:
            return "all"
        return f"{self.kind.value}: {' / '.join(self.values)}"


@dataclass(frozen=True)
class Attributes:
    """What peer groups are formed by; None where the organisation did not say."""

    industry: str | None = None
    size: str | None = None
    country: str | None = None

    def groups(self) -> list[Group]:
        """The groups an organisation with these attributes belongs to, broadest first."""
        groups = [Group(GroupKind.all)]
        if self.industry:
            groups.append(Group(GroupKind.industry, (self.industry,)))
        if self.size:
            groups.append(Group(GroupKind.size, (self.size,)))
        if self.country:
            groups.append(Group(GroupKind.country, (self.country,)))
        if self.industry and self.size:
            groups.append(Group(GroupKind.industry_size, (self.industry, self.size)))
        return groups


@dataclass(frozen=True)
class Cell:
    """How many organisations of a pool share one combination of attributes."""

    attributes: Attributes
    organisations: int


@dataclass(frozen=True)
class Verdict:
    """Whether a group may be shown; if not, why: fewer than k organisations, or (`near`)
    too few organisations apart from a group that is shown."""

    shown: bool
    organisations: int
    near: Group | None = None

    def reason(self, k: int) -> str | None:
        """Why the group is not shown, in words that reveal no count."""
        if self.shown:
            return None
        if self.near is None:
            return f"fewer than {k} organisations"
        return f"differs from the group '{self.near.label}' by fewer than {k} organisations"


def verdicts(cells: Sequence[Cell], k: int = K_DEFAULT) -> dict[Group, Verdict]:
    """The verdict on every group the cells form: at least k organisations, and none or
    at least k organisations apart from every group admitted before it (broadest first;
    groups of a kind by size, largest first)."""
    k = max(k, K_MINIMUM)
    of_cell = [cell.attributes.groups() for cell in cells]
    groups = sorted({g for cell_groups in of_cell for g in cell_groups})
    index = {g: i for i, g in enumerate(groups)}
    counts = np.array([cell.organisations for cell in cells], dtype=np.int64)
    member = np.zeros((len(groups), len(cells)), dtype=np.int64)
    for c, cell_groups in enumerate(of_cell):
        member[[index[g] for g in cell_groups], c] = 1
    sizes = member @ counts
    shared = (member * counts) @ member.T
    order = sorted(
        range(len(groups)),
        key=lambda i: (list(GroupKind).index(groups[i].kind), -sizes[i], groups[i].values),
    )
    result: dict[Group, Verdict] = {}
    admitted: list[int] = []
    for i in order:
        size = int(sizes[i])
        if size < k:
            result[groups[i]] = Verdict(False, size)
            continue
        # Identical sets show identical figures and tell nothing new: only 0 < d < k leaks.
        close = [j for j in admitted if 0 < sizes[i] + sizes[j] - 2 * shared[i, j] < k]
        if close:
            result[groups[i]] = Verdict(False, size, groups[close[0]])
            continue
        admitted.append(i)
        result[groups[i]] = Verdict(True, size)
    return result


@dataclass(frozen=True)
class Distribution:
    """One score's distribution in one peer group: every score of its n organisations,
    sorted, or (above EXACT_LIMIT) the quantiles at GRID."""

    n: int
    points: FloatArray

    @property
    def exact(self) -> bool:
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


def scores_of(result: Mapping[str, object], ids: Sequence[str]) -> FloatArray:
    """An assessment's scores in a pool's order (NaN where a level has no score), from
    its result as the scoring engine reports it."""
    dimensions = result.get("dimensions")
    overall = result.get("overall")
    values: list[float] = []
    for score_id in ids:
        if score_id == OVERALL:
            entry = overall if isinstance(overall, Mapping) else {}
        else:
            entry = dimensions.get(score_id, {}) if isinstance(dimensions, Mapping) else {}
        value = entry.get("score") if isinstance(entry, Mapping) else None
        values.append(math.nan if value is None else float(value))
    return np.array(values, dtype=np.float64)
