"""The scoring rules of QUESTIONNAIRE_FORMAT.md, as pure functions.

Item scores of all respondents form one matrix (respondents x items, NaN where an
item has no score); rules 2 to 5 work on that matrix, so the same code scores one
response from the web and a million rows from a CSV file.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from assess.domain.advice import advise
from assess.domain.agreement import ci95, rwg, significant
from assess.domain.answer_files import iter_chunks
from assess.domain.answers import SKIPPED, Chunk, DontKnow, NotApplicable, Response, chunks_of
from assess.domain.disclosure import Disclosure, disclose
from assess.domain.grouping import group_key, ordered_groups, resolve_group_by
from assess.domain.questionnaire import ChoiceItem, Questionnaire, ScaleItem
from assess.domain.results import (
    AssessmentResult,
    Certainty,
    DimensionFigures,
    Divergence,
    GroupResult,
    Overall,
    RespondentScore,
)
from assess.domain.statistics import summarize
from assess.domain.tally import ItemType as ItemType
from assess.domain.tally import Matrix as Matrix
from assess.domain.tally import Tally

# Float noise (1e-14) must never move a score below a stage threshold it reaches exactly.
TOLERANCE = 1e-9


def item_score(questionnaire: Questionnaire, item: ItemType, value: object) -> float | None:
    """Rule 1: an answer's score in [0, 100]; None for skipped, not applicable or can't
    judge."""
    if value is None or value is SKIPPED or isinstance(value, NotApplicable | DontKnow):
        return None
    if isinstance(item, ScaleItem):
        low, high = questionnaire.scale_of(item)
        # (answer - min) * 100 / (max - min): the formula's value, rounded once, not twice.
        score = (float(value) - low) * 100 / (high - low)  # type: ignore[arg-type]
        return 100 - score if item.reverse else score
    if isinstance(item, ChoiceItem):
        return next(o.score for o in item.options if o.value == value)
    return 100.0 if value else 0.0


@dataclass(frozen=True)
class ScoreTable:
    """Per respondent: dimension scores and coverage (NaN: no score), group-by answers,
    and, when kept, the item scores behind them; and the counts of rules 6 to 9."""

    respondents: list[str]
    dimensions: Matrix
    coverage: Matrix
    groups: dict[str, list[str | None]]
    items: Matrix | None = None
    tally: Tally | None = None


def table_from_chunks(
    questionnaire: Questionnaire,
    chunks: Iterable[Chunk],
    group_by: Sequence[str] = (),
    *,
    keep_items: bool = False,
    lend: bool = True,
    consensus: Mapping[str, Any] | None = None,
) -> ScoreTable:
    """Rules 1 to 3 (and 6) for every respondent of the chunks; each distinct answer
    scored once. Without `lend`, lead items are scored as each row holds them (rows of
    several assessments, the lead's answers already lent to each). With `consensus`
    (item id -> the answer a workshop agreed on), those items count with it for
    everyone, as a lead's answer does."""
    items = [item for _, item in questionnaire.items()]
    names: list[str] = []
    groups: dict[str, list[str | None]] = {q: [] for q in group_by}
    blocks: list[Matrix] = []
    tally = Tally.start(questionnaire)
    for chunk in chunks:
        n = len(chunk.respondents)
        names += chunk.respondents
        block = np.full((len(items), n), np.nan)
        scores_of: dict[str, list[float | None]] = {}
        for j, item in enumerate(items):
            coded = chunk.columns.get(item.id)
            if coded is not None:
                scores = [item_score(questionnaire, item, v) for v in coded.values]
                scores_of[item.id] = scores
                table = np.array([np.nan if s is None else s for s in scores] + [np.nan])
                block[j] = table[coded.codes]
        tally.add(chunk, scores_of)
        blocks.append(block)
        for question in group_by:
            coded = chunk.columns.get(question)
            if coded is None:
                groups[question] += [None] * n
            else:
                keys = coded.lookup([group_key(v) for v in coded.values], None)
                groups[question] += keys.tolist()
    # Items x respondents keeps each item's scores contiguous for rule 2.
    by_item = np.hstack(blocks) if blocks else np.empty((len(items), 0))
    if lend:
        tally.lend(by_item, lambda item, value: item_score(questionnaire, item, value))
    if consensus:
        tally.agree(by_item, consensus, lambda item, value: item_score(questionnaire, item, value))
    dims, coverage = dimension_matrix(questionnaire, by_item.T)
    return ScoreTable(names, dims, coverage, groups, by_item.T if keep_items else None, tally)


def dimension_matrix(questionnaire: Questionnaire, items: Matrix) -> tuple[Matrix, Matrix]:
    """Rule 2 for every respondent: (scores, coverage), respondents x dimensions."""
    by_item = items.T
    n = items.shape[0]
    scores = np.full((len(questionnaire.dimensions), n), np.nan)
    coverage = np.zeros_like(scores)
    start = 0
    for d, dimension in enumerate(questionnaire.dimensions):
        weights = [i.weight for i in dimension.items]
        block = by_item[start : start + len(weights)]
        start += len(weights)
        # Item by item in questionnaire order, each product and sum rounded once: the
        # same arithmetic any other implementation (the PostgreSQL export) can repeat to
        # the last bit, which a BLAS dot product (fused, reordered) does not promise.
        scored_weight = np.zeros(n)
        weighted_sum = np.zeros(n)
        for weight, scores_of_item in zip(weights, block, strict=True):
            answered = ~np.isnan(scores_of_item)
            scored_weight = scored_weight + np.where(answered, weight, 0.0)
            weighted_sum = weighted_sum + np.where(answered, weight * scores_of_item, 0.0)
        coverage[d] = scored_weight / math.fsum(weights)
        enough = (scored_weight > 0) & (coverage[d] >= questionnaire.min_coverage)
        scores[d, enough] = weighted_sum[enough] / scored_weight[enough]
    return scores.T, coverage.T


def overall_score(questionnaire: Questionnaire, scores: Sequence[float | None]) -> float | None:
    """Rule 3: weighted mean of dimension scores; absent if any dimension is absent."""
    if any(s is None or math.isnan(s) for s in scores):
        return None
    weights = [d.weight for d in questionnaire.dimensions]
    total = 0.0
    for weight, score in zip(weights, scores, strict=True):
        total += weight * score  # type: ignore[operator]  # checked above: no None
    # Summed in questionnaire order, as rule 2 sums items (see dimension_matrix).
    return total / math.fsum(weights)


def stage_id(questionnaire: Questionnaire, score: float | None) -> str | None:
    """Rule 4: the last stage whose min_score is at most the score."""
    if score is None:
        return None
    stage = questionnaire.stage_for(score + TOLERANCE)
    return stage.id if stage else None


def respondent_scores(questionnaire: Questionnaire, table: ScoreTable) -> list[RespondentScore]:
    """Rules 1-3 for each respondent of a table made with `keep_items=True`."""
    if table.items is None:
        raise ValueError("respondent scores need a table made with keep_items=True")
    item_ids = questionnaire.item_ids()
    dim_ids = [d.id for d in questionnaire.dimensions]
    result = []
    for r, name in enumerate(table.respondents):
        scores = [_number(x) for x in table.dimensions[r]]
        result.append(
            RespondentScore(
                name,
                {i: _number(x) for i, x in zip(item_ids, table.items[r], strict=True)},
                dict(zip(dim_ids, scores, strict=True)),
                {d: float(c) for d, c in zip(dim_ids, table.coverage[r], strict=True)},
                overall_score(questionnaire, scores),
            )
        )
    return result


def _number(value: Any) -> float | None:
    return None if math.isnan(value) else float(value)


def group_result(questionnaire: Questionnaire, dims: Matrix, first: int = 0) -> GroupResult:
    """Rule 5 for a set of respondents' dimension scores; rule 3 over the means. `first`:
    the row of the set's first respondent in the answers."""
    figures: dict[str, DimensionFigures] = {}
    for d, dimension in enumerate(questionnaire.dimensions):
        column = dims[:, d]
        summary = summarize(column[~np.isnan(column)])
        figures[dimension.id] = DimensionFigures(
            summary.mean, stage_id(questionnaire, summary.mean), summary
        )
    overall = overall_score(questionnaire, [f.score for f in figures.values()])
    stage = stage_id(questionnaire, overall)
    return GroupResult(dims.shape[0], Overall(overall, stage), figures, first)


def divergence(
    questionnaire: Questionnaire, groups: dict[str, GroupResult]
) -> dict[str, Divergence]:
    """Rule 5: spread of group means per dimension, flagged at the threshold; rule 14:
    whether it is significant (ties of means go to the group first in the answers)."""
    result = {}
    in_answers = sorted(groups.values(), key=lambda g: g.first)
    for dimension in questionnaire.dimensions:
        means = [g.dimensions[dimension.id].score for g in groups.values()]
        present = [m for m in means if m is not None]
        spread = max(present) - min(present) if present else None
        flagged = spread is not None and spread + TOLERANCE >= questionnaire.divergence_threshold
        summaries = [g.dimensions[dimension.id].summary for g in in_answers]
        result[dimension.id] = Divergence(spread, flagged, significant(summaries))
    return result


def score_table(
    questionnaire: Questionnaire,
    table: ScoreTable,
    *,
    min_group: int = 1,
    verdicts: Disclosure | None = None,
    targets: Mapping[str, str] | None = None,
    profile: Mapping[str, Any] | None = None,
) -> AssessmentResult:
    """Rules 2-12 over a whole table: organisation figures, groups, divergence, item
    figures and advice for the `targets` set (dimension -> stage id) and the
    organisation's `profile` (else the one the answers show). With
    `min_group` above 1, groups that would describe (or let anyone work out) fewer
    respondents are left out and named as hidden (see assess.domain.disclosure), as
    `verdicts` say when given (see grouping.profile_disclosure), else as the table's
    groups do."""
    dims = table.dimensions
    if verdicts is None and min_group > 1:
        verdicts = disclose(table.groups, len(table.respondents), min_group)
    groups: dict[str, dict[str, GroupResult]] = {}
    hidden: dict[str, list[str]] = {}
    for question, keys in table.groups.items():
        members = _members(keys)
        ordered = ordered_groups(questionnaire, question, set(members))
        withheld = [k for k in ordered if verdicts and verdicts.reason(question, k)]
        groups[question] = {
            key: group_result(questionnaire, dims[members[key]], int(members[key][0]))
            for key in ordered
            if key not in withheld
        }
        if withheld:
            hidden[question] = withheld
    tally = table.tally
    total = group_result(questionnaire, dims)
    result = AssessmentResult(
        questionnaire.id,
        questionnaire.version,
        total,
        groups,
        {question: divergence(questionnaire, g) for question, g in groups.items()},
        hidden,
        items=tally.item_figures() if tally else {},
        answered=tally.answered() if tally else {},
        certainty=certainty(total, tally.agreement() if tally else {}),
        targets=dict(targets or {}),
        profile=dict(profile if profile is not None else (tally.profile() if tally else {})),
    )
    return advise(questionnaire, result)


def certainty(
    total: GroupResult, agreement: Mapping[str, dict[str, tuple[float, int]]]
) -> dict[str, Certainty]:
    """Rules 13 and 14 for every dimension of the organisation."""
    found = {}
    for dim, figures in total.dimensions.items():
        ratios = agreement.get(dim, {})
        agreed = rwg([ratio for ratio, _ in ratios.values()])
        found[dim] = Certainty(agreed, ci95(figures.summary), ratios)
    return found


def _members(keys: Sequence[str | None]) -> dict[str, npt.NDArray[np.intp]]:
    """The rows of each group, in row order (rows without an answer in none)."""
    found = set(keys)
    found.discard(None)
    if not found:
        return {}
    column = np.array(keys, dtype=object)
    return {key: np.flatnonzero(column == key) for key in found if key is not None}


def score_assessment(
    questionnaire: Questionnaire,
    responses: Iterable[Response],
    group_by: Sequence[str] | None = None,
    *,
    min_group: int = 1,
    verdicts: Disclosure | None = None,
    targets: Mapping[str, str] | None = None,
    profile: Mapping[str, Any] | None = None,
    consensus: Mapping[str, Any] | None = None,
) -> AssessmentResult:
    """Score all responses of one organisation, grouped by profile questions (rule 5);
    groups that would describe fewer than `min_group` respondents withheld (as
    `verdicts` say, when given); advice for `targets` and `profile` (rules 6-12); with
    `consensus`, after a workshop (see table_from_chunks)."""
    names = resolve_group_by(questionnaire, group_by)
    chunks = chunks_of(responses, questionnaire)
    table = table_from_chunks(questionnaire, chunks, names, consensus=consensus)
    return score_table(
        questionnaire,
        table,
        min_group=min_group,
        verdicts=verdicts,
        targets=targets,
        profile=profile,
    )


def score_answers(
    raw: bytes,
    questionnaire: Questionnaire,
    group_by: Sequence[str] | None = None,
    *,
    file: str = "answers",
    kind: str | None = None,
    targets: Mapping[str, str] | None = None,
) -> AssessmentResult:
    """Score an answers file (CSV or JSON); AnswersError if any cell does not fit."""
    names = resolve_group_by(questionnaire, group_by)
    chunks = iter_chunks(raw, questionnaire, file=file, kind=kind)
    table = table_from_chunks(questionnaire, chunks, names)
    return score_table(questionnaire, table, targets=targets)
