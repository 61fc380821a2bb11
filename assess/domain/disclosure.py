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

`isolates` decides the rule exactly. All vectors the sets span are constant on the
atoms of the partition the sets make (respondents in the same sets), so a vector's
support is a union of atoms; a support below k is made of atoms smaller than k. The
vectors that vanish on every atom of k or more form a subspace U; the rule fails when U
holds a vector whose atoms add up to fewer than k, which a search over those few small
atoms settles (beyond a bound of work it assumes the worst and refuses).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from assess import K_MINIMUM

BoolMatrix = npt.NDArray[np.bool_]
# A set of respondents by what they answered: () is everyone counted, ((q, v),) the
# group q=v, ((q, v), (r, w)) a cell of two questions (q before r in the decision's order).
Selector = tuple[tuple[str, str], ...]
# The same projection for every decision, so every caller gets the same verdicts.
PROJECTION_SEED = 20261206


def few(k: int) -> str:
    """The reason for hiding a group of fewer than k respondents."""
    return f"fewer than {k} respondents"


def worked_out(k: int) -> str:
    """The reason for hiding a group that would let fewer than k be worked out."""
    return f"shown, it would let figures of fewer than {k} respondents be worked out"


def isolates(sets: BoolMatrix, k: int) -> bool:
    """Whether the rows of `sets` (sets x respondents) span a vector that is non-zero for
    between 1 and k - 1 respondents. Never False when they do; True also where the small
    atoms are too many to search (search_bound), which hides rather than guesses."""
    if sets.shape[0] == 0 or k <= 1:
        return False
    atoms, sizes = _atoms(sets)
    basis = atoms.T.astype(np.float64)  # sets x atoms
    small = sizes < k
    if not small.any():
        return False
    big = ~small
    combos = _kernel(basis[:, big].T) if big.any() else np.eye(basis.shape[0])
    if combos.shape[1] == 0:
        return False
    within = combos.T @ basis[:, small]  # spans U, on the small atoms
    scale = max(1.0, float(np.abs(within).max(initial=0.0)))
    reached = np.abs(within).max(axis=0, initial=0.0) > 1e-9 * scale
    if not reached.any():
        return False
    if int(reached.sum()) > search_bound(k):
        return True
    span = _row_basis(within[:, reached])  # an orthonormal basis of U, on its atoms
    rank = span.shape[0]
    if rank == 0:
        return False
    if rank == span.shape[1]:
        return True  # U holds every one of those atoms on its own
    # A vector of U lies on atoms T exactly when the columns T of a basis of U's
    # complement are dependent. k - 1 random vectors of the complement keep every
    # independent set of up to k - 1 of its columns independent, and every dependent
    # one so; drawn with a fixed seed, every caller gets the same verdicts.
    draws = np.random.default_rng(PROJECTION_SEED).standard_normal((k - 1, span.shape[1]))
    complement = draws - (draws @ span.T) @ span
    return _dependent(complement, sizes[small][reached], k)


def _kernel(matrix: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """An orthonormal basis (as columns) of the vectors c with matrix @ c = 0: the
    eigenvectors of the small Gram matrix with eigenvalue 0, far quicker than an SVD of
    the tall matrix (its entries are 0 and 1, its columns a few hundred at most)."""
    values, vectors = np.linalg.eigh(matrix.T @ matrix)
    tolerance = 1e-9 * max(1.0, float(values.max(initial=0.0)))
    return vectors[:, values <= tolerance]


def _row_basis(matrix: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """An orthonormal basis (as rows) of the row space of a wide matrix, through the
    eigenvectors of its small Gram matrix."""
    values, vectors = np.linalg.eigh(matrix @ matrix.T)
    tolerance = 1e-9 * max(1.0, float(values.max(initial=0.0)))
    kept = values > tolerance
    basis: npt.NDArray[np.float64] = (vectors[:, kept].T @ matrix) / np.sqrt(values[kept])[:, None]
    return basis


def _atoms(sets: BoolMatrix) -> tuple[BoolMatrix, npt.NDArray[np.int64]]:
    """The distinct columns of `sets` (respondents in exactly the same sets) and how many
    respondents each holds; rows of packed bits sort far faster than rows of booleans."""
    packed = np.packbits(sets.T, axis=1)
    rows = np.ascontiguousarray(packed).view(np.dtype((np.void, packed.shape[1])))[:, 0]
    _, first, sizes = np.unique(rows, return_index=True, return_counts=True)
    return sets.T[first], sizes


def _dependent(columns: npt.NDArray[np.float64], weights: npt.NDArray[np.int64], k: int) -> bool:
    """Whether some columns weighing fewer than k together are linearly dependent."""
    norms = np.linalg.norm(columns, axis=0)
    if (norms < 1e-9).any():
        return True
    return _closes(columns / norms, weights, k - 1, [], 0)


def _closes(
    unit: npt.NDArray[np.float64],
    weights: npt.NDArray[np.int64],
    budget: int,
    basis: list[npt.NDArray[np.float64]],
    start: int,
) -> bool:
    """Whether a column from `start` on, weighing at most `budget`, lies in the span of
    the columns taken so far (orthonormal `basis`), or closes such a set with further
    columns taken in index order."""
    later = unit[:, start:]
    if later.shape[1] == 0:
        return False
    residual = later.copy()
    for direction in basis:
        residual -= np.outer(direction, direction @ later)
    size = np.linalg.norm(residual, axis=0)
    fits = weights[start:] <= budget
    if basis and bool(((size < 1e-6) & fits).any()):
        return True
    for offset in np.flatnonzero(fits):
        rest = budget - int(weights[start + offset])
        if rest < 1:
            continue  # nothing more fits beside it
        direction = residual[:, offset] / size[offset]
        if _closes(unit, weights, rest, [*basis, direction], start + int(offset) + 1):
            return True
    return False


def search_bound(k: int) -> int:
    """The most small atoms the exact search takes on for this k: sets of up to k - 2 of
    them are walked, a few thousand at most."""
    n = k
    while n < 400 and sum(math.comb(n + 1, j) for j in range(1, k - 1)) <= 4_000:
        n += 1
    return n


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
