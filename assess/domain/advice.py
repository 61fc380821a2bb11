"""Rules 10 and 11 of the format document: each dimension's target stage, its gap to it,
the priority and rank that gap earns with the dimension's importance, and its quadrant in
the importance-performance analysis (Martilla & James 1977). `advise` adds these and the
chosen recommendations (rule 12, see `roadmap`) to a scored result."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from assess.domain.questionnaire import Questionnaire, Stage
from assess.domain.results import AssessmentResult, Standing
from assess.domain.roadmap import choose_and_order

ALL_DIMENSIONS = "all"  # `--target all=<stage>`: every dimension without its own target
# As in scoring: float noise must not move a figure across a bound it meets exactly.
TOLERANCE = 1e-9


class TargetError(ValueError):
    """Targets that name a dimension or stage the questionnaire does not have."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def resolve_targets(questionnaire: Questionnaire, given: Mapping[str, str]) -> dict[str, str]:
    """Targets per dimension from `DIM=stage` pairs, where a dimension's own target wins
    over `all`; TargetError naming every unknown dimension or stage."""
    stages = [s.id for s in questionnaire.stages]
    dimensions = [d.id for d in questionnaire.dimensions]
    problems = []
    for dimension, stage in given.items():
        if dimension != ALL_DIMENSIONS and dimension not in dimensions:
            problems.append(
                f"unknown dimension '{dimension}' in a target; dimensions are: "
                + ", ".join([*dimensions, ALL_DIMENSIONS])
            )
        if stage not in stages:
            problems.append(
                f"unknown stage '{stage}' as the target of '{dimension}'; stages are: "
                + ", ".join(stages)
            )
    if problems:
        raise TargetError(problems)
    fallback = given.get(ALL_DIMENSIONS)
    resolved = {d: given.get(d, fallback) for d in dimensions}
    return {d: s for d, s in resolved.items() if s is not None}


def advise(questionnaire: Questionnaire, result: AssessmentResult) -> AssessmentResult:
    """The result with rules 10 to 12 applied to its organisation figures, for the
    targets and profile it carries and the groups it shows."""
    standing = _standing(questionnaire, result)
    result = replace(result, standing=standing)
    return replace(result, recommendations=choose_and_order(questionnaire, result))


def _standing(questionnaire: Questionnaire, result: AssessmentResult) -> dict[str, Standing]:
    figures = result.total.dimensions
    targets: dict[str, str | None] = {}
    gaps: dict[str, float | None] = {}
    priorities: dict[str, float | None] = {}
    for dimension in questionnaire.dimensions:
        score = figures[dimension.id].score
        target = _target(questionnaire, result.targets.get(dimension.id), score)
        targets[dimension.id] = target.id if target else None
        if score is None or target is None:
            gaps[dimension.id] = priorities[dimension.id] = None
            continue
        gap = max(0.0, target.min_score - score)
        weight = result.answered[dimension.id].importance_weight if result.answered else None
        gaps[dimension.id] = gap
        priorities[dimension.id] = gap * weight if weight is not None else gap
    ranks = _ranks(questionnaire, result, priorities)
    quadrants = _quadrants(questionnaire, result)
    return {
        d.id: Standing(targets[d.id], gaps[d.id], priorities[d.id], ranks[d.id], quadrants[d.id])
        for d in questionnaire.dimensions
    }


def _target(questionnaire: Questionnaire, set_id: str | None, score: float | None) -> Stage | None:
    """Rule 10: the stage set, else the one after the current stage (the top targets
    itself); none for a dimension without a score and without a set target."""
    if set_id is not None:
        return questionnaire.stage_for_id(set_id)
    if score is None:
        return None
    current = questionnaire.stage_for(score + TOLERANCE)
    position = questionnaire.stages.index(current) if current else 0
    return questionnaire.stages[min(position + 1, len(questionnaire.stages) - 1)]


def _ranks(
    questionnaire: Questionnaire,
    result: AssessmentResult,
    priorities: Mapping[str, float | None],
) -> dict[str, int]:
    """Rule 10: highest priority first, ties by lower score, then file order; dimensions
    without a score after every scored one, in file order."""
    figures = result.total.dimensions
    scored = []
    unscored = []
    for index, dimension in enumerate(questionnaire.dimensions):
        priority, score = priorities[dimension.id], figures[dimension.id].score
        if score is None or priority is None:
            unscored.append(dimension.id)
        else:
            scored.append((-priority, score, index, dimension.id))
    order = [d for *_, d in sorted(scored)] + unscored
    return {d: rank for rank, d in enumerate(order, start=1)}


def _quadrants(questionnaire: Questionnaire, result: AssessmentResult) -> dict[str, str | None]:
    """Rule 11, only where every dimension has an importance and an overall score exists:
    importance against the unweighted mean importance weight, score against overall."""
    none: dict[str, str | None] = {d.id: None for d in questionnaire.dimensions}
    overall = result.total.overall.score
    if not result.answered or overall is None:
        return none
    weights = [result.answered[d.id].importance_weight for d in questionnaire.dimensions]
    if any(w is None for w in weights):
        return none
    present = [w for w in weights if w is not None]
    mean = sum(present) / len(present)
    quadrants = dict(none)
    for dimension, weight in zip(questionnaire.dimensions, present, strict=True):
        score = result.total.dimensions[dimension.id].score
        if score is None:
            continue
        important = weight + TOLERANCE >= mean
        performing = score + TOLERANCE >= overall
        quadrants[dimension.id] = {
            (True, False): "concentrate",
            (True, True): "keep-up",
            (False, False): "low-priority",
            (False, True): "possible-overkill",
        }[(important, performing)]
    return quadrants
