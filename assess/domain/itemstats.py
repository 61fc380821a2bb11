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

Values that all lie within 1e-9 points of each other count as not varying: such a spread
is floating-point noise, and a correlation or alpha computed from it would be meaningless.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from assess.domain.answers import Chunk, Response, chunks_of
from assess.domain.questionnaire import Dimension, Questionnaire
from assess.domain.scoring import TOLERANCE, Matrix, table_from_chunks
from assess.domain.statistics import summarize

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
    """Item statistics of checked chunks (`iter_chunks` of an answers file, say)."""
    table = table_from_chunks(questionnaire, chunks, keep_items=True)
    assert table.items is not None  # kept on request
    return item_statistics_of_scores(questionnaire, table.items)


def item_statistics_of_scores(questionnaire: Questionnaire, scores: Matrix) -> ItemStatistics:
    """Item statistics of item scores, respondents x items in questionnaire order, NaN for
    no score (the `items` of a ScoreTable)."""
    items = len(questionnaire.item_ids())
    if scores.ndim != 2 or scores.shape[1] != items:
        raise ValueError(f"expected a matrix of respondents x {items} items, got {scores.shape}")
    dimensions = []
    start = 0
    for dimension in questionnaire.dimensions:
        k = len(dimension.items)
        dimensions.append(_dimension(dimension, scores[:, start : start + k]))
        start += k
    return ItemStatistics(
        questionnaire.id, questionnaire.version, int(scores.shape[0]), tuple(dimensions)
    )


def _dimension(dimension: Dimension, block: Matrix) -> DimensionReliability:
    """Figures of one dimension from its columns of the score matrix."""
    complete = block[~np.isnan(block).any(axis=1)]
    m, k = complete.shape
    total = complete.sum(axis=1)
    rest = total[:, np.newaxis] - complete  # per item: the sum of the other items
    if m >= 2:
        item_variances = complete.var(axis=0, ddof=1)
        rest_variances = rest.var(axis=0, ddof=1)
        alpha = _alpha(k, float(item_variances.sum()), float(total.var(ddof=1)), _varies(total))
    else:
        item_variances = rest_variances = np.full(k, np.nan)
        alpha = None
    correlations = _correlations(complete, rest)
    figures = []
    for j, item in enumerate(dimension.items):
        column = block[:, j]
        summary = summarize(column[~np.isnan(column)])
        without = (
            _alpha(
                k - 1,
                float(item_variances.sum() - item_variances[j]),
                float(rest_variances[j]),
                _varies(rest[:, j]),
            )
            if m >= 2
            else None
        )
        figures.append(
            ItemFigures(item.id, summary.n, summary.mean, summary.sd, correlations[j], without)
        )
    return DimensionReliability(dimension.id, m, alpha, tuple(figures))


def _alpha(k: int, item_variance_sum: float, total_variance: float, varies: bool) -> float | None:
    """k / (k - 1) * (1 - sum of item variances / variance of the total); None if undefined."""
    if k < 2 or not varies:
        return None
    return k / (k - 1) * (1 - item_variance_sum / total_variance)


def _correlations(items: Matrix, rest: Matrix) -> list[float | None]:
    """Pearson r of each item column with the matching column of `rest`; None if undefined."""
    m, k = items.shape
    if m < MIN_CORRELATION_N:
        return [None] * k
    x = items - items.mean(axis=0)
    y = rest - rest.mean(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):  # no spread: left out below
        r = np.clip((x * y).sum(axis=0) / np.sqrt((x * x).sum(axis=0) * (y * y).sum(axis=0)), -1, 1)
    defined = (np.ptp(items, axis=0) > TOLERANCE) & (np.ptp(rest, axis=0) > TOLERANCE)
    return [float(v) if ok else None for v, ok in zip(r.tolist(), defined.tolist(), strict=True)]


def _varies(values: Matrix) -> bool:
    """Whether the values spread wider than float noise (see the module docstring)."""
    return len(values) > 0 and float(np.ptp(values)) > TOLERANCE
