"""A differencing attacker, written apart from the service's rule: it keeps the sets of
respondents whose figures (counts and sums) it saw, and finds the smallest group whose
figures any linear combination of them gives, by brute force over respondents."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

import numpy as np


class Attacker:
    """Everything one viewer saw: each figure as the set of respondents it sums over."""

    def __init__(self) -> None:
        self.seen: list[frozenset[str]] = []

    def saw(self, respondents: Iterable[str]) -> None:
        """A figure over these respondents was shown."""
        group = frozenset(respondents)
        if group and group not in self.seen:
            self.seen.append(group)

    def isolated(self, k: int) -> frozenset[str] | None:
        """A set of 1 to k - 1 respondents whose figures some linear combination of what
        was seen gives (pairwise differences included); None if there is none."""
        people = sorted(set().union(*self.seen)) if self.seen else []
        if not people:
            return None
        index = {p: i for i, p in enumerate(people)}
        matrix = np.zeros((len(self.seen), len(people)))
        for row, group in enumerate(self.seen):
            matrix[row, [index[p] for p in group]] = 1.0
        rank = np.linalg.matrix_rank(matrix)
        for size in range(1, k):
            for chosen in itertools.combinations(range(len(people)), size):
                # Some combination is non-zero only on `chosen` exactly when dropping
                # those columns lowers the rank.
                if np.linalg.matrix_rank(np.delete(matrix, chosen, axis=1)) < rank:
                    return frozenset(people[i] for i in chosen)
        return None
