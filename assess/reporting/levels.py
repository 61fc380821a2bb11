"""One level (dimension) of a report: its score and stage in the level's own words, how
sure the score is (rwg, its verdict, the 95 % interval), its target and the gap to it,
its importance and "can't judge" share, its statements ranked in their reading and its
questions as facts, the distribution of the statements' answers as a chart, and the
roadmap's steps for it."""

from __future__ import annotations

from dataclasses import dataclass, field

from assess.domain.answer_words import ANSWER_WORDS, answers_text
from assess.domain.certainty import (
    Strength,
    Verdict,
    readable,
    stages_within,
    strength,
    verdict,
    wide,
)
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
from assess.domain.results import Answered, AssessmentResult, Certainty, Standing
from assess.reporting import charts
from assess.reporting.answers import (
    Fact,
    Statement,
    best_and_worst,
    facts_of,
    ranked_statements,
)
from assess.reporting.branding import Branding
from assess.reporting.i18n import Translator
from assess.reporting.inputs import Meta
from assess.reporting.roadmap import Step
from assess.reporting.stages import stage_description, stage_name


@dataclass(frozen=True)
class ItemLine:
    """An item as a report lists it."""

    text: str
    trace: ItemTrace
    answers: str  # each answer in words with how often it was given: "Ja: 6 · Nein: 6"


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
    best: list[Statement]  # scale items only, highest first
    worst: list[Statement]  # lowest first
    facts: list[Fact]  # its choice and yes/no items with their answers
    recommendations: list[Step]  # in roadmap order
    distribution_svg: str  # of its statements; "" where it has none
    legend: list[tuple[str, charts.Swatch]]  # answer label, its colour in the chart
    change: float | None
    # How sure its score is (rules 13 and 14): rwg, the verdict it gives, the 95 % interval
    # as readers are told it (within 0 to 100) and whether it is wide.
    rwg: float | None = None
    verdict: Verdict = "unknown"
    interval: tuple[float, float] | None = None
    wide: bool = False
    # The other stages (names on this level) its interval reaches into: its stage is open.
    open_stages: list[str] = field(default_factory=list)
    # The divergence of the groups the report compares on this level, as readers are told
    # it ("clear" or "possible"; None where it is not flagged), and its spread.
    divergence: Strength | None = None
    spread: float | None = None


def level_of(
    questionnaire: Questionnaire,
    dimension: Dimension,
    trace: DimensionTrace,
    result: AssessmentResult,
    steps: list[Step],
    meta: Meta,
    translator: Translator,
    branding: Branding,
) -> Level:
    """One dimension's section of the report: its score, stage, target, items, chart and
    the roadmap's steps for it."""
    language = translator.language
    figures = result.total.dimensions[dimension.id]
    items = [
        ItemLine(
            localized(i.text, language),
            t,
            answers_text(i, t.distribution, language, translator.count),
        )
        for i, t in zip(dimension.items, trace.items, strict=True)
    ]
    # The item scores the result shows (a release leaves out those too few gave).
    scores = {i: f.score for i, f in result.items.items()}
    best, worst = best_and_worst(ranked_statements(dimension, trace.items, scores, translator))
    statements = [
        line for i, line in zip(dimension.items, items, strict=True) if isinstance(i, ScaleItem)
    ]
    stage = questionnaire.stage_for_id(figures.stage)
    later = [
        s for s in questionnaire.stages if figures.score is not None and s.min_score > figures.score
    ]
    next_stage = later[0] if later else None
    standing = result.standing.get(dimension.id, Standing())
    target = questionnaire.stage_for_id(standing.target)
    previous = (meta.previous or {}).get(dimension.id)
    answers, labels = _answer_scale(questionnaire, dimension, language)
    certainty = result.certainty.get(dimension.id, Certainty())
    # The grouping the report compares (its first), as the roadmap's conditions use it.
    spread = next((d.get(dimension.id) for d in result.divergence.values()), None)
    reached = stages_within(questionnaire, certainty.ci95)
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
        best=best,
        worst=worst,
        facts=facts_of(dimension, trace.items, translator),
        recommendations=[s for s in steps if s.dimension.id == dimension.id],
        distribution_svg=charts.distribution(
            [line.text for line in statements],
            [line.trace.distribution for line in statements],
            answers,
            localized(dimension.name, language),
            accent=branding.accent,
            ticks=[translator.percent(share / 100) for share in charts.SHARES],
        )
        if statements
        else "",
        legend=list(zip(labels, charts.answer_swatches(answers, branding.accent), strict=True))
        if statements
        else [],
        change=None if previous is None or figures.score is None else figures.score - previous,
        rwg=certainty.rwg,
        verdict=verdict(certainty.rwg),
        interval=readable(certainty.ci95),
        wide=wide(certainty.ci95),
        open_stages=[
            stage_name(dimension, other, language)
            for other in questionnaire.stages
            if other.id in reached and other.id != figures.stage
        ],
        divergence=strength(spread),
        spread=spread.spread if spread else None,
    )


def _answer_scale(
    questionnaire: Questionnaire, dimension: Dimension, language: str
) -> tuple[list[str], list[str]]:
    """The answers the distribution chart of the level's statements stacks, in order, and
    their legend labels: the scale's points (by their anchors' words where the scale
    names them), then can't judge (where a statement offers it) and not applicable, in
    the glossary's words."""
    statements = [item for item in dimension.items if isinstance(item, ScaleItem)]
    anchors = questionnaire.scale.labels if questionnaire.scale else {}
    points: dict[int, str] = {}
    for item in statements:
        low, high = questionnaire.scale_of(item)
        for value in range(low, high + 1):
            anchor = (item.labels or anchors).get(value)
            points.setdefault(value, localized(anchor, language) if anchor else str(value))
    answers = {str(value): points[value] for value in sorted(points)}
    if any(item.allow_dont_know for item in statements):
        answers[DK_VALUE] = localized(ANSWER_WORDS[DK_VALUE], language)
    answers[NA_VALUE] = localized(ANSWER_WORDS[NA_VALUE], language)
    return list(answers), list(answers.values())
