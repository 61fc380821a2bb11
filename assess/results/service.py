"""What a viewer may see of an assessment's results: the responses counted, what of them
may be shown, and the score output of a request (grouping, a filter, the trace)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from sqlmodel import Session

from assess.domain.advice import advise
from assess.domain.answers import Response, chunks_of
from assess.domain.consensus import Consensus
from assess.domain.disclosure import Coded, Disclosure, decide, few
from assess.domain.explain import explain
from assess.domain.few_answers import without_few_answers
from assess.domain.grouping import (
    MIN_GROUP_RESPONDENTS,
    UnknownQuestion,
    resolve_group_by,
)
from assess.domain.itemstats import item_statistics
from assess.domain.merging import Groups, groups_from, merged_questionnaire, merged_responses
from assess.domain.questionnaire import Questionnaire
from assess.domain.results import AssessmentResult
from assess.domain.scoring import divergence, respondent_scores, score_assessment, table_from_chunks
from assess.persistence.models.assessments import Assessment, AssessmentKind
from assess.persistence.repository.responses import submitted_with_ids
from assess.results.errors import NotShown, Refused
from assess.results.filtered import kept, study_profile
from assess.results.organisation_profile import organisation_profile
from assess.results.releases import Step, groups_of, keys_of, latest, step_of, verdicts_of
from assess.results.withheld import (
    every_hidden_group,
    with_suppressed,
    without_extremes,
    without_thin_items,
)


def k_of(assessment: Assessment, benchmark_k: int) -> int:
    """The smallest group an assessment's figures describe (see smallest_group)."""
    return smallest_group(benchmark_k, study=assessment.kind == AssessmentKind.study)


def smallest_group(benchmark_k: int, *, study: bool) -> int:
    """The smallest group figures describe: k of a study (the benchmark k),
    MIN_GROUP_RESPONDENTS within one organisation."""
    return benchmark_k if study else MIN_GROUP_RESPONDENTS


def merged_departments(assessment: Assessment) -> Groups:
    """The departments an assessment's results merge now (never in a study)."""
    if assessment.kind == AssessmentKind.study:
        return ()
    return groups_from(assessment.department_groups)


@dataclass(frozen=True)
class Figures:
    """The responses a viewer's figures count, what of them may be shown, and where the
    releases stand."""

    questionnaire: Questionnaire
    responses: list[Response]
    verdicts: Disclosure
    step: Step
    live: bool
    study: bool
    # What advice is given for: the assessment's target stages, and the organisation's
    # saved profile (none in a study, where each answers for their own: see study_profile).
    targets: dict[str, str] = field(default_factory=dict)
    profile: dict[str, Any] | None = None
    # After a workshop: the consensus answers that count for every respondent; none as
    # answered.
    consensus: tuple[Consensus, ...] = ()

    @property
    def shown(self) -> bool:
        """Whether there are figures to show: responses counted, and allowed as a whole."""
        return self.verdicts.whole and bool(self.responses)

    @property
    def agreed(self) -> dict[str, Any]:
        """Item id -> consensus answer, as scoring after the workshop takes them."""
        return {c.item: c.answer for c in self.consensus}


