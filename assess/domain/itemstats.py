"""Item statistics of one questionnaire version: how each item behaves, and how consistently
the items of each dimension measure it together.

Every figure starts from the item scores exactly as the scoring engine computes them
(rule 1 of the questionnaire format): a scale answer as its position on the item's scale
from 0 to 100, turned round (100 minus that) for a reverse-coded item; a choice answer as
the score of the chosen option; yes as 100 and no as 0. A skipped or "not applicable"
answer has no score: it is left out, never counted as zero. Item weights play no part
here; every figure is about the unweighted item scores. Nothing is rounded.

Per item:

- n: the number of respondents who gave the item a score.
- mean: the arithmetic mean of those scores.
- sd: their sample standard deviation (squared deviations from the mean summed and divided
  by n - 1); none below n = 2.
- item-total r (the corrected item-total correlation): the Pearson correlation between the
  item's score and the sum of the scores of the other items of its dimension, over the
  dimension's complete respondents (below). None when there are fewer than 3 of them, or
  when the item or the sum of the other items does not vary among them (as for the only
  item of a dimension).
- alpha if deleted: Cronbach's alpha (below) of the dimension's other items, over the same
  complete respondents; none where that alpha is undefined, so always none for a dimension
  of fewer than 3 items.

Per dimension:

- n: the complete respondents, those who gave every item of the dimension a score
  (listwise deletion). A respondent who skipped an item of the dimension, or said it does
  not apply, does not count towards the dimension's alpha, item-total r or alpha if
  deleted; their scores still count towards the n, mean and sd of the items they answered.
- alpha: Cronbach's alpha of the dimension's k items over its complete respondents,
  k / (k - 1) * (1 - (sum of the k item variances) / (variance of the respondents' sums
  of the k item scores)), all variances sample variances (divided by n - 1). None for
  fewer than 2 items, fewer than 2 complete respondents, or sums that do not vary. Alpha
  may be negative (when items correlate negatively on average); it is shown as computed.

The figures are built from moments (counts, means, sums of squared deviations and
cross-products) that chunks of respondents add up (Chan's pairwise update), so a million
respondents never sit in memory at once; they equal the direct formulas up to float noise.

Values that all lie within 1e-9 points of each other count as not varying: such a spread
is floating-point noise, and a correlation or alpha computed from it would be meaningless.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from assess.domain.answers import Chunk, Response, chunks_of
from assess.domain.questionnaire import Questionnaire
from assess.domain.scoring import TOLERANCE, Matrix, table_from_chunks

MIN_CORRELATION_N = 3  # with two respondents every correlation is +1 or -1


@dataclass(frozen=True)
class ItemFigures:
    """One item: n, mean, sd, corrected item-total r and alpha if deleted (None: undefined)."""

    id: str
    n: int
    mean: float | None
    sd: float | None
    item_total_r: float | None
    alpha_if_deleted: float | None


@dataclass(frozen=True)
class DimensionReliability:
    """One dimension: Cronbach's alpha over its n complete respondents, and its items."""

    id: str
    n: int
    alpha: float | None
    items: tuple[ItemFigures, ...]


