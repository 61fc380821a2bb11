"""Assessments in the JSON API: making one with a published questionnaire version,
listing an organisation's, their response counts, opening and closing them (invitations
and results have modules of their own). Routes stay thin; queries live in
assess/persistence/repository/."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Body, HTTPException, Request, Response

from assess.persistence.models.assessments import Assessment, AssessmentKind
from assess.persistence.repository import assessments
from assess.persistence.repository.assessments import assessments_of, count_assessments, counts_of
from assess.persistence.repository.audit import audit_now
from assess.persistence.repository.questionnaires import (
    get_questionnaire_version,
    questionnaire_of_assessment,
)
from assess.web.actions import lifecycle
from assess.web.actions.targets import change_targets
from assess.web.api.pagination import PAGED, PageDep, announce
from assess.web.deps import (
    MANAGED,
    NOT_FOUND,
    AssessmentDep,
    ManagedAssessmentDep,
    ManagedOrganisationDep,
    OrganisationDep,
    SessionDep,
    UserDep,
    declared,
    version_of,
)
from assess.web.schemas.assessments import AssessmentCreate, AssessmentPublic, Counts, Targets

router = APIRouter(prefix="/api/v1")


def _public(session: SessionDep, assessment: Assessment) -> AssessmentPublic:
    version = version_of(session, assessment)
    counts = counts_of(session, assessment_id=assessment.id)
    study = assessment.kind == AssessmentKind.study
    if study:  # a study invites no one; its personal links are anonymous starts
        counts = replace(counts, invited=0)
    rate = counts.submitted / counts.invited if counts.invited else None
    return AssessmentPublic(
        id=assessment.id,
        organisation_id=assessment.organisation_id,
        questionnaire_id=version.questionnaire_id,
        questionnaire_version=version.version,
        name=assessment.name,
        wave=assessment.wave,
        status=assessment.status,
        kind=assessment.kind,
        public_link=assessment.public_link_hash is not None,
        show_own_scores=assessment.show_own_scores,
        closes_at=assessment.closes_at,
        created_at=assessment.created_at,
        counts=Counts(**vars(counts), response_rate=rate),
        targets=assessment.targets or {},
    )


@router.post(
    "/organisations/{organisation_id}/assessments",
    tags=["assessments"],
    status_code=201,
    responses=MANAGED,
)
def create_assessment(
    body: AssessmentCreate, organisation: ManagedOrganisationDep, session: SessionDep, user: UserDep
) -> AssessmentPublic:
    """A new draft assessment with a published questionnaire version; `kind: study` makes
    an anonymous open study, answered through one public link."""
    version = get_questionnaire_version(
        session, questionnaire_id=body.questionnaire_id, version=body.questionnaire_version
    )
    if version is None:
        raise HTTPException(
            422, f"No published questionnaire '{body.questionnaire_id}' of that version."
        )
    assessment = assessments.create_assessment(
        session,
        organisation=organisation,
        version=version,
        name=body.name,
        wave=body.wave,
        closes_at=body.closes_at,
        kind=body.kind,
        show_own_scores=body.show_own_scores,
    )
    audit_now(
        session,
        user,
        "assessment.created",
        ("assessment", assessment.id),
        {"organisation_id": str(organisation.id), "kind": assessment.kind.value},
    )
    return _public(session, assessment)


@router.get(
    "/organisations/{organisation_id}/assessments",
    tags=["assessments"],
    responses={**NOT_FOUND, **PAGED},
)
def list_assessments(
    organisation: OrganisationDep,
    session: SessionDep,
    request: Request,
    response: Response,
    page: PageDep,
) -> list[AssessmentPublic]:
    """An organisation's assessments, newest first, with response counts."""
    total = count_assessments(session, organisation_id=organisation.id)
    announce(request, response, page, total)
    found = assessments_of(
        session, organisation_id=organisation.id, offset=page.offset, limit=page.limit
    )
    return [_public(session, a) for a, _ in found]


@router.get("/assessments/{assessment_id}", tags=["assessments"], responses=NOT_FOUND)
def get_assessment(assessment: AssessmentDep, session: SessionDep) -> AssessmentPublic:
    """One assessment with its response counts."""
    return _public(session, assessment)


@router.post(
    "/assessments/{assessment_id}/open",
    tags=["assessments"],
    responses=declared(MANAGED, {409: {"description": "The assessment is closed."}}),
)
def open_assessment(
    assessment: ManagedAssessmentDep, session: SessionDep, user: UserDep
) -> AssessmentPublic:
    """Start collecting answers."""
    lifecycle.open_assessment(session, assessment, user)
    return _public(session, assessment)


@router.post("/assessments/{assessment_id}/close", tags=["assessments"], responses=MANAGED)
def close_assessment(
    assessment: ManagedAssessmentDep, session: SessionDep, user: UserDep, request: Request
) -> AssessmentPublic:
    """Stop collecting answers and keep a snapshot of the scores; if the organisation
    takes part in benchmarks, they enter its peer pool."""
    lifecycle.close_assessment(session, assessment, user, k=request.app.state.settings.benchmark_k)
    return _public(session, assessment)


@router.put(
    "/assessments/{assessment_id}/targets",
    tags=["assessments"],
    responses=declared(
        MANAGED, {422: {"description": "A dimension or stage the questionnaire lacks."}}
    ),
)
def set_assessment_targets(
    assessment: ManagedAssessmentDep,
    session: SessionDep,
    user: UserDep,
    body: Annotated[
        Targets,
        Body(
            openapi_examples={
                "some": {"value": {"strategy": "integrated", "customer": None}},
                "all": {"value": {"all": "structured", "strategy": "integrated"}},
            },
            description="The target stage per dimension, replacing those set: a dimension "
            "left out or null aims at the stage after its current one; `all` sets every "
            "dimension without its own.",
        ),
    ],
) -> AssessmentPublic:
    """Set the stage each dimension aims at (its gap, priority and advice follow)."""
    questionnaire = questionnaire_of_assessment(session, assessment=assessment)
    change_targets(session, assessment, questionnaire, body, user, via="api")
    return _public(session, assessment)