def figures_for(
    session: Session,
    assessment: Assessment,
    questionnaire: Questionnaire,
    *,
    live: bool,
    k: int,
    make: bool = True,
) -> Figures:
    """What a viewer sees: with `live` (the assessment's own consultants and admins,
    never in a study) every submitted response; else the latest release, made now if at
    least k responses came since the one before (unless `make` is false). Merged
    departments count as one group: live as they are merged now, in a release as they
    were when it was made."""
    submitted = submitted_with_ids(session, assessment_id=assessment.id)
    ids = [rid for rid, _ in submitted]
    study = assessment.kind == AssessmentKind.study
    merged = merged_departments(assessment)
    targets = dict(assessment.targets or {})
    profile = {} if study else organisation_profile(session, assessment, questionnaire)
    if live and not study:
        questionnaire = merged_questionnaire(questionnaire, merged)
        responses = merged_responses([r for _, r in submitted], merged)
        keys = keys_of(questionnaire, responses)
        verdicts = decided(_frozen(keys), len(responses), k)
        if not verdicts.whole:  # they see single respondents anyway; groups stay hidden
            coded = {q: Coded(tuple(a)) for q, a in keys.items()}
            hidden = {(q, v): few(verdicts.k) for q, c in coded.items() for v in c.values}
            verdicts = Disclosure(verdicts.k, len(responses), coded, True, hidden)
        step = Step(None, len(responses), len(ids), None, None)
        return Figures(questionnaire, responses, verdicts, step, True, study, targets, profile)
    release = latest(session, assessment.id, questionnaire, submitted, k, make=make, merged=merged)
    counted = set(release.responses) if release else set()
    questionnaire = merged_questionnaire(questionnaire, groups_of(release))
    responses = merged_responses([r for rid, r in submitted if rid in counted], groups_of(release))
    keys = keys_of(questionnaire, responses)
    if release is None:
        verdicts = Disclosure(max(k, 3), 0, {})
    else:
        verdicts = verdicts_of(release, keys, len(responses))
        if len(responses) < len(release.responses):  # answers were erased since
            verdicts = narrowed(verdicts, decided(_frozen(keys), len(responses), k))
    step = step_of(release, len(responses), ids, verdicts.k)
    return Figures(questionnaire, responses, verdicts, step, False, study, targets, profile)


Frozen = tuple[tuple[str, tuple[str | None, ...]], ...]


def _frozen(keys: Mapping[str, Sequence[str | None]]) -> Frozen:
    return tuple((q, tuple(answers)) for q, answers in keys.items())


@lru_cache(maxsize=256)
def decided(keys: Frozen, total: int, k: int) -> Disclosure:
    """What may be shown of respondents answering `keys`, seen on their own; the same
    responses give the same verdicts, so a process decides them once (never changed
    by its callers)."""
    return decide(dict(keys), total, k)


def narrowed(verdicts: Disclosure, also: Disclosure) -> Disclosure:
    """What both decisions allow: any part of what may be shown may be shown."""
    hidden = {**also.hidden, **verdicts.hidden}
    for question, code in verdicts.coded.items():
        for value in code.values:
            reason = also.reason(question, value)
            if reason and (question, value) not in hidden:
                hidden[(question, value)] = reason
    return replace(
        verdicts,
        whole=verdicts.whole and also.whole,
        hidden=hidden,
        crossings=verdicts.crossings & also.crossings,
    )


def refuse_unless_shown(figures: Figures) -> None:
    """NotShown while nothing may be shown: fewer than k responses, none released yet."""
    if figures.verdicts.whole:
        return
    k, step = figures.verdicts.k, figures.step
    raise NotShown(
        f"Results are shown from {k} submitted responses on, so that no one can be "
        f"recognised: fewer than {k} are counted yet ({step.submitted} submitted; the "
        f"first figures come after {step.next_after} more)."
    )


def scored(
    figures: Figures,
    group_by: list[str] | None,
    filters: list[str],
    *,
    with_trace: bool = False,
) -> dict[str, Any]:
    """The score output of a viewer's figures, filtered and grouped, every group that may
    not be shown left out and named; NotShown or Refused where the request cannot be met."""
    refuse_unless_shown(figures)
    questionnaire, verdicts = figures.questionnaire, figures.verdicts
    if figures.study and group_by is None:
        group_by = []  # a study shows its groups only when asked
    try:
        names = resolve_group_by(questionnaire, group_by)
    except UnknownQuestion as exc:
        raise Refused(str(exc)) from None
    if figures.study:
        for question in names:
            _groupable(questionnaire, question, "group_by")
    within = _within(figures, filters, names)
    responses = (
        figures.responses if within is None else kept(questionnaire, figures.responses, within)
    )
    profile = study_profile(questionnaire, responses, within) if figures.study else figures.profile
    result = score_assessment(
        questionnaire,
        responses,
        names,
        targets=figures.targets,
        profile=profile,
        consensus=figures.agreed,
    )
    if not figures.live:
        agreed = set(figures.agreed)
        result = without_few_answers(questionnaire, result, responses, verdicts.k, agreed)
    result = _shown(questionnaire, result, verdicts, within)
    output = result.to_dict()
    if figures.study:
        output = with_suppressed(questionnaire, output, result, verdicts, within)
    if not figures.live:
        output["release"] = figures.step.to_dict()
        without_extremes(output)
        if not figures.study:
            every_hidden_group(questionnaire, output)
    if with_trace:
        output["explain"] = trace(questionnaire, responses, figures.agreed)
        if not figures.live:
            without_thin_items(output["explain"], verdicts.k)
    return output


