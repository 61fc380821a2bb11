"""Whether sets of respondents, their figures shown together, let anyone work out the
figures of fewer than k respondents (the rule of `disclosure`).

`isolates` decides the rule exactly. All vectors the sets span are constant on the
atoms of the partition the sets make (respondents in the same sets), so a vector's
support is a union of atoms; a support below k is made of atoms smaller than k. The
vectors that vanish on every atom of k or more form a subspace U; the rule fails when U
holds a vector whose atoms add up to fewer than k, which a search over those few small
atoms settles (beyond a bound of work it assumes the worst and refuses).
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

BoolMatrix = npt.NDArray[np.bool_]
# The same projection for every decision, so every caller gets the same verdicts.
PROJECTION_SEED = 20261206


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
