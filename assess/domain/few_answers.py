"""Figures of advice that fewer than k respondents answered: an item's score that fewer
than k gave a score (and its share of a level's rwg), a level's importance that fewer
than k rated. Each would describe
those few (who skipped is no secret kept from the figures), so whoever sees releases
gets neither, and advice given without them. A lead item's score is the organisation's
fact, asked of one person, and stays; so does an item's consensus answer."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace

from assess.domain.advice import advise
from assess.domain.agreement import rwg
from assess.domain.answers import Response
from assess.domain.questionnaire import Questionnaire
from assess.domain.results import AssessmentResult
from assess.domain.scoring import item_score


def raters(questionnaire: Questionnaire, responses: Sequence[Response]) -> dict[str, int]:
    """Per dimension, how many respondents rated its importance."""
    return {
        d.id: sum(isinstance(r.importance.get(d.id), int | float) for r in responses)
        for d in questionnaire.dimensions
    }


def without_few_answers(
    questionnaire: Questionnaire,
    result: AssessmentResult,
    responses: Sequence[Response],
    k: int,
    agreed: Collection[str] = (),
) -> AssessmentResult:
    """The result of `responses` without item scores and importance that fewer than k
    gave, its advice given anew (an item without a score chooses nothing). Items with a
    consensus answer (`agreed`) keep theirs: the workshop's answer, not anyone's own."""
    facts = set(questionnaire.lead_item_ids()) | set(agreed)
    items = {
        item: figures if item in facts or figures.n >= k else replace(figures, score=None)
        for item, figures in result.items.items()
    }
    rated = raters(questionnaire, responses)
    answered = {
        dimension: (
            figures
            if rated.get(dimension, 0) >= k
            else replace(figures, importance_mean=None, importance_weight=None)
        )
        for dimension, figures in result.answered.items()
    }
    certainty = {
        dimension: replace(figures, rwg=rwg([r for r, n in figures.ratios.values() if n >= k]))
        for dimension, figures in result.certainty.items()
    }
    thinned = replace(result, items=items, answered=answered, certainty=certainty)
    return advise(questionnaire, thinned)


def without_thin_answers(
    questionnaire: Questionnaire,
    responses: Sequence[Response],
    k: int,
    agreed: Collection[str],
) -> list[Response]:
    """`responses` without their answers to items fewer than k gave a score, for a
    release after the workshop. There, agreed items (and the lead's facts) are the same for
    everyone and shown, so a level's figures would add up to the few answers such an item
    has, whose score the release withholds; counting them for nobody keeps them unknown."""
    public = set(questionnaire.lead_item_ids()) | set(agreed)
    scored: dict[str, int] = {}
    items = {item.id: item for _, item in questionnaire.items()}
    for response in responses:
        for item_id, value in response.answers.items():
            item = items.get(item_id)
            if item is not None and item_score(questionnaire, item, value) is not None:
                scored[item_id] = scored.get(item_id, 0) + 1
    thin = {i for i, n in scored.items() if n < k and i not in public}
    if not thin:
        return list(responses)
    return [
        replace(r, answers={i: v for i, v in r.answers.items() if i not in thin})
        if thin & r.answers.keys()
        else r
        for r in responses
    ]
