"""An assessment's results as a viewer may see them, from what is stored: its
questionnaire, the figures they see, each respondent's scores, its peer benchmark."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from assess.domain.answers import chunks_of
from assess.domain.results import RespondentScore
from assess.domain.scoring import respondent_scores, table_from_chunks
from assess.persistence.models.assessments import Assessment
from assess.persistence.repository.assessments import organisation_of
from assess.persistence.repository.peer_groups import comparison_of_organisation
from assess.persistence.repository.questionnaires import (
    questionnaire_of_assessment,
)
from assess.persistence.repository.responses import submitted_responses
from assess.results.service import Figures, figures_for, k_of, refuse_unless_shown
from assess.results.studies import refuse_unless_assessment
from assess.results.views import ANSWERED, View, in_view


def figures_of(
    session: Session,
    assessment: Assessment,
    *,
    live: bool,
    benchmark_k: int,
    view: View = ANSWERED,
) -> Figures:
    """The figures a viewer sees of an assessment: live for those who run its
    organisation (they may see single respondents anyway; never in a study), else its
    latest release (see figures_for); as answered, or after the workshop."""
    questionnaire = questionnaire_of_assessment(session, assessment=assessment)
    k = k_of(assessment, benchmark_k)
    figures = figures_for(session, assessment, questionnaire, live=live, k=k)
    return in_view(session, assessment, figures, view)


def respondents_scores(session: Session, assessment: Assessment) -> list[RespondentScore]:
    """Each respondent's scores; NotForStudies in a study, which has no single
    respondents to show."""
    refuse_unless_assessment(assessment, "single respondents' scores")
    questionnaire = questionnaire_of_assessment(session, assessment=assessment)
    responses = submitted_responses(session, assessment_id=assessment.id)
    table = table_from_chunks(questionnaire, chunks_of(responses, questionnaire), keep_items=True)
    return respondent_scores(questionnaire, table)


def benchmark_of(
    session: Session, assessment: Assessment, figures: Figures, benchmark_k: int
) -> dict[str, Any]:
    """Where the organisation stands among its peers with the scores of the figures a
    viewer sees; NotShown while nothing of them may be shown."""
    organisation = organisation_of(session, assessment=assessment)
    refuse_unless_shown(figures)
    questionnaire = figures.questionnaire
    comparison = comparison_of_organisation(
        session,
        questionnaire=questionnaire,
        organisation=organisation,
        responses=figures.responses,
        k=benchmark_k,
    )
    return {
        "assessment_id": str(assessment.id),
        "questionnaire": {"id": questionnaire.id, "version": questionnaire.version},
        "organisation_takes_part": organisation.benchmark_opt_in,
        **comparison.to_dict(),
    }
