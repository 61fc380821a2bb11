"""Item statistics of one questionnaire version: how each item behaves, and how consistently
the items of each dimension measure it together.

Every figure starts from the item scores exactly as the scoring engine computes them
(rule 1 of the questionnaire format): a scale answer as its position on the item's scale
from 0 to 100, turned round (100 minus that) for a reverse-coded item; a choice answer as
the score of the chosen option; yes as 100 and no as 0. A skipped, "not applicable" or
"can't judge" answer has no score: it is left out, never counted as zero. Item weights
play no part here; every figure is about the unweighted item scores. Nothing is rounded.

Items asked of the lead (`informant: lead`) are facts of the organisation, not views of
respondents: each organisation has one answer, the lead's, which rule 6 lends to all its
respondents, so within an organisation it does not vary and its agreement with the other
items says nothing about how consistently people answer. They stay out of every alpha,
item-total r and alpha if deleted of their dimension (their own r and alpha if deleted are
none), and out of the test of who is complete. Their n, mean and sd count the answer once
per organisation, on the row of the lead who gave it: the item statistics score lead
items as the answers hold them, without lending them (lend=False).

Per item:

- n: the number of respondents who gave the item a score.
- mean: the arithmetic mean of those scores.
- sd: their sample standard deviation (squared deviations from the mean summed and divided
  by n - 1); none below n = 2.
- item-total r (the corrected item-total correlation): the Pearson correlation between the
  item's score and the sum of the scores of the other items of its dimension, over the
  dimension's complete respondents (below). None when there are fewer than 3 of them, or
  when the item or the sum of the other items does not vary among them (as for the only
  item of a dimension). On a standardised dimension (below), the sum of the other items'
  z-scores.
- alpha if deleted: Cronbach's alpha (below) of the dimension's other items, over the same
  complete respondents; none where that alpha is undefined, so always none for a dimension
  of fewer than 3 items.

Per dimension:

- n: the complete respondents, those who gave every item of the dimension that enters
  alpha a score (listwise deletion). A respondent who skipped such an item, or said it does
  not apply or cannot judge it, does not count towards the dimension's alpha, item-total r
  or alpha if deleted; their scores still count towards the n, mean and sd of the items
  they answered.
- alpha: Cronbach's alpha of the dimension's k items over its complete respondents,
  k / (k - 1) * (1 - (sum of the k item variances) / (variance of the respondents' sums
  of the k item scores)), all variances sample variances (divided by n - 1). None for
  fewer than 2 items, fewer than 2 complete respondents, or sums that do not vary. Alpha
  may be negative (when items correlate negatively on average); it is shown as computed.
- standardised: whether that alpha is computed on z-scores. Where all items of the
  dimension in alpha share a format (all scale, all choice or all yes/no), alpha is the
  raw-score alpha above: the items' scores are on one 0-100 footing and their variances
  are comparable. Where the dimension mixes formats (scale with choice or yes/no), a yes/no
  item's variance (up to 2,500 for scores 0 and 100) dwarfs a scale item's, and raw alpha
  would weigh the items by their format. There each item is z-scored over the complete
  respondents (its score minus its mean, divided by its sd, both over them) and alpha is
  computed from the z-scores: the standardised alpha, equal to k * r / (1 + (k - 1) * r)
  with r the mean correlation between two different items. An item that does not vary
  among the complete respondents has no z-score, so then alpha is none, and so is every
  figure that includes that item. (`reliability.py` holds the formulas.)

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
from assess.domain.questionnaire import BooleanItem, ChoiceItem, Dimension, Questionnaire
from assess.domain.reliability import Moments, consistency
from assess.domain.scoring import Matrix, table_from_chunks


@dataclass(frozen=True)
class ItemFigures:
    """One item: n, mean, sd, corrected item-total r and alpha if deleted (None: undefined);
    `in_alpha` False for an item asked of the lead, which no alpha counts."""

    id: str
    n: int
    mean: float | None
    sd: float | None
    item_total_r: float | None
    alpha_if_deleted: float | None
    in_alpha: bool = True


@dataclass(frozen=True)
class DimensionReliability:
    """One dimension: Cronbach's alpha over its n complete respondents (on z-scores where
    `standardised`), and its items."""

    id: str
    n: int
    alpha: float | None
    items: tuple[ItemFigures, ...]
    standardised: bool = False


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
                    "standardised": d.standardised,
                    "items": {
                        i.id: {
                            "n": i.n,
                            "mean": i.mean,
                            "sd": i.sd,
                            "item_total_r": i.item_total_r,
                            "alpha_if_deleted": i.alpha_if_deleted,
                            "in_alpha": i.in_alpha,
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
        moments.add(item_scores(questionnaire, [chunk]))
    return moments.statistics()


def item_statistics_by_organisation(
    questionnaire: Questionnaire, organisations: Iterable[Iterable[Response]]
) -> ItemStatistics:
    """Item statistics of the responses of several organisations, each organisation's
    read apart, so that each has its own lead."""
    moments = ItemMoments(questionnaire)
    for responses in organisations:
        moments.add(item_scores(questionnaire, chunks_of(responses, questionnaire)))
    return moments.statistics()


def item_scores(questionnaire: Questionnaire, chunks: Iterable[Chunk]) -> Matrix:
    """Item scores as item statistics count them: respondents x items, NaN for no score,
    a lead item scored only on the row of the lead who answered it (not lent)."""
    table = table_from_chunks(questionnaire, chunks, keep_items=True, lend=False)
    assert table.items is not None  # kept on request
    return table.items


def item_statistics_of_scores(questionnaire: Questionnaire, scores: Matrix) -> ItemStatistics:
    """Item statistics of item scores, respondents x items in questionnaire order, NaN for
    no score (the `items` of a ScoreTable)."""
    moments = ItemMoments(questionnaire)
    moments.add(scores)
    return moments.statistics()


def in_alpha(dimension: Dimension) -> list[int]:
    """Positions, within the dimension, of the items alpha counts: all but the lead's."""
    return [j for j, item in enumerate(dimension.items) if item.informant != "lead"]


