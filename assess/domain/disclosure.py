"""Which figures of an anonymous study may be shown, so that none describes, or lets anyone
work out, fewer than k respondents (k = 5 unless configured, never below 3).

A study's figures are those of the whole study, of each group of one profile question
(`group_by`), of each group as a filter (`filter=question:value`), and of the groups of one
question within the group of another (a filter and a group-by). The verdicts on groups are
decided once per study state, the same for every caller and request, so no two requests
show figures that together describe fewer than k:

1. A group of fewer than k respondents is hidden, and so is the whole study below k.
2. Two groups (the whole study counts as one) whose respondents differ by fewer than k
   (the size of their symmetric difference) are never both shown, or subtracting one's
   figures from the other's would describe those few; groups are admitted broadest first.
3. Per question, the respondents outside the shown groups (no answer, or in a hidden
   group) are none or at least k, or subtracting the shown groups from the whole study
   would describe them: the smallest shown groups are hidden too until they are.
4. A filter and a group-by on two questions are combined only when every cell of the
   two questions' cross-table (with "no answer" as a row and a column) holds none or at
   least k respondents and every group of both questions is shown; then every figure any
   such request shows is a sum of cells that each hold none or at least k.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from assess.domain.benchmarking import K_MINIMUM

IntArray = npt.NDArray[np.int64]


def few(k: int) -> str:
    """The reason for hiding a group of fewer than k respondents."""
    return f"fewer than {k} respondents"


def worked_out(k: int) -> str:
    """The reason for hiding a group that would let fewer than k be worked out."""
    return f"shown, it would let figures of fewer than {k} respondents be worked out"


@dataclass(frozen=True)
class Coded:
    """One question's answers as integer codes: 0 is no answer, i is values[i - 1]."""

    values: list[str]
    codes: IntArray

    def count(self, value: str) -> int:
        """Respondents who gave `value`."""
        if value not in self.values:
            return 0
        return int(np.count_nonzero(self.codes == self.values.index(value) + 1))


def _code(keys: Sequence[str | None]) -> Coded:
    values = sorted({key for key in keys if key is not None})
    index = {value: i + 1 for i, value in enumerate(values)}
    codes = np.array([0 if key is None else index[key] for key in keys], dtype=np.int64)
    return Coded(values, codes)


def _cross(a: Coded, b: Coded) -> IntArray:
    """The cross-table of two questions: counts by (code of a, code of b)."""
    width = len(b.values) + 1
    flat = np.bincount(a.codes * width + b.codes, minlength=(len(a.values) + 1) * width)
    return flat.reshape(len(a.values) + 1, width)


@dataclass
class Disclosure:
    """The verdicts on a study's groups, decided once for its current responses."""

    k: int
    total: int
    coded: dict[str, Coded]
    hidden: dict[tuple[str, str], str] = field(default_factory=dict)

    @property
    def study_shown(self) -> bool:
        """Whether the whole study may be shown (at least k respondents)."""
        return self.total >= self.k

    def reason(self, question: str, value: str) -> str | None:
        """Why the group `question`=`value` is hidden; None when it may be shown."""
        if not self.study_shown:
            return few(self.k)
        coded = self.coded[question]
        if value not in coded.values:
            return few(self.k)  # the same words as for 1..k-1: nobody learns it is empty
        return self.hidden.get((question, value))

    def reason_within(
        self, question: str, value: str, within: tuple[str, str] | None
    ) -> str | None:
        """Why the group `question`=`value` is hidden in the result of the filter `within`
        (question, value); None when it is shown. Call it once crossing_refused passed."""
        if within is None:
            return self.reason(question, value)
        filtered, kept = within
        if question == filtered:
            return None if value == kept else few(self.k)
        a, b = self.coded[filtered], self.coded[question]
        if value not in b.values:
            return few(self.k)
        cell = _cross(a, b)[a.values.index(kept) + 1, b.values.index(value) + 1]
        # Rule 4 holds: a cell that is not empty holds at least k.
        return None if cell >= self.k else few(self.k)

    def crossing_refused(self, filtered: str, grouped: str) -> str | None:
        """Why a filter on `filtered` may not be combined with grouping by `grouped`;
        None when every figure of such requests is safe (rule 4)."""
        if filtered == grouped:
            return None
        a, b = self.coded[filtered], self.coded[grouped]
        table = _cross(a, b)
        cells_ok = bool(np.all((table == 0) | (table >= self.k)))
        groups_ok = not any(q in (filtered, grouped) for q, _ in self.hidden)
        if cells_ok and groups_ok:
            return None
        return (
            f"grouping by '{grouped}' within a filter on '{filtered}' would let figures of "
            f"fewer than {self.k} respondents be worked out; group by '{grouped}' without "
            f"that filter, or filter without grouping by '{grouped}'"
        )


def disclose(keys: Mapping[str, Sequence[str | None]], total: int, k: int) -> Disclosure:
    """The verdicts (rules 1 to 3) on the groups of every question in `keys`: per question,
    each respondent's answer as a group name (None for no answer), in one order."""
    k = max(k, K_MINIMUM)
    coded = {question: _code(answers) for question, answers in keys.items()}
    result = Disclosure(k, total, coded)
    if total < k:
        return result
    groups = [(q, v) for q, c in coded.items() for v in c.values]
    sizes = {(q, v): coded[q].count(v) for q, v in groups}
    crosses = {(a, b): _cross(coded[a], coded[b]) for a in coded for b in coded if a < b}

    def shared(g: tuple[str, str], h: tuple[str, str]) -> int:
        (a, v), (b, w) = sorted((g, h))
        if a == b:
            return sizes[g] if v == w else 0
        return int(crosses[(a, b)][coded[a].values.index(v) + 1, coded[b].values.index(w) + 1])

    admitted: list[tuple[str, str]] = []
    order = sorted(groups, key=lambda g: (-sizes[g], list(coded).index(g[0]), g[1]))
    for group in order:
        size = sizes[group]
        apart_from_all = total - size
        if size < k:
            result.hidden[group] = few(k)
        elif 0 < apart_from_all < k or any(
            0 < size + sizes[other] - 2 * shared(group, other) < k for other in admitted
        ):
            result.hidden[group] = worked_out(k)
        else:
            admitted.append(group)
    for question, answers in coded.items():
        shown = sorted(
            (sizes[(question, v)], v) for v in answers.values if (question, v) not in result.hidden
        )
        outside = total - sum(size for size, _ in shown)
        while 0 < outside < k and shown:
            size, value = shown.pop(0)
            result.hidden[(question, value)] = worked_out(k)
            outside += size
    return result
