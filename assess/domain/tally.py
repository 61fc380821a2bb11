"""Rules 6 to 9 of the format document, counted while the answers are read: the lead's
answers lent to everyone, each item's organisation score and its "can't judge" answers,
each dimension's share of them, its importance, and the organisation's profile as the
answers show it.

Counts are taken from each column's distinct values (see `answers.Coded`): a value's
score times the number of respondents who gave it, so a million rows cost one count per
distinct answer, and the sums are exact.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from assess.domain.agreement import item_ratios
from assess.domain.answers import DK, SKIPPED, Chunk, DontKnow
from assess.domain.columns import importance_column
from assess.domain.questionnaire import (
    LEAD_COLUMN,
    BooleanItem,
    ChoiceItem,
    Questionnaire,
    ScaleItem,
)
from assess.domain.results import Answered, ItemFigures

ItemType = ScaleItem | ChoiceItem | BooleanItem
Matrix = npt.NDArray[np.float64]


@dataclass
class _Counts:
    """What rules 7, 8 and 13 need of one item: score sum and count, "can't judge",
    given, and (a statement's) raw answers with the respondents who gave each."""

    scores: list[float] = field(default_factory=list)  # score x respondents, per value
    n: int = 0
    dont_know: int = 0
    given: int = 0
    raw: dict[float, int] = field(default_factory=dict)


@dataclass
class Tally:
    """The counts of rules 6 to 9 over every chunk of one set of respondents."""

    questionnaire: Questionnaire
    items: list[ItemType]
    counts: dict[str, _Counts] = field(default_factory=dict)
    importance: dict[str, list[float]] = field(default_factory=dict)  # [sum, n]
    lead_row: int | None = None
    lead_answers: dict[str, Any] = field(default_factory=dict)
    profile_values: dict[str, set[Any]] = field(default_factory=dict)
    rows: int = 0

    @classmethod
    def start(cls, questionnaire: Questionnaire) -> Tally:
        """An empty tally for a questionnaire."""
        items = [item for _, item in questionnaire.items()]
        tally = cls(questionnaire, items)
        tally.counts = {item.id: _Counts() for item in items}
        tally.importance = {d.id: [0.0, 0.0] for d in questionnaire.dimensions}
        return tally

    def add(self, chunk: Chunk, scores_of: dict[str, list[float | None]]) -> None:
        """Count one chunk; `scores_of` holds each item column's score per distinct value."""
        self._find_lead(chunk)
        for item in self.items:
            coded = chunk.columns.get(item.id)
            if coded is None or item.informant == "lead":
                continue
            per_value = np.bincount(coded.codes + 1, minlength=len(coded.values) + 1)
            counts = self.counts[item.id]
            counts.given += int(len(coded.codes) - per_value[0])
            for value, score, times in zip(
                coded.values, scores_of[item.id], per_value[1:].tolist(), strict=True
            ):
                if not times:
                    continue
                if score is not None:
                    counts.scores.append(score * times)
                    counts.n += times
                    if isinstance(item, ScaleItem):
                        raw = float(value)
                        counts.raw[raw] = counts.raw.get(raw, 0) + times
                elif isinstance(value, DontKnow):
                    counts.dont_know += times
        for dimension_id, totals in self.importance.items():
            coded = chunk.columns.get(importance_column(dimension_id))
            if coded is not None:
                per_value = np.bincount(coded.codes + 1, minlength=len(coded.values) + 1)
                for value, times in zip(coded.values, per_value[1:].tolist(), strict=True):
                    totals[0] += float(value) * times
                    totals[1] += times
        for question in self.questionnaire.profile:
            coded = chunk.columns.get(question.id)
            if question.scope == "organisation" and coded is not None:
                given = set(np.unique(coded.codes[coded.codes >= 0]).tolist())
                found = self.profile_values.setdefault(question.id, set())
                found.update(coded.values[k] for k in given)
        self.rows += len(chunk.respondents)

    def _find_lead(self, chunk: Chunk) -> None:
        coded = chunk.columns.get(LEAD_COLUMN)
        if coded is None or self.lead_row is not None:
            return
        marked = [k for k, value in enumerate(coded.values) if value is True]
        rows = np.flatnonzero(np.isin(coded.codes, marked))
        if not len(rows):
            return
        row = int(rows[0])
        self.lead_row = self.rows + row
        for question, column in chunk.columns.items():
            code = int(column.codes[row])
            self.lead_answers[question] = column.values[code] if code >= 0 else SKIPPED

    def lend(self, by_item: Matrix, score: Callable[[ItemType, Any], float | None]) -> None:
        """Rule 6: each lead item's row of the items x respondents matrix becomes the
        lead's score for everyone (no score for anyone without a lead or an answer)."""
        for j, item in enumerate(self.items):
            if item.informant != "lead":
                continue
            answer = self.lead_answers.get(item.id, SKIPPED)
            answered = self.lead_row is not None
            self._lend_row(by_item, j, item, score(item, answer) if answered else None)
            counts = self.counts[item.id]
            counts.dont_know = int(answer is DK)
            counts.given = int(answer is not SKIPPED and answered)

    def agree(
        self,
        by_item: Matrix,
        consensus: Mapping[str, Any],
        score: Callable[[ItemType, Any], float | None],
    ) -> None:
        """After a consensus workshop: an item with a consensus answer counts with it for
        every respondent, as rule 6 lends a lead's answer (one answer: n = 1, no "can't
        judge", never in rwg)."""
        for j, item in enumerate(self.items):
            if item.id not in consensus:
                continue
            self._lend_row(by_item, j, item, score(item, consensus[item.id]))
            counts = self.counts[item.id]
            counts.dont_know, counts.given = 0, 1

    def _lend_row(self, by_item: Matrix, j: int, item: ItemType, lent: float | None) -> None:
        by_item[j] = np.nan if lent is None else lent
        counts = self.counts[item.id]
        counts.scores, counts.n = ([lent], 1) if lent is not None else ([], 0)
        counts.raw = {}

    def item_figures(self) -> dict[str, ItemFigures]:
        """Rule 7 for every item of the file, those without a score too."""
        return {
            item.id: ItemFigures(math.fsum(c.scores) / c.n if c.n else None, c.n, c.dont_know)
            for item in self.items
            for c in (self.counts[item.id],)
        }

    def answered(self) -> dict[str, Answered]:
        """Rules 8 and 9 for every dimension."""
        scale = self.questionnaire.importance
        result = {}
        for dimension in self.questionnaire.dimensions:
            counts = [self.counts[item.id] for item in dimension.items]
            given = sum(c.given for c in counts)
            share = sum(c.dont_know for c in counts) / given if given else None
            total, n = self.importance[dimension.id]
            mean = total / n if n and scale is not None else None
            weight = (
                (mean - scale.min) / (scale.max - scale.min)
                if mean is not None and scale is not None
                else None
            )
            result[dimension.id] = Answered(share, mean, weight)
        return result

    def agreement(self) -> dict[str, dict[str, tuple[float, int]]]:
        """Rule 13's ratio s²ᵢ / σ²ᵢ and n of every statement two or more respondents
        answered with a number, per dimension (lead items never: one answer each)."""
        return {
            dimension.id: item_ratios(
                (item.id, self.counts[item.id].raw, *self.questionnaire.scale_of(item))
                for item in dimension.items
                if isinstance(item, ScaleItem) and item.informant != "lead"
            )
            for dimension in self.questionnaire.dimensions
        }

    def profile(self) -> dict[str, Any]:
        """The organisation's profile answers as the answers show them: the lead's, else
        the one value every respondent who answered gave (none where they differ)."""
        found = {}
        for question in self.questionnaire.profile:
            if question.scope != "organisation":
                continue
            lead = self.lead_answers.get(question.id, SKIPPED)
            values = self.profile_values.get(question.id, set())
            if lead is not SKIPPED:
                found[question.id] = lead
            elif len(values) == 1:
                found[question.id] = next(iter(values))
        return found
