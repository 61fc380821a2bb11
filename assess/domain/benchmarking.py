"""Peer benchmarks: where an organisation stands among comparable organisations, and which
peer groups may be shown without making any organisation identifiable.

The pool. Organisations that take part give one entry per closed assessment; per
organisation and pool only its newest entry counts, so every organisation counts once.
Assessments pool together when their questionnaire versions compute scores the same way
(`pooling.pool_key`): the same id, levels, items, weights, scales and option scores.

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

The figures shown of each group: see `peer_figures`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from assess import K_DEFAULT, K_MINIMUM

OVERALL = "overall"


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
        return list(_groups_of(self.industry, self.size, self.country))


# Kept: a change of the pool asks for the groups of each of its cells (hundreds), and a
# pool has few combinations of attributes.
@lru_cache(maxsize=8192)
def _groups_of(industry: str | None, size: str | None, country: str | None) -> tuple[Group, ...]:
    groups = [Group(GroupKind.all)]
    if industry:
        groups.append(Group(GroupKind.industry, (industry,)))
    if size:
        groups.append(Group(GroupKind.size, (size,)))
    if country:
        groups.append(Group(GroupKind.country, (country,)))
    if industry and size:
        groups.append(Group(GroupKind.industry_size, (industry, size)))
    return tuple(groups)


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
    # Each cell is in five groups at most: adding up the pairs it forms is a few
    # thousand additions, and takes none of the time a matrix product takes when BLAS's
    # threads wait for busy cores (tens of milliseconds, in every close of a pool).
    shared = [[0] * len(groups) for _ in groups]
    for cell, cell_groups in zip(cells, of_cell, strict=True):
        members = [index[g] for g in cell_groups]
        for i in members:
            row = shared[i]
            for j in members:
                row[j] += cell.organisations
    sizes = [shared[i][i] for i in range(len(groups))]
    order = sorted(
        range(len(groups)),
        key=lambda i: (list(GroupKind).index(groups[i].kind), -sizes[i], groups[i].values),
    )
    result: dict[Group, Verdict] = {}
    admitted: list[int] = []
    for i in order:
        size = sizes[i]
        if size < k:
            result[groups[i]] = Verdict(False, size)
            continue
        # Identical sets show identical figures and tell nothing new: only 0 < d < k leaks.
        close = [j for j in admitted if 0 < size + sizes[j] - 2 * shared[i][j] < k]
        if close:
            result[groups[i]] = Verdict(False, size, groups[close[0]])
            continue
        admitted.append(i)
        result[groups[i]] = Verdict(True, size)
    return result


def scores_of(result: Mapping[str, object], ids: Sequence[str]) -> npt.NDArray[np.float64]:
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