@dataclass(frozen=True)
class ItemStatistics:
    """Item statistics of one questionnaire version over a set of respondents."""

    questionnaire_id: str
    questionnaire_version: int
    respondents: int
    dimensions: tuple[DimensionReliability, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain data, JSON-ready: dimensions and items by id, null where undefined."""
        return {
            "questionnaire": {"id": self.questionnaire_id, "version": self.questionnaire_version},
            "respondents": self.respondents,
            "dimensions": {
                d.id: {
                    "n": d.n,
                    "alpha": d.alpha,
                    "items": {
                        i.id: {
                            "n": i.n,
                            "mean": i.mean,
                            "sd": i.sd,
                            "item_total_r": i.item_total_r,
                            "alpha_if_deleted": i.alpha_if_deleted,
                        }
                        for i in d.items
                    },
                }
                for d in self.dimensions
            },
        }


def item_statistics(questionnaire: Questionnaire, responses: Iterable[Response]) -> ItemStatistics:
    """Item statistics of typed responses (from the database, say)."""
    return item_statistics_of_chunks(questionnaire, chunks_of(responses, questionnaire))


def item_statistics_of_chunks(
    questionnaire: Questionnaire, chunks: Iterable[Chunk]
) -> ItemStatistics:
    """Item statistics of checked chunks (`iter_chunks` of an answers file, say), one
    chunk in memory at a time."""
    moments = ItemMoments(questionnaire)
    for chunk in chunks:
        table = table_from_chunks(questionnaire, [chunk], keep_items=True)
        assert table.items is not None  # kept on request
        moments.add(table.items)
    return moments.statistics()


def item_statistics_of_scores(questionnaire: Questionnaire, scores: Matrix) -> ItemStatistics:
    """Item statistics of item scores, respondents x items in questionnaire order, NaN for
    no score (the `items` of a ScoreTable)."""
    moments = ItemMoments(questionnaire)
    moments.add(scores)
    return moments.statistics()


class _Moments:
    """Count, means and co-moment matrix of rows of k values, with each column's range
    and, per column j, the range of the row sum without j (and of the whole row sum)."""

    def __init__(self, k: int) -> None:
        self.n = 0
        self.mean = np.zeros(k)
        self.comoment = np.zeros((k, k))
        self.low = np.full(k + 1 + k, np.inf)  # columns, row sum, row sum without each
        self.high = np.full(k + 1 + k, -np.inf)

    def add(self, rows: Matrix) -> None:
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

    def varies(self) -> Matrix:
        return np.asarray((self.high - self.low) > TOLERANCE)


class ItemMoments:
    """Item statistics built up chunk by chunk: `add` item scores, then `statistics`."""

    def __init__(self, questionnaire: Questionnaire) -> None:
        self.questionnaire = questionnaire
        self.respondents = 0
        self._items = [_Moments(1) for _ in questionnaire.item_ids()]
        self._dimensions = [_Moments(len(d.items)) for d in questionnaire.dimensions]

    def add(self, scores: Matrix) -> None:
        """Add item scores of more respondents (respondents x items, NaN for no score)."""
        items = len(self._items)
        if scores.ndim != 2 or scores.shape[1] != items:
            raise ValueError(
                f"expected a matrix of respondents x {items} items, got {scores.shape}"
            )
        self.respondents += int(scores.shape[0])
        for j, moments in enumerate(self._items):
            column = scores[:, j]
            moments.add(column[~np.isnan(column)][:, np.newaxis])
        start = 0
        for moments in self._dimensions:
            k = moments.mean.shape[0]
            block = scores[:, start : start + k]
            moments.add(block[~np.isnan(block).any(axis=1)])
            start += k

    def statistics(self) -> ItemStatistics:
        """The figures of every respondent added so far."""
        q = self.questionnaire
        dimensions = []
        start = 0
        for dimension, moments in zip(q.dimensions, self._dimensions, strict=True):
            k = len(dimension.items)
            singles = self._items[start : start + k]
            start += k
            dimensions.append(
                _dimension(dimension.id, [i.id for i in dimension.items], singles, moments)
            )
        return ItemStatistics(q.id, q.version, self.respondents, tuple(dimensions))


def _dimension(
    dimension_id: str, item_ids: list[str], singles: list[_Moments], moments: _Moments
) -> DimensionReliability:
    """Figures of one dimension from its items' moments and its complete rows' moments."""
    m, k = moments.n, len(item_ids)
    varies = moments.varies()
    c = moments.comoment
    alpha = None
    if m >= 2:
        item_variances = np.diag(c) / (m - 1)
        row_sums = c.sum(axis=1)
        total_variance = float(c.sum()) / (m - 1)
        rest_variances = (float(c.sum()) - 2 * row_sums + np.diag(c)) / (m - 1)
        rest_covariances = (row_sums - np.diag(c)) / (m - 1)
        alpha = _alpha(k, float(item_variances.sum()), total_variance, bool(varies[k]))
    figures = []
    for j, item_id in enumerate(item_ids):
        single = singles[j]
        n = single.n
        mean = float(single.mean[0]) if n else None
        sd = math.sqrt(max(float(single.comoment[0, 0]), 0.0) / (n - 1)) if n >= 2 else None
        r = without = None
        if m >= 2:
            without = _alpha(
                k - 1,
                float(item_variances.sum() - item_variances[j]),
                float(rest_variances[j]),
                bool(varies[k + 1 + j]),
            )
            if m >= MIN_CORRELATION_N and varies[j] and varies[k + 1 + j]:
                spread = math.sqrt(float(item_variances[j]) * float(rest_variances[j]))
                r = min(1.0, max(-1.0, float(rest_covariances[j]) / spread))
        figures.append(ItemFigures(item_id, n, mean, sd, r, without))
    return DimensionReliability(dimension_id, m, alpha, tuple(figures))


def _alpha(k: int, item_variance_sum: float, total_variance: float, varies: bool) -> float | None:
    """k / (k - 1) * (1 - sum of item variances / variance of the total); None if undefined."""
    if k < 2 or not varies:
        return None
    return k / (k - 1) * (1 - item_variance_sum / total_variance)
