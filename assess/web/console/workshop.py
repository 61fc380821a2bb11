"""The agenda of a consensus workshop as a page, for those who run the assessment: the
items on which the groups differ most, per group its mean item score as a bar and its
answers, a question for the discussion and a link to record the consensus."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from assess.domain.formatting import score_text
from assess.domain.questionnaire import localized
from assess.domain.workshop import workshop_groupings
from assess.persistence.models.assessments import AssessmentKind
from assess.persistence.repository.accounts import organisation_for
from assess.persistence.repository.questionnaires import questionnaire_of_assessment
from assess.results.workshop import workshop_of
from assess.web.actions.workshop import agenda_view
from assess.web.console.access import ConsoleProblem, StaffDep, assessment_of

router = APIRouter(include_in_schema=False)


@router.get("/assessments/{assessment_id}/workshop")
def workshop_page(
    assessment_id: uuid.UUID, staff: StaffDep, group_by: str | None = None
) -> HTMLResponse:
    """The agenda, grouped as chosen (by department unless another question asked of each
    respondent is), or why there is nothing to discuss."""
    assessment = assessment_of(staff, assessment_id, run=True)
    if assessment.kind == AssessmentKind.study:
        raise ConsoleProblem(409, "not_for_studies")
    questionnaire = questionnaire_of_assessment(staff.session, assessment=assessment)
    language = staff.language if staff.language in questionnaire.languages else None
    language = language or questionnaire.languages[0]
    settings = staff.request.app.state.settings
    chosen = group_by if group_by in workshop_groupings(questionnaire) else None
    workshop = workshop_of(
        staff.session, assessment, benchmark_k=settings.benchmark_k, group_by=chosen
    )
    organisation = organisation_for(
        staff.session, user=staff.user, organisation_id=assessment.organisation_id
    )
    groupings = {
        q.id: localized(q.text, language)
        for q in workshop.questionnaire.profile
        if q.id in workshop.groupings
    }
    return staff.render(
        "console/workshop.html.j2",
        assessment=assessment,
        organisation=organisation,
        questionnaire=questionnaire,
        agenda=agenda_view(workshop, assessment.id, language),
        groupings=groupings,
        score=lambda value: score_text(value, staff.language),
    )
