"""An assessment's departments in the API: how many were invited to each, which are too
small to be shown on their own, whether respondents may change the department their
invitation assigned, and which departments the results merge into one named group."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field, StrictBool
from sqlmodel import Session

from assess.domain.merging import (
    MAX_NAME,
    Groups,
    MergeError,
    checked_groups,
    department_options,
    stored_groups,
)
from assess.domain.questionnaire import Questionnaire
from assess.persistence.models.assessments import Assessment
from assess.persistence.repository import departments as stored
from assess.persistence.repository.audit import audit_now
from assess.persistence.repository.questionnaires import (
    questionnaire_of_assessment,
)
from assess.results.departments import small_departments_of
from assess.results.service import merged_departments
from assess.results.studies import refuse_unless_assessment
from assess.web.api.studies import NOT_FOR_STUDIES
from assess.web.deps import MANAGED, ManagedAssessmentDep, SessionDep, UserDep, declared

router = APIRouter(prefix="/api/v1", tags=["invitations"])


class DepartmentGroupIn(BaseModel):
    """Departments the results count as one group, under one name."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=MAX_NAME, examples=["Leitung und Vertrieb"])
    departments: list[str] = Field(min_length=2, max_length=100, examples=[["management", "sales"]])


class DepartmentSettings(BaseModel):
    """Whether respondents may change their department, and the merged groups."""

    model_config = ConfigDict(extra="forbid")
    departments_changeable: StrictBool = Field(
        default=False,
        description="Respondents may change the department their invitation assigned.",
    )
    groups: list[DepartmentGroupIn] = Field(default=[], max_length=50)


class DepartmentGroupPublic(BaseModel):
    """A merged group; `key` is its value in the results' groups and filters."""

    name: str
    departments: list[str]
    key: str


class DepartmentWarning(BaseModel):
    """A department (or merged group) with fewer invitees than the results show."""

    department: str = Field(description="Its value, or a merged group's key.")
    label: str
    invited: int
    k: int = Field(description="The smallest group the results show.")
    merge_with: str | None = Field(description="The smallest other department, by label.")
    message: str


class DepartmentsPublic(BaseModel):
    """An assessment's departments: settings, invitees per department, warnings."""

    departments_changeable: bool
    groups: list[DepartmentGroupPublic]
    invited: dict[str, int] = Field(description="Invitees per assigned department.")
    warnings: list[DepartmentWarning]


def _english(message: str) -> str:
    return message


def warnings_of(
    session: Session,
    assessment: Assessment,
    questionnaire: Questionnaire,
    benchmark_k: int,
    language: str,
    gettext: Callable[[str], str] = _english,
) -> list[DepartmentWarning]:
    """Departments and merged groups with fewer than k invitees, each with a sentence
    saying what happens to them (in `gettext`'s language)."""
    k, found = small_departments_of(session, assessment, questionnaire, benchmark_k, language)
    warnings = []
    for small in found:
        words = {"department": small.label, "invited": small.invited, "k": k}
        if small.partner:
            message = gettext(
                "%(department)s: %(invited)s invited, fewer than %(k)s – merge it with "
                "%(partner)s, or the results do not show it"
            ) % {**words, "partner": small.partner}
        else:
            message = (
                gettext(
                    "%(department)s: %(invited)s invited, fewer than %(k)s – the results do not "
                    "show it"
                )
                % words
            )
        warnings.append(
            DepartmentWarning(
                department=small.value,
                label=small.label,
                invited=small.invited,
                k=k,
                merge_with=small.partner,
                message=message,
            )
        )
    return warnings


def departments_public(
    session: Session, request: Request, assessment: Assessment
) -> DepartmentsPublic:
    """What the API shows of an assessment's departments."""
    questionnaire = questionnaire_of_assessment(session, assessment=assessment)
    language = "en" if "en" in questionnaire.languages else questionnaire.languages[0]
    benchmark_k = request.app.state.settings.benchmark_k
    return DepartmentsPublic(
        departments_changeable=assessment.departments_changeable,
        groups=[DepartmentGroupPublic(**g.to_dict()) for g in merged_departments(assessment)],
        invited=stored.invited_by_department(session, assessment_id=assessment.id),
        warnings=warnings_of(session, assessment, questionnaire, benchmark_k, language),
    )


@router.get(
    "/assessments/{assessment_id}/departments", responses=declared(MANAGED, NOT_FOR_STUDIES)
)
def get_departments(
    assessment: ManagedAssessmentDep, session: SessionDep, request: Request
) -> DepartmentsPublic:
    """Invitees per department, the departments too small to be shown on their own, and
    the settings: whether respondents may change their department, merged groups."""
    refuse_unless_assessment(assessment, "departments")
    return departments_public(session, request, assessment)


@router.put(
    "/assessments/{assessment_id}/departments",
    responses=declared(
        MANAGED,
        NOT_FOR_STUDIES,
        {422: {"description": "A group names an unknown department, or one twice."}},
    ),
)
def set_departments(
    body: DepartmentSettings,
    assessment: ManagedAssessmentDep,
    session: SessionDep,
    user: UserDep,
    request: Request,
) -> DepartmentsPublic:
    """Let respondents change their department or not, and merge small departments into
    named groups for the results (e.g. management and sales as "Leitung und Vertrieb").
    Results released before keep their groups; later ones never let anyone work out
    fewer than k respondents by setting them against earlier ones."""
    refuse_unless_assessment(assessment, "departments")
    questionnaire = questionnaire_of_assessment(session, assessment=assessment)
    try:
        groups = checked_groups(questionnaire, [(g.name, g.departments) for g in body.groups])
    except MergeError as exc:
        raise HTTPException(422, {"problems": exc.problems}) from None
    save_departments(session, user, assessment, body.departments_changeable, groups)
    return departments_public(session, request, assessment)


def save_departments(
    session: Session, user: UserDep, assessment: Assessment, changeable: bool, groups: Groups
) -> None:
    """Keep the department settings, with an audit entry."""
    stored.set_departments(
        session, assessment=assessment, changeable=changeable, groups=stored_groups(groups)
    )
    audit_now(
        session,
        user,
        "departments.set",
        ("assessment", assessment.id),
        {"changeable": changeable, "groups": [g.to_dict() for g in groups]},
    )


def has_departments(questionnaire: Questionnaire) -> bool:
    """Whether the questionnaire asks for a department with fixed options."""
    return bool(department_options(questionnaire))
