"""On an assessment's page: the stage each dimension aims at, and which respondent is the
lead (who answers the items asked of one person)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from fastapi.responses import Response

from assess.persistence.models.assessments import AssessmentKind
from assess.persistence.repository.invitations import LeadTaken, invitation_in
from assess.persistence.repository.questionnaires import questionnaire_of_assessment
from assess.web.actions.lead import mark_lead
from assess.web.actions.targets import change_targets
from assess.web.console.access import FormDep, StaffDep, assessment_of, see_other, text_field
from assess.web.console.assessment import assessment_view
from assess.web.console.respondent_list import ListProblem

router = APIRouter(include_in_schema=False)
TARGET_FIELD = "target-"  # one select per dimension, `target-<dimension id>`


@router.post("/assessments/{assessment_id}/targets", response_model=None)
def set_targets(assessment_id: uuid.UUID, staff: StaffDep, form: FormDep) -> Response:
    """Keep the target stage chosen for each dimension (none: the next stage)."""
    assessment = assessment_of(staff, assessment_id, run=True)
    questionnaire = questionnaire_of_assessment(staff.session, assessment=assessment)
    stages = {stage.id for stage in questionnaire.stages}
    chosen = {d.id: text_field(form, TARGET_FIELD + d.id, 64) for d in questionnaire.dimensions}
    problems = [
        ListProblem(0, "unknown_stage", stage)
        for stage in chosen.values()
        if stage and stage not in stages
    ]
    if problems:
        kept = {d: s for d, s in chosen.items() if s}
        return assessment_view(
            staff, assessment, 422, setting_problems=problems, chosen_targets=kept
        )
    given: dict[str, str | None] = {d: s or None for d, s in chosen.items()}
    change_targets(staff.session, assessment, questionnaire, given, staff.user, via="console")
    return see_other(f"/assessments/{assessment.id}", done="targets_set")


@router.post("/assessments/{assessment_id}/respondents/{invitation_id}/lead", response_model=None)
def set_lead(
    assessment_id: uuid.UUID, invitation_id: uuid.UUID, staff: StaffDep, form: FormDep
) -> Response:
    """Make a respondent the lead (`lead=yes`), or no longer the lead."""
    assessment = assessment_of(staff, assessment_id, run=True)
    invitation = invitation_in(
        staff.session, assessment_id=assessment.id, invitation_id=invitation_id
    )
    if assessment.kind == AssessmentKind.study or invitation is None:
        problem = ListProblem(0, "no_respondent")
        return assessment_view(staff, assessment, 404, setting_problems=[problem])
    lead = text_field(form, "lead") == "yes"
    try:
        mark_lead(staff.session, invitation, lead, staff.user, via="console")
    except LeadTaken as exc:
        problem = ListProblem(0, "lead_taken", exc.label)
        return assessment_view(staff, assessment, 422, setting_problems=[problem])
    return see_other(f"/assessments/{assessment.id}", done="lead_set" if lead else "lead_removed")