def standardised(dimension: Dimension) -> bool:
    """Whether the dimension's items in alpha mix formats, so alpha is taken on z-scores."""
    formats = {_format(dimension.items[j]) for j in in_alpha(dimension)}
    return len(formats) > 1


def _format(item: object) -> str:
    if isinstance(item, ChoiceItem):
        return "choice"
    return "boolean" if isinstance(item, BooleanItem) else "scale"


class ItemMoments:
    """Item statistics built up chunk by chunk: `add` item scores, then `statistics`."""

    def __init__(self, questionnaire: Questionnaire) -> None:
        self.questionnaire = questionnaire
        self.respondents = 0
        self._items = [Moments(1) for _ in questionnaire.item_ids()]
        # Per dimension, the columns of the score matrix that alpha counts.
        self._columns: list[list[int]] = []
        start = 0
        for dimension in questionnaire.dimensions:
            self._columns.append([start + j for j in in_alpha(dimension)])
            start += len(dimension.items)
        self._dimensions = [Moments(len(columns)) for columns in self._columns]

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
        for moments, columns in zip(self._dimensions, self._columns, strict=True):
            if columns:
                block = scores[:, columns]
                moments.add(block[~np.isnan(block).any(axis=1)])

    def statistics(self) -> ItemStatistics:
        """The figures of every respondent added so far."""
        q = self.questionnaire
        dimensions = []
        start = 0
        for dimension, moments in zip(q.dimensions, self._dimensions, strict=True):
            k = len(dimension.items)
            dimensions.append(_dimension(dimension, self._items[start : start + k], moments))
            start += k
        return ItemStatistics(q.id, q.version, self.respondents, tuple(dimensions))


def _dimension(
    dimension: Dimension, singles: list[Moments], moments: Moments
) -> DimensionReliability:
    """Figures of one dimension from its items' moments and its complete rows' moments."""
    mixed = standardised(dimension)
    found = consistency(moments.comoment, moments.n, moments.varies(), standardised=mixed)
    position = {j: a for a, j in enumerate(in_alpha(dimension))}
    figures = []
    for j, item in enumerate(dimension.items):
        single = singles[j]
        n = single.n
        mean = float(single.mean[0]) if n else None
        sd = math.sqrt(max(float(single.comoment[0, 0]), 0.0) / (n - 1)) if n >= 2 else None
        a = position.get(j)
        if a is None:
            figures.append(ItemFigures(item.id, n, mean, sd, None, None, in_alpha=False))
        else:
            r, without = found.item_total_r[a], found.alpha_if_deleted[a]
            figures.append(ItemFigures(item.id, n, mean, sd, r, without))
    return DimensionReliability(dimension.id, moments.n, found.alpha, tuple(figures), mixed)
