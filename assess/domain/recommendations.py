"""Which of a questionnaire's recommendations apply to one respondent's own scores, in the
order to act on them (an organisation's advice is rule 12, see `roadmap`).

A recommendation applies to its dimension when every condition of its rule holds: the
dimension's stage is one of `stages`, its score is `below` a bound, or `at_least` one. A
dimension without a score (too little coverage) gets none: nothing is known about it.
Weakest dimensions come first; within one, the lower `priority` number first, then the
order of the file. A recommendation shown once is not shown again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from assess.domain.questionnaire import Dimension, Questionnaire, Recommendation, Rule
from assess.domain.results import DimensionFigures


@dataclass(frozen=True)
class Chosen:
    """A recommendation chosen for one dimension, with the figures that chose it."""

    dimension: Dimension
    recommendation: Recommendation
    score: float
    stage: str | None


def applies(rule: Rule, score: float | None, stage: str | None) -> bool:
    """Whether a rule holds for one respondent's dimension score and stage. A rule that
    also asks about the organisation (its item scores, divergence, "can't judge" share
    or profile) is advice for the organisation, never for one respondent."""
    if score is None or _about_the_organisation(rule):
        return False
    if rule.stages is not None and stage not in rule.stages:
        return False
    if rule.below is not None and not score < rule.below:
        return False
    return rule.at_least is None or score >= rule.at_least


def choose(
    questionnaire: Questionnaire, dimensions: Mapping[str, DimensionFigures]
) -> list[Chosen]:
    """Every applicable recommendation: weakest dimension first, then by priority."""
    scored = [
        (figures.score, index, dimension, figures.stage)
        for index, dimension in enumerate(questionnaire.dimensions)
        if (figures := dimensions.get(dimension.id)) is not None and figures.score is not None
    ]
    chosen: list[Chosen] = []
    seen: set[object] = set()
    for score, _, dimension, stage in sorted(scored, key=lambda s: (s[0], s[1])):
        ranked = sorted(enumerate(dimension.recommendations), key=lambda r: (r[1].priority, r[0]))
        for _, recommendation in ranked:
            key = _identity(recommendation)
            if key in seen or not applies(recommendation.when, score, stage):
                continue
            seen.add(key)
            chosen.append(Chosen(dimension, recommendation, score, stage))
    return chosen


def _about_the_organisation(rule: Rule) -> bool:
    conditions = (rule.items, rule.divergence, rule.dont_know, rule.profile)
    return any(c is not None for c in conditions)


def top(chosen: list[Chosen], count: int = 3) -> list[Chosen]:
    """The `count` most urgent: lowest priority number, weakest dimension on a tie."""
    ranked = sorted(enumerate(chosen), key=lambda c: (c[1].recommendation.priority, c[0]))
    return [c for _, c in ranked[:count]]


def _identity(recommendation: Recommendation) -> object:
    """Its id, or for one without an id its text: the same advice is given once."""
    if recommendation.id is not None:
        return recommendation.id
    return tuple(sorted(recommendation.text.items()))
