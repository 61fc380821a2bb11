"""How a score came about: per level, its items, the answers, the weights and the
arithmetic, so anyone can recompute every figure of a report by hand."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from assess.domain.answers import Response
from assess.domain.grouping import written_answer
from assess.domain.questionnaire import DK_VALUE, NA_VALUE, Questionnaire
from assess.domain.results import RespondentScore
from assess.domain.scoring import ItemType, overall_score


@dataclass(frozen=True)
class ItemTrace:
    """One item: its weight, how it was answered and the mean of its item scores."""

    item_id: str
    weight: float
    reverse: bool
    answered: int
    not_applicable: int
    skipped: int
    mean_score: float | None
    distribution: dict[str, int]  # answer (as in an answers file) -> respondents


@dataclass(frozen=True)
class DimensionTrace:
    """One level: its items, the respondent scores that count and their mean (rule 5)."""

    dimension_id: str
    weight: float
    items: list[ItemTrace]
    counted: list[float]  # respondent scores of those with enough coverage
    left_out: int  # respondents below min_coverage
    total: float
    score: float | None


@dataclass(frozen=True)
class Explanation:
    """Every level's trace and the overall weighted mean (rule 3)."""

    dimensions: list[DimensionTrace]
    overall: float | None

    def to_dict(self) -> dict[str, Any]:
        """Plain data for the API's `?explain=true`."""
        return {
            "overall": self.overall,
            "dimensions": [
                {
                    "id": d.dimension_id,
                    "weight": d.weight,
                    "score": d.score,
                    "respondents_counted": len(d.counted),
                    "respondents_left_out": d.left_out,
                    "sum_of_respondent_scores": d.total,
                    "items": [vars(i) for i in d.items],
                }
                for d in self.dimensions
            ],
        }


def explain(
    questionnaire: Questionnaire,
    responses: Sequence[Response],
    scores: Sequence[RespondentScore],
) -> Explanation:
    """The trace behind the scores of `responses` (`scores` from respondent_scores)."""
    traces = []
    for dimension in questionnaire.dimensions:
        items = [_item_trace(questionnaire, item, responses, scores) for item in dimension.items]
        counted = [s for r in scores if (s := r.dimensions[dimension.id]) is not None]
        total = math.fsum(counted)
        traces.append(
            DimensionTrace(
                dimension.id,
                dimension.weight,
                items,
                counted,
                len(scores) - len(counted),
                total,
                total / len(counted) if counted else None,
            )
        )
    overall = overall_score(questionnaire, [t.score for t in traces])
    return Explanation(traces, overall)


def _item_trace(
    questionnaire: Questionnaire,
    item: ItemType,
    responses: Sequence[Response],
    scores: Sequence[RespondentScore],
) -> ItemTrace:
    answers = [r.answers.get(item.id) for r in responses]
    counts = Counter(w for a in answers if (w := written_answer(a)) is not None)
    item_scores = [s for r in scores if (s := r.items.get(item.id)) is not None]
    return ItemTrace(
        item.id,
        item.weight,
        bool(getattr(item, "reverse", False)),
        len(item_scores),
        counts.get(NA_VALUE, 0),
        sum(a is None for a in answers),
        math.fsum(item_scores) / len(item_scores) if item_scores else None,
        _ordered(counts, _answer_order(questionnaire, item)),
    )


def _ordered(counts: Counter[str], order: list[str]) -> dict[str, int]:
    """Counts in the expected order; answers outside it (3.5 on a 1-5 scale) after it."""
    known = {k: counts[k] for k in order if counts.get(k)}
    return known | {k: counts[k] for k in sorted(counts) if k not in known}


def _answer_order(questionnaire: Questionnaire, item: ItemType) -> list[str]:
    """Possible answers in the order a reader expects, then can't judge, not applicable
    last."""
    return [*questionnaire.answers_of(item), DK_VALUE, NA_VALUE]
