"""Cronbach's alpha, alpha if deleted and the corrected item-total r of one dimension,
from the co-moments of its complete respondents' item scores.

Raw alpha works on the item scores' covariance matrix S (co-moments divided by n - 1):
alpha = k / (k - 1) * (1 - trace(S) / sum(S)), where trace(S) is the sum of the item
variances and sum(S) the variance of the respondents' sums.

Standardised alpha works on the same formula with the correlation matrix R in place of
S: that is alpha of the z-scored items (each item's score minus its mean over the complete
respondents, divided by its sd there), whose covariances are the correlations. It equals
k * r / (1 + (k - 1) * r) with r the mean correlation between two different items,
because sum(R) = k + k * (k - 1) * r and trace(R) = k. An item whose scores do not vary
has no z-score: every figure that includes it is undefined.

Alpha if deleted is the same alpha over the matrix without the item's row and column; the
corrected item-total r is the covariance of the item with the sum of the other items
(its row's sum without the diagonal) divided by the product of their spreads.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from assess.domain.scoring import TOLERANCE, Matrix

Flags = npt.NDArray[np.bool_]

MIN_CORRELATION_N = 3  # with two respondents every correlation is +1 or -1
# z-scored sums whose variance is this small do not vary: the items cancel each other out.
STANDARDISED_TOLERANCE = 1e-9


class Moments:
    """Count, means and co-moment matrix of rows of k values, with each column's range
    and, per column j, the range of the row sum without j (and of the whole row sum)."""

    def __init__(self, k: int) -> None:
        self.n = 0
        self.mean = np.zeros(k)
        self.comoment = np.zeros((k, k))
        self.low = np.full(k + 1 + k, np.inf)  # columns, row sum, row sum without each
        self.high = np.full(k + 1 + k, -np.inf)

    def add(self, rows: Matrix) -> None:
        """Add rows (all values present)."""
        m = rows.shape[0]
        if m == 0:
            return
        mean = rows.mean(axis=0)
        centred = rows - mean
        comoment = centred.T @ centred
        total = self.n + m
        delta = mean - self.mean
        self.comoment = self.comoment + comoment + np.outer(delta, delta) * (self.n * m / total)
        self.mean = self.mean + delta * (m / total)
        self.n = total
        sums = rows.sum(axis=1)
        spans = np.hstack([rows, sums[:, np.newaxis], sums[:, np.newaxis] - rows])
        self.low = np.minimum(self.low, spans.min(axis=0))
        self.high = np.maximum(self.high, spans.max(axis=0))

    def varies(self) -> Flags:
        """Per column, the row sum and the row sum without each column: whether it varies."""
        return np.asarray((self.high - self.low) > TOLERANCE)


@dataclass(frozen=True)
class Consistency:
    """Alpha of a dimension's items, and per item its corrected item-total r and the alpha
    of the others; None where undefined."""

    alpha: float | None
    item_total_r: list[float | None]
    alpha_if_deleted: list[float | None]


def consistency(comoment: Matrix, n: int, varies: Flags, *, standardised: bool) -> Consistency:
    """The figures of k items from their co-moment matrix over n complete respondents.

    `varies` holds 2k + 1 flags, whether each varies among the complete respondents: the
    k items, the sum of all k, and the sum without each item. Raw figures trust them for
    every sum; standardised ones need the items only (a z-scored sum is checked by its
    variance)."""
    k = comoment.shape[0]
    if n < 2 or k == 0:
        return Consistency(None, [None] * k, [None] * k)
    if standardised:
        spread = np.sqrt(np.clip(np.diag(comoment), 0.0, None))
        usable = varies[:k]
        matrix = np.full((k, k), np.nan)
        both = np.outer(usable, usable)
        matrix[both] = comoment[both] / np.outer(spread, spread)[both]
        total_varies = _varies(matrix)
        rest_varies = [_varies(_without(matrix, j)) for j in range(k)]
    else:
        matrix = comoment / (n - 1)
        total_varies = bool(varies[k])
        rest_varies = [bool(varies[k + 1 + j]) for j in range(k)]
    alpha = _alpha(matrix, total_varies)
    correlations: list[float | None] = []
    without: list[float | None] = []
    for j in range(k):
        rest = _without(matrix, j)
        without.append(_alpha(rest, rest_varies[j]))
        r = None
        if n >= MIN_CORRELATION_N and varies[j] and rest_varies[j]:
            covariance = float(matrix[j].sum() - matrix[j, j])
            value = covariance / math.sqrt(float(matrix[j, j]) * float(rest.sum()))
            r = min(1.0, max(-1.0, value)) if math.isfinite(value) else None
        correlations.append(r)
    return Consistency(alpha, correlations, without)


def _without(matrix: Matrix, j: int) -> Matrix:
    return np.delete(np.delete(matrix, j, axis=0), j, axis=1)


def _varies(matrix: Matrix) -> bool:
    """Whether the sum of z-scored items varies (NaN where an item has no z-score)."""
    return bool(matrix.sum() > STANDARDISED_TOLERANCE)


def _alpha(matrix: Matrix, varies: bool) -> float | None:
    """k / (k - 1) * (1 - trace / sum) of a covariance or correlation matrix."""
    k = matrix.shape[0]
    if k < 2 or not varies:
        return None
    value = k / (k - 1) * (1 - float(np.trace(matrix)) / float(matrix.sum()))
    return value if math.isfinite(value) else None