def item_figures(figures: Figures) -> dict[str, Any]:
    """Item statistics of a viewer's figures; in a release, none of an item fewer than k
    answered, and no reliability of a level fewer than k answered in full."""
    refuse_unless_shown(figures)
    output = item_statistics(figures.questionnaire, figures.responses).to_dict()
    if figures.live:
        return output
    k = figures.verdicts.k
    for dimension in output["dimensions"].values():
        complete = (dimension["n"] or 0) >= k
        if not complete:
            dimension["alpha"] = None
        for item in dimension["items"].values():
            if not complete:
                item["item_total_r"] = item["alpha_if_deleted"] = None
            if (item["n"] or 0) < k:
                item["mean"] = item["sd"] = None
    return output


def _within(figures: Figures, filters: list[str], names: list[str]) -> tuple[str, str] | None:
    """The filter of a request, checked against what may be shown; None without one."""
    if not filters:
        return None
    if len(filters) > 1:
        raise Refused("Results take one filter at a time; drop all but one.")
    question, _, value = filters[0].partition(":")
    profile = figures.questionnaire.profile_question(question)
    if profile is None or not value:
        raise Refused(f"filter '{filters[0]}': use question:value, e.g. department:sales")
    if figures.study:
        _groupable(figures.questionnaire, question, "filter")
    reason = figures.verdicts.reason(question, value)
    # Live, a value nobody gave shows empty figures; in a release it reads like a small
    # group, so that nobody learns whether one or two gave it.
    nobody = figures.live and figures.verdicts.coded.get(question, Coded(())).count(value) == 0
    if reason is None or nobody:  # nobody gave it: empty figures describe no one
        for grouped in names:  # the default grouping as much as one asked for
            reason = figures.verdicts.crossing_refused(question, grouped)
            if reason:
                raise Refused(f"filter '{filters[0]}' is not shown with this grouping: {reason}")
        return question, value
    k = figures.verdicts.k
    raise Refused(
        f"filter '{filters[0]}' is not shown ({reason}): its figures, set against the "
        f"others shown, would describe or let anyone work out fewer than {k} respondents; "
        "widen the filter or leave it out"
    )


def _groupable(questionnaire: Questionnaire, question: str, what: str) -> None:
    profile = questionnaire.profile_question(question)
    if profile is None or profile.type == "text":
        known = ", ".join(q.id for q in questionnaire.profile if q.type != "text") or "none"
        raise Refused(
            f"{what} '{question}': a study aggregates by its profile questions with fixed "
            f"answers ({known}); free texts are never grouped"
        )


def _shown(
    questionnaire: Questionnaire,
    result: AssessmentResult,
    verdicts: Disclosure,
    within: tuple[str, str] | None,
) -> AssessmentResult:
    """A result with every group that may not be shown left out, and named as hidden;
    its advice given anew, since divergence conditions use the groups shown."""
    groups, hidden = {}, {}
    for question, found in result.groups.items():
        groups[question] = {
            value: figures
            for value, figures in found.items()
            if verdicts.reason_within(question, value, within) is None
        }
        withheld = [value for value in found if value not in groups[question]]
        if withheld:
            hidden[question] = withheld
    spreads = {q: divergence(questionnaire, g) for q, g in groups.items()}
    return advise(questionnaire, replace(result, groups=groups, divergence=spreads, hidden=hidden))


def trace(
    questionnaire: Questionnaire,
    responses: list[Response],
    consensus: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The `explain` of the responses a result counts (after a workshop with `consensus`)."""
    chunks = chunks_of(responses, questionnaire)
    table = table_from_chunks(questionnaire, chunks, keep_items=True, consensus=consensus)
    return explain(questionnaire, responses, respondent_scores(questionnaire, table)).to_dict()
