"""Descriptive figures for a list of scores, summed exactly (math.fsum)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True)
class Summary:
    """n, mean, sample standard deviation (None below n = 2), min and max."""

    n: int
    mean: float | None
    sd: float | None
    min: float | None
    max: float | None


def summarize(values: Sequence[float] | npt.NDArray[np.float64]) -> Summary:
    """Summary of `values`; an empty sequence gives n = 0 and no figures."""
    array = np.asarray(values, dtype=np.float64)
    n = len(array)
    if n == 0:
        return Summary(0, None, None, None, None)
    mean = math.fsum(array.tolist()) / n
    low, high = float(array.min()), float(array.max())
    if n == 1:
        return Summary(1, mean, None, low, high)
    deviations = array - mean
    # numpy's own (pairwise) sum, not a BLAS dot product: the same on every machine,
    # where BLAS sums in as many parts as it starts threads, and waits for them.
    sd = math.sqrt(float(np.add.reduce(deviations * deviations)) / (n - 1))
    return Summary(n, mean, sd, low, high)


def weighted_mean(pairs: Sequence[tuple[float, float]]) -> float | None:
    """sum(w * x) / sum(w) over (weight, value) pairs; None when there are none."""
    total = math.fsum(w for w, _ in pairs)
    if not pairs or total <= 0:
        return None
    return math.fsum(w * x for w, x in pairs) / total
