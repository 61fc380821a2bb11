"""An assessment's departments page: how many were invited to each, which are too small
to be shown on their own, departments merged into named groups for the results, and
whether respondents may change the department their invitation assigned."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from assess.domain.merging import (
    MAX_NAME,
    DepartmentGroup,
    MergeError,
    checked_groups,
    department_options,
)
from assess.domain.questionnaire import Questionnaire, localized
from assess.persistence.models.assessments import Assessment, AssessmentKind
from assess.persistence.repository import departments as stored
from assess.persistence.repository.accounts import organisation_for
from assess.persistence.repository.questionnaires import (
    questionnaire_of_assessment,
)
from assess.results.service import merged_departments
from assess.web.api.departments import DepartmentWarning, save_departments, warnings_of
from assess.web.console.access import FormDep, Staff, StaffDep, assessment_of, see_other, text_field
from assess.web.pages.language import translations

router = APIRouter(include_in_schema=False)


def department_warnings(
    staff: Staff, assessment: Assessment, questionnaire: Questionnaire
) -> list[DepartmentWarning]:
    """The departments of an assessment too small to be shown on their own, in the
    page's language; none in a study."""
    if not department_options(questionnaire):
        return []
    language = staff.language if staff.language in questionnaire.languages else None
    benchmark_k = staff.request.app.state.settings.benchmark_k
    gettext = translations(staff.language).gettext
    return warnings_of(
        staff.session,
        assessment,
        questionnaire,
        benchmark_k,
        language or questionnaire.languages[0],
        gettext,
    )


@router.get("/assessments/{assessment_id}/departments")
def departments_page(assessment_id: uuid.UUID, staff: StaffDep) -> HTMLResponse:
    """Departments: invitees per department, warnings, merged groups, the setting."""
    assessment = assessment_of(staff, assessment_id, run=True)
    return _page(staff, assessment)


def _page(
    staff: Staff,
    assessment: Assessment,
    status: int = 200,
    *,
    name: str = "",
    chosen: Sequence[str] = (),
    problems: Sequence[str] = (),
) -> HTMLResponse:
    questionnaire = questionnaire_of_assessment(staff.session, assessment=assessment)
    language = staff.language if staff.language in questionnaire.languages else None
    language = language or questionnaire.languages[0]
    labels = {o.value: localized(o.label, language) for o in department_options(questionnaire)}
    organisation = organisation_for(
        staff.session, user=staff.user, organisation_id=assessment.organisation_id
    )
    groups = merged_departments(assessment)
    return staff.render(
        "console/departments.html.j2",
        status,
        assessment=assessment,
        organisation=organisation,
        study=assessment.kind == AssessmentKind.study,
        labels=labels,
        invited=stored.invited_by_department(staff.session, assessment_id=assessment.id),
        warnings=department_warnings(staff, assessment, questionnaire),
        groups=[(g, [labels.get(d, d) for d in g.departments]) for g in groups],
        merged={d for g in groups for d in g.departments},
        name=name,
        chosen=set(chosen),
        problems=list(problems),
        max_name=MAX_NAME,
        done=staff.request.query_params.get("done"),
    )


@router.post("/assessments/{assessment_id}/departments/changeable", response_model=None)
def set_changeable(assessment_id: uuid.UUID, staff: StaffDep, form: FormDep) -> Response:
    """Let respondents change the department their invitation assigned, or not."""
    assessment = assessment_of(staff, assessment_id, run=True)
    changeable = text_field(form, "changeable") == "yes"
    groups = merged_departments(assessment)
    save_departments(staff.session, staff.user, assessment, changeable, groups)
    return see_other(f"/assessments/{assessment.id}/departments", done="saved")


@router.post("/assessments/{assessment_id}/departments/groups", response_model=None)
def add_group(assessment_id: uuid.UUID, staff: StaffDep, form: FormDep) -> Response:
    """Merge departments into a named group for the results."""
    assessment = assessment_of(staff, assessment_id, run=True)
    questionnaire = questionnaire_of_assessment(staff.session, assessment=assessment)
    name = " ".join(text_field(form, "name", MAX_NAME).split())
    chosen = [value for value in form.getlist("department") if isinstance(value, str)]
    groups = merged_departments(assessment)
    problems = _problems(staff, groups, name, chosen)
    if not problems:
        entries = [(g.name, g.departments) for g in groups] + [(name, chosen)]
        try:
            merged = checked_groups(questionnaire, entries)
        except MergeError:
            problems = [translations(staff.language).gettext("Choose departments from the list.")]
    if problems:
        return _page(staff, assessment, 422, name=name, chosen=chosen, problems=problems)
    save_departments(
        staff.session, staff.user, assessment, assessment.departments_changeable, merged
    )
    return see_other(f"/assessments/{assessment.id}/departments", done="merged")


@router.post("/assessments/{assessment_id}/departments/groups/remove", response_model=None)
def remove_group(assessment_id: uuid.UUID, staff: StaffDep, form: FormDep) -> Response:
    """Show a merged group's departments on their own again."""
    assessment = assessment_of(staff, assessment_id, run=True)
    key = text_field(form, "key")
    kept = tuple(g for g in merged_departments(assessment) if g.key != key)
    save_departments(staff.session, staff.user, assessment, assessment.departments_changeable, kept)
    return see_other(f"/assessments/{assessment.id}/departments", done="removed")


def _problems(
    staff: Staff, groups: Sequence[DepartmentGroup], name: str, chosen: Sequence[str]
) -> list[str]:
    """What keeps a new group from being merged, in the page's language."""
    _ = translations(staff.language).gettext
    problems = []
    if not name or len(name) > MAX_NAME:
        problems.append(
            _("Give the group a name of at most %(max)s characters.") % {"max": MAX_NAME}
        )
    elif any(g.name.casefold() == name.casefold() for g in groups):
        problems.append(_("There is a group of this name already; choose another name."))
    if len(set(chosen)) < 2:
        problems.append(_("Choose at least two departments to merge."))
    taken = [g.name for g in groups if set(g.departments) & set(chosen)]
    if taken:
        problems.append(
            _("A department you chose is merged into “%(group)s” already; remove that group first.")
            % {"group": taken[0]}
        )
    return problems
