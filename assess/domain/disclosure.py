"""Which figures of an assessment or a study may be shown, so that nothing the service
shows, alone or set against anything else it showed (at the same moment or earlier),
lets anyone work out the answers or scores of fewer than k respondents.

Every figure the service shows of a set of respondents (how many they are, a mean, a
standard deviation, how many gave each answer) is made of sums over that set. Whoever
has seen the figures of several sets can add and subtract them: with a group of 4 and the
same group less one person, 4·mean − 3·mean is that person's score. What they can work
out is exactly the linear combinations of the sets' indicator vectors, so the rule is:

    the sets whose figures may be shown, now and in every earlier release, span no
    vector other than 0 that is non-zero for fewer than k respondents.

A decision (`decide`) takes the sets of earlier releases as given and admits, one at a
time and always in the same order, the whole (all respondents counted), each group of a
profile question (broadest first) and the cells of each pair of questions (what a filter
on one question grouped by another shows), each only when the rule still holds with it.
The decision is made once per release, the same for every caller and every request.

The rule itself is decided by `isolation.isolates`.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from assess import K_MINIMUM
from assess.domain.isolation import BoolMatrix, isolates

# A set of respondents by what they answered: () is everyone counted, ((q, v),) the
# group q=v, ((q, v), (r, w)) a cell of two questions (q before r in the decision's order).
Selector = tuple[tuple[str, str], ...]


def few(k: int) -> str:
    """The reason for hiding a group of fewer than k respondents."""
    return f"fewer than {k} respondents"


def worked_out(k: int) -> str:
    """The reason for hiding a group that would let fewer than k be worked out."""
    return f"shown, it would let figures of fewer than {k} respondents be worked out"


@dataclass(frozen=True)
class Coded:
    """One question's answers: each respondent's group (None: no answer)."""

    keys: tuple[str | None, ...]

    @property
    def values(self) -> list[str]:
        """The answers given, sorted."""
        return sorted({key for key in self.keys if key is not None})

    def count(self, value: str) -> int:
        """Respondents who gave `value`."""
        return sum(key == value for key in self.keys)


@dataclass
class Disclosure:
    """What may be shown of one set of respondents (a release): the whole, which groups
    of which questions, and which pairs of questions may be crossed (a filter on one
    grouped by the other); and why anything else is hidden."""

    k: int
    total: int
    coded: dict[str, Coded]
    whole: bool = False
    hidden: dict[tuple[str, str], str] = field(default_factory=dict)
    crossings: set[frozenset[str]] = field(default_factory=set)

    @property
    def study_shown(self) -> bool:
        """Whether the figures of everyone counted may be shown."""
        return self.whole

    def reason(self, question: str, value: str) -> str | None:
        """Why the group `question`=`value` is hidden; None when it may be shown."""
        if not self.whole:
            return few(self.k)
        coded = self.coded.get(question)
        if coded is None or coded.count(value) == 0:
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
        cell = sum(
            a == kept and b == value
            for a, b in zip(self.coded[filtered].keys, self.coded[question].keys, strict=True)
        )
        # The crossing was admitted with every cell, each empty or of k or more (a cell
        # below k would isolate itself); erasures since may have left one below k.
        return None if cell >= self.k else few(self.k)

    def crossing_refused(self, filtered: str, grouped: str) -> str | None:
        """Why a filter on `filtered` may not be combined with grouping by `grouped`;
        None when it may."""
        if filtered == grouped or frozenset((filtered, grouped)) in self.crossings:
            return None
        return (
            f"grouping by '{grouped}' within a filter on '{filtered}' would let figures of "
            f"fewer than {self.k} respondents be worked out; group by '{grouped}' without "
            f"that filter, or filter without grouping by '{grouped}'"
        )

    def shown_groups(self) -> list[tuple[str, str]]:
        """Every group that may be shown, in the decision's order of questions."""
        if not self.whole:
            return []
        return [
            (q, v)
            for q, coded in self.coded.items()
            for v in coded.values
            if (q, v) not in self.hidden
        ]


def selected(selector: Selector, keys: Mapping[str, Sequence[str | None]], n: int) -> BoolMatrix:
    """Who of the `n` respondents (answering `keys`) a selector takes."""
    chosen = np.ones(n, dtype=bool)
    for question, value in selector:
        answers = keys.get(question)
        if answers is None:
            return np.zeros(n, dtype=bool)
        chosen &= np.asarray(answers, dtype=object) == value
    return chosen


def cells(coded: Mapping[str, Coded], first: str, second: str) -> list[Selector]:
    """The non-empty cells of two questions' cross-table, answers given to both."""
    pairs = zip(coded[first].keys, coded[second].keys, strict=True)
    found = sorted({(a, b) for a, b in pairs if a is not None and b is not None})
    return [((first, a), (second, b)) for a, b in found]


def decide(
    keys: Mapping[str, Sequence[str | None]],
    total: int,
    k: int,
    *,
    earlier: BoolMatrix | None = None,
) -> Disclosure:
    """What may be shown of `total` respondents answering `keys` (per question, each
    respondent's group in one order; questions in the order they are preferred), given
    the sets shown before (`earlier`: sets x respondents, those respondents first and
    anyone who is no longer counted after them)."""
    k = max(k, K_MINIMUM)
    coded = {q: Coded(tuple(answers)) for q, answers in keys.items()}
    result = Disclosure(k, total, coded)
    width = total if earlier is None else max(total, earlier.shape[1])
    family = np.zeros((0, width), dtype=bool) if earlier is None else earlier

    def padded(row: BoolMatrix) -> BoolMatrix:
        return np.concatenate([row, np.zeros(width - total, dtype=bool)])[None, :]

    def admit(rows: BoolMatrix) -> bool:
        nonlocal family
        trial = np.vstack([family, rows])
        if isolates(trial, k):
            return False
        family = trial
        return True

    if total < k or not admit(padded(np.ones(total, dtype=bool))):
        return result
    result.whole = True
    order = list(coded)
    groups = [(q, v) for q in order for v in coded[q].values]
    for question, value in sorted(groups, key=lambda g: (-coded[g[0]].count(g[1]), g)):
        if coded[question].count(value) < k:
            result.hidden[(question, value)] = few(k)
        elif not admit(padded(selected(((question, value),), keys, total))):
            result.hidden[(question, value)] = worked_out(k)
    for first, second in itertools.combinations(order, 2):
        rows = [selected(cell, keys, total) for cell in cells(coded, first, second)]
        if rows and admit(np.vstack([padded(row)[0] for row in rows])):
            result.crossings.add(frozenset((first, second)))
    return result


def disclose(keys: Mapping[str, Sequence[str | None]], total: int, k: int) -> Disclosure:
    """What may be shown of one set of respondents seen on its own (no earlier release)."""
    return decide(keys, total, k)


def shown_sets(verdicts: Disclosure, keys: Mapping[str, Sequence[str | None]]) -> BoolMatrix:
    """The sets whose figures a decision lets anyone see: the whole, its shown groups and
    the cells of its crossings (sets x its respondents)."""
    n = verdicts.total
    if not verdicts.whole:
        return np.zeros((0, n), dtype=bool)
    rows = [np.ones(n, dtype=bool)]
    rows += [selected(((q, v),), keys, n) for q, v in verdicts.shown_groups()]
    order = list(verdicts.coded)
    for first, second in itertools.combinations(order, 2):
        if frozenset((first, second)) in verdicts.crossings:
            rows += [selected(cell, keys, n) for cell in cells(verdicts.coded, first, second)]
    return np.vstack(rows)
