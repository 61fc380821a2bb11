"""One level (dimension) of a report: its score and stage in the level's own words, its
target and the gap to it, its importance and "can't judge" share, its items ranked, the
distribution of their answers as a chart, and the roadmap's steps for it."""

from __future__ import annotations

from dataclasses import dataclass

from assess.domain.explain import DimensionTrace, ItemTrace
from assess.domain.questionnaire import (
    DK_VALUE,
    NA_VALUE,
    Dimension,
    Questionnaire,
    ScaleItem,
    Stage,
    localized,
)
from assess.domain.results import Answered, AssessmentResult, Standing
from assess.reporting import charts
from assess.reporting.branding import Branding
from assess.reporting.inputs import Meta
from assess.reporting.roadmap import Step
from assess.reporting.stages import stage_description, stage_name


@dataclass(frozen=True)
class ItemLine:
    """An item as a report lists it."""

    text: str
    trace: ItemTrace


@dataclass(frozen=True)
class Level:
    """One dimension of the questionnaire with everything its section shows."""

    dimension: Dimension
    name: str
    description: str
    score: float | None
    stage: Stage | None
    next_stage: Stage | None
    stage_name: str  # the stage in this level's own words, else the stage's
    stage_description: str
    next_name: str
    next_description: str
    target: str | None  # the target stage's name on this level
    standing: Standing  # target, gap, priority, rank, quadrant
    answered: Answered  # "can't judge" share, importance
    n: int
    trace: DimensionTrace
    items: list[ItemLine]
    best: list[ItemLine]
    worst: list[ItemLine]
    recommendations: list[Step]  # in roadmap order
    distribution_svg: str
    legend: list[tuple[str, charts.Swatch]]  # answer label, its colour in the chart
    change: float | None


def level_of(
    questionnaire: Questionnaire,
    dimension: Dimension,
    trace: DimensionTrace,
    result: AssessmentResult,
    steps: list[Step],
    meta: Meta,
    language: str,
    unanswered: tuple[str, str],
    branding: Branding,
) -> Level:
    """One dimension's section of the report: its score, stage, target, items, chart and
    the roadmap's steps for it."""
    figures = result.total.dimensions[dimension.id]
    items = [
        ItemLine(localized(i.text, language), t)
        for i, t in zip(dimension.items, trace.items, strict=True)
    ]
    ranked = sorted(
        (line for line in items if line.trace.mean_score is not None),
        key=lambda x: x.trace.mean_score or 0.0,
    )
    stage = questionnaire.stage_for_id(figures.stage)
    later = [
        s for s in questionnaire.stages if figures.score is not None and s.min_score > figures.score
    ]
    next_stage = later[0] if later else None
    standing = result.standing.get(dimension.id, Standing())
    target = questionnaire.stage_for_id(standing.target)
    previous = (meta.previous or {}).get(dimension.id)
    answers, labels = _answer_scale(questionnaire, dimension, language, unanswered)
    return Level(
        dimension=dimension,
        name=localized(dimension.name, language),
        description=localized(dimension.description, language),
        score=figures.score,
        stage=stage,
        next_stage=next_stage,
        stage_name=stage_name(dimension, stage, language) if stage else "–",
        stage_description=stage_description(dimension, stage, language) if stage else "",
        next_name=stage_name(dimension, next_stage, language) if next_stage else "",
        next_description=(stage_description(dimension, next_stage, language) if next_stage else ""),
        target=stage_name(dimension, target, language) if target else None,
        standing=standing,
        answered=result.answered.get(dimension.id, Answered()),
        n=figures.summary.n,
        trace=trace,
        items=items,
        best=ranked[::-1][:3],
        worst=ranked[:3],
        recommendations=[s for s in steps if s.dimension.id == dimension.id],
        distribution_svg=charts.distribution(
            [line.text for line in items],
            [line.trace.distribution for line in items],
            answers,
            localized(dimension.name, language),
            accent=branding.accent,
        ),
        legend=list(zip(labels, charts.answer_swatches(answers, branding.accent), strict=True)),
        change=None if previous is None or figures.score is None else figures.score - previous,
    )


def _answer_scale(
    questionnaire: Questionnaire,
    dimension: Dimension,
    language: str,
    unanswered: tuple[str, str],
) -> tuple[list[str], list[str]]:
    """The answers the distribution chart stacks, in order, and their legend labels:
    can't judge (where an item offers it) and not applicable (`unanswered` names them)
    last, whatever an option list says."""
    seen: dict[str, str] = {}
    for item in dimension.items:
        for value, label in _answers_of(questionnaire, item, language):
            seen.setdefault(value, label)
    seen.pop(NA_VALUE, None)
    seen.pop(DK_VALUE, None)
    cant_judge, not_applicable = unanswered
    if any(item.allow_dont_know for item in dimension.items):
        seen[DK_VALUE] = cant_judge
    seen[NA_VALUE] = not_applicable
    return list(seen), list(seen.values())


def _answers_of(questionnaire: Questionnaire, item: object, language: str) -> list[tuple[str, str]]:
    options = getattr(item, "options", None)
    if options is not None:
        return [(o.value, localized(o.label, language)) for o in options]
    if isinstance(item, ScaleItem):
        low, high = questionnaire.scale_of(item)
        return [(str(v), str(v)) for v in range(low, high + 1)]
    return [("yes", "✓"), ("no", "✗")]
