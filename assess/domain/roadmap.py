"""Rule 12 of the format document: which recommendations the organisation's figures
choose, why (every condition with the figure that met it), and the roadmap's order.

A recommendation is chosen when every condition of its `when` holds for the
organisation; a dimension without a score chooses nothing. The roadmap never puts a
recommendation before a chosen one it depends on; among those free to come next it
takes the smallest (horizon, dimension rank, priority number, order in the file).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from assess.domain.questionnaire import HORIZONS, Dimension, Questionnaire, Recommendation, Rule
from assess.domain.results import Advice, AssessmentResult, Divergence, Reason


def choose_and_order(questionnaire: Questionnaire, result: AssessmentResult) -> list[Advice]:
    """The chosen recommendations of a result (its standing already set), in roadmap
    order."""
    chosen: list[tuple[Advice, Recommendation]] = []
    position = 0
    for dimension in questionnaire.dimensions:
        for recommendation in dimension.recommendations:
            because = reasons(questionnaire, result, dimension, recommendation.when)
            if because is not None:
                advice = Advice(
                    recommendation.id,
                    dimension.id,
                    recommendation.horizon,
                    tuple(because),
                    position,
                )
                chosen.append((advice, recommendation))
            position += 1
    return _order(result, chosen)


def reasons(
    questionnaire: Questionnaire, result: AssessmentResult, dimension: Dimension, rule: Rule
) -> list[Reason] | None:
    """Every condition of `rule` with the figure that met it; None when one fails or
    the dimension has no score."""
    figures = result.total.dimensions.get(dimension.id)
    if figures is None or figures.score is None:
        return None
    found: list[Reason] = []
    for reason in _conditions(questionnaire, result, dimension, rule):
        if reason is None:
            return None
        found.append(reason)
    return found


def _conditions(
    questionnaire: Questionnaire, result: AssessmentResult, dimension: Dimension, rule: Rule
) -> Iterator[Reason | None]:
    """Each condition given, in the document's order: its reason, or None if it fails."""
    figures = result.total.dimensions[dimension.id]
    score = figures.score
    if rule.stages is not None:
        met = figures.stage in rule.stages
        yield Reason("stages", list(rule.stages), figures.stage) if met else None
    if rule.below is not None:
        yield _band("below", rule.below, score)
    if rule.at_least is not None:
        yield _band("at_least", rule.at_least, score)
    for item_id, band in (rule.items or {}).items():
        item = result.items.get(item_id)
        value = item.score if item else None
        if band.below is not None:
            yield _band(f"items.{item_id}.below", band.below, value)
        if band.at_least is not None:
            yield _band(f"items.{item_id}.at_least", band.at_least, value)
    if rule.divergence is not None and rule.divergence.at_least is not None:
        yield _band("divergence.at_least", rule.divergence.at_least, _spread(result, dimension))
    if rule.divergence is not None and rule.divergence.significant is not None:
        found = _divergence(result, dimension)
        significant = rule.divergence.significant
        met = found is not None and found.spread is not None and found.significant is significant
        yield Reason("divergence.significant", significant, significant) if met else None
    if rule.dont_know is not None:
        answered = result.answered.get(dimension.id)
        share = answered.dont_know_share if answered else None
        yield _band("dont_know.at_least", rule.dont_know.at_least, share)
    for question, wanted in (rule.profile or {}).items():
        answer = result.profile.get(question)
        met = answer is not None and any(_same(answer, w) for w in wanted)
        yield Reason(f"profile.{question}", list(wanted), answer) if met else None


def _band(condition: str, bound: float, value: float | None) -> Reason | None:
    """`below` is strict, `at_least` inclusive; a figure that does not exist fails."""
    if value is None:
        return None
    met = value < bound if condition.endswith("below") else value >= bound
    return Reason(condition, bound, value) if met else None


def _spread(result: AssessmentResult, dimension: Dimension) -> float | None:
    """The dimension's spread over the grouping in use: the first the result shows."""
    found = _divergence(result, dimension)
    return found.spread if found else None


def _divergence(result: AssessmentResult, dimension: Dimension) -> Divergence | None:
    """The dimension's divergence over the grouping in use: the first the result shows."""
    for divergence in result.divergence.values():
        return divergence.get(dimension.id)
    return None


def _same(answer: Any, wanted: Any) -> bool:
    """Whether a profile answer is the value a rule names (yes/no for yes/no questions)."""
    if isinstance(answer, bool):
        if isinstance(wanted, bool):
            return answer is wanted
        return str(wanted).lower() in ({"yes", "true", "ja"} if answer else {"no", "false", "nein"})
    if isinstance(answer, int | float) and isinstance(wanted, int | float):
        return float(answer) == float(wanted) and not isinstance(wanted, bool)
    return str(answer) == str(wanted)


def _order(result: AssessmentResult, chosen: list[tuple[Advice, Recommendation]]) -> list[Advice]:
    """Dependencies first; else horizon, dimension rank, priority number, file order.
    A dependency on a recommendation that is not chosen is ignored."""
    ids = {advice.id for advice, _ in chosen if advice.id is not None}
    waiting = {
        advice.position: {d for d in recommendation.depends_on if d in ids}
        for advice, recommendation in chosen
    }
    keys = {
        advice.position: (
            HORIZONS.index(advice.horizon),
            _rank(result, advice.dimension),
            recommendation.priority,
            advice.position,
        )
        for advice, recommendation in chosen
    }
    remaining = {advice.position: advice for advice, _ in chosen}
    placed: set[str] = set()
    ordered: list[Advice] = []
    while remaining:
        free = [p for p in remaining if waiting[p] <= placed]
        if not free:  # a cycle, which the validator refuses: keep the file's order
            free = list(remaining)
        advice = remaining.pop(min(free, key=keys.__getitem__))
        ordered.append(advice)
        if advice.id is not None:
            placed.add(advice.id)
    return ordered


def _rank(result: AssessmentResult, dimension_id: str) -> int:
    standing = result.standing.get(dimension_id)
    return standing.rank if standing and standing.rank is not None else 1 << 30
