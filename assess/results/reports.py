"""What the report of an assessment shows, gathered from the database: the figures of its
latest release (a report leaves the hands of those who run the assessment), scored for
the report with the disclosure rules, who and what it is about, its earlier wave and its
peer benchmark. The job side (assess/jobs/reports.py) hands these to assess/reporting,
which renders them and scores nothing."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlmodel import Session

from assess.domain.comparison import Comparison
from assess.domain.consensus import Consensus
from assess.domain.few_answers import without_few_answers
from assess.domain.questionnaire import Questionnaire
from assess.domain.report_scores import ReportScores, report_scores
from assess.domain.results import GroupResult
from assess.domain.scoring import score_assessment
from assess.persistence.models.assessments import Assessment
from assess.persistence.repository.assessments import counts_of, organisation_of
from assess.persistence.repository.peer_groups import comparison_of_organisation
from assess.persistence.repository.questionnaires import questionnaire_of, version_by_id
from assess.persistence.repository.reports import earlier_waves
from assess.results.errors import NotReportable
from assess.results.service import Figures, figures_for, k_of
from assess.results.views import ANSWERED, WORKSHOP, View, has_consensus, in_view


@dataclass(frozen=True)
class ReportFacts:
    """Everything the report of one assessment shows, apart from its language and
    branding."""

    questionnaire: Questionnaire  # with the departments its figures merge
    scores: ReportScores
    organisation: str
    assessment: str
    wave: str | None
    day: date  # the day it closed; today while it is open
    invited: int | None  # None for answers imported from files
    sha256: str
    previous: dict[str, float | None] | None  # the earlier wave's score per level
    previous_label: str | None
    benchmark: Comparison
    languages: list[str]  # the questionnaire's, its first the report's default
    extremes: bool  # whether the lowest and highest scores may be shown
    # As answered or after the workshop where the assessment has consensus answers (None:
    # it has none and a report says nothing of views); after it, those counted.
    view: View | None = None
    consensus: tuple[Consensus, ...] = ()


def released_figures(
    session: Session, assessment: Assessment, questionnaire: Questionnaire, *, benchmark_k: int
) -> Figures:
    """The figures a report of the assessment shows, its latest release; NotReportable
    while there is none to show."""
    k = k_of(assessment, benchmark_k)
    figures = figures_for(session, assessment, questionnaire, live=False, k=k)
    if not figures.step.submitted:
        raise NotReportable("there are no submitted responses to report on yet")
    if not figures.verdicts.whole:
        raise NotReportable(
            f"reports show results from {figures.verdicts.k} submitted responses on, so "
            f"that no one can be recognised; {figures.step.submitted} are submitted so far"
        )
    return figures


def scores_of(figures: Figures) -> ReportScores:
    """The report's scores of a viewer's figures: groups shown as their release decided
    (as the responses alone decide while nothing may be shown), advice for the
    assessment's targets and the organisation's saved profile; of a release, without
    item scores and importance fewer than k gave (a consensus answer's stays, as in the
    results)."""
    verdicts = figures.verdicts if figures.verdicts.whole else None
    scores = report_scores(
        figures.questionnaire,
        figures.responses,
        verdicts,
        targets=figures.targets,
        profile=figures.profile,
        consensus=figures.agreed,
    )
    if figures.live:
        return scores
    result = without_few_answers(
        figures.questionnaire, scores.result, figures.responses, scores.k, set(figures.agreed)
    )
    return replace(scores, result=result)


def report_facts(
    session: Session,
    assessment: Assessment,
    *,
    benchmark_k: int,
    figures: Figures | None = None,
    view: View = ANSWERED,
) -> ReportFacts:
    """What the report of an assessment shows, with its earlier wave if one is
    comparable and its peer benchmark: its latest release unless `figures` are given
    (in `view`: after the workshop they carry the consensus answers); NotReportable
    while there is none to show."""
    version = version_by_id(session, version_id=assessment.questionnaire_version_id)
    organisation = organisation_of(session, assessment=assessment)
    questionnaire = questionnaire_of(version)
    if figures is None:
        figures = released_figures(session, assessment, questionnaire, benchmark_k=benchmark_k)
        figures = in_view(session, assessment, figures, view)
    counts = counts_of(session, assessment_id=assessment.id)
    previous, previous_label = _earlier_wave(session, assessment, questionnaire)
    return ReportFacts(
        questionnaire=figures.questionnaire,
        scores=scores_of(figures),
        organisation=organisation.name,
        assessment=assessment.name,
        wave=assessment.wave,
        day=assessment.closed_at.date() if assessment.closed_at else date.today(),
        # Answers imported from files have no invitation: no response rate then.
        invited=counts.invited if counts.invited >= counts.submitted else None,
        sha256=version.sha256,
        previous=previous,
        previous_label=previous_label,
        benchmark=comparison_of_organisation(
            session,
            questionnaire=questionnaire,
            organisation=organisation,
            responses=figures.responses,
            k=benchmark_k,
        ),
        languages=questionnaire.languages,
        extremes=figures.live,
        view=view if view == WORKSHOP or has_consensus(session, assessment) else None,
        consensus=figures.consensus if view == WORKSHOP else (),
    )


def released_total(
    session: Session, assessment: Assessment, questionnaire: Questionnaire, *, benchmark_k: int
) -> GroupResult:
    """The whole assessment's figures as released to the client, as a portfolio's
    overview shows them; NotReportable while there are none to show."""
    figures = released_figures(session, assessment, questionnaire, benchmark_k=benchmark_k)
    return score_assessment(questionnaire, figures.responses).total


def _earlier_wave(
    session: Session, assessment: Assessment, questionnaire: Questionnaire
) -> tuple[dict[str, float | None] | None, str | None]:
    """Scores per level of the newest earlier closed wave whose questionnaire has the same
    levels (dimension ids), and its label."""
    levels = {d.id for d in questionnaire.dimensions}
    for earlier, result in earlier_waves(session, assessment=assessment):
        if result.get("released") is False:
            continue  # too few responses to be shown as that wave's figures
        dimensions = result.get("dimensions") or {}
        if set(dimensions) == levels:
            scores = {d: dimensions[d].get("score") for d in levels}
            return scores, earlier.wave or earlier.name
    return None, None
