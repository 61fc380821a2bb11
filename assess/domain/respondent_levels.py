"""What a closed assessment keeps of its respondents for research across organisations:
each respondent's level scores (rule 2, with coverage; lead items lent by rule 6), for
ICC, and per level the moments of the complete respondents' item scores, for Cronbach's
alpha over a whole pool.

Alpha over a pool is that of `itemstats` over all the pool's respondents at once: the
organisations' co-moment matrices of the level's items in alpha (those not asked of the
lead), over the respondents who gave each of them a score (listwise deletion), are
pooled exactly (each organisation's matrix plus n times the outer product of its mean's
deviation from the pooled mean), then alpha is raw or standardised as the level's
formats decide (`itemstats.standardised`). An item or sum varies where its summed
squared deviations exceed n * TOLERANCE^2 (values within TOLERANCE of their mean), since
pooled moments keep no ranges.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from assess.domain.answers import Response, chunks_of
from assess.domain.itemstats import in_alpha, standardised
from assess.domain.questionnaire import Dimension, Questionnaire
from assess.domain.reliability import Moments, consistency
from assess.domain.scoring import TOLERANCE, table_from_chunks


@dataclass(frozen=True)
class LevelMoments:
    """The complete respondents of one level: how many, their item means and the
    co-moment matrix of their item scores (items in alpha, in questionnaire order)."""

    n: int
    mean: tuple[float, ...]
    comoment: tuple[tuple[float, ...], ...]


@dataclass(frozen=True)
class RespondentLevels:
    """Per level id, each respondent's score (those without one left out), and the
    moments alpha pools."""

    scores: dict[str, list[float]]
    moments: dict[str, LevelMoments]


@dataclass(frozen=True)
class PooledAlpha:
    """Cronbach's alpha of a level over a pool (None where undefined), whether on
    z-scores, and the listwise n behind it."""

    alpha: float | None
    standardised: bool
    n: int


def respondent_levels(
    questionnaire: Questionnaire, responses: Iterable[Response]
) -> RespondentLevels:
    """The level scores and item moments of one organisation's responses."""
    table = table_from_chunks(questionnaire, chunks_of(responses, questionnaire), keep_items=True)
    assert table.items is not None  # kept on request
    scores: dict[str, list[float]] = {}
    moments: dict[str, LevelMoments] = {}
    start = 0
    for position, dimension in enumerate(questionnaire.dimensions):
        column = table.dimensions[:, position]
        scores[dimension.id] = [float(x) for x in column[~np.isnan(column)]]
        columns = [start + j for j in in_alpha(dimension)]
        block = table.items[:, columns]
        complete = Moments(len(columns))
        complete.add(block[~np.isnan(block).any(axis=1)])
        moments[dimension.id] = LevelMoments(
            complete.n,
            tuple(float(x) for x in complete.mean),
            tuple(tuple(float(x) for x in row) for row in complete.comoment),
        )
        start += len(dimension.items)
    return RespondentLevels(scores, moments)


def pooled_alpha(dimension: Dimension, parts: Sequence[LevelMoments]) -> PooledAlpha:
    """Alpha of a level over the complete respondents of several organisations."""
    mixed = standardised(dimension)
    items = len(in_alpha(dimension))
    kept = [p for p in parts if p.n > 0 and len(p.mean) == items]
    n = sum(p.n for p in kept)
    if n < 2 or items == 0:
        return PooledAlpha(None, mixed, n)
    sizes = np.array([p.n for p in kept], dtype=np.float64)
    means = np.array([p.mean for p in kept], dtype=np.float64).reshape(len(kept), items)
    grand = (sizes @ means) / n
    deviations = means - grand
    comoment = np.sum([np.array(p.comoment) for p in kept], axis=0).reshape(items, items)
    comoment = comoment + (deviations * sizes[:, np.newaxis]).T @ deviations
    found = consistency(comoment, n, _varies(comoment, n), standardised=mixed)
    return PooledAlpha(found.alpha, mixed, n)


def _varies(comoment: np.ndarray, n: int) -> np.ndarray:
    """The 2k + 1 flags `consistency` takes, from squared deviations: each item, the sum
    of all, the sum without each."""
    items = comoment.shape[0]
    floor = n * TOLERANCE * TOLERANCE
    total = float(comoment.sum())
    flags = [float(comoment[j, j]) > floor for j in range(items)]
    flags.append(total > floor)
    for j in range(items):
        without = total - 2 * float(comoment[j].sum()) + float(comoment[j, j])
        flags.append(math.isfinite(without) and without > floor)
    return np.array(flags, dtype=bool)
