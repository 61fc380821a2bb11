"""The JSON API under /api/v1: questionnaires, organisations and assessments (invitations
and results have modules of their own). Routes stay thin; queries live in
assess/persistence/repository/."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Query, Request, Response

from assess.domain.attributes import ATTRIBUTES
from assess.domain.questionnaire import MAX_VERSION
from assess.domain.validation import parse_questionnaire
from assess.domain.yamlfile import FileProblems
from assess.persistence.models.assessments import Assessment, AssessmentKind
from assess.persistence.models.questionnaires import QuestionnaireVersion
from assess.persistence.repository import accounts, assessments, questionnaires
from assess.persistence.repository.accounts import count_organisations_for, organisations_for
from assess.persistence.repository.assessments import assessments_of, count_assessments, counts_of
from assess.persistence.repository.audit import audit, audit_now
from assess.persistence.repository.organisation_attributes import set_attributes
from assess.persistence.repository.questionnaires import (
    get_questionnaire_version,
    latest_questionnaires,
    questionnaire_of,
)
from assess.web import lifecycle
from assess.web.deps import (
    MANAGED,
    NOT_FOUND,
    AdminDep,
    AssessmentDep,
    ManagedAssessmentDep,
    ManagedOrganisationDep,
    OrganisationDep,
    SessionDep,
    UserDep,
    declared,
    version_of,
)
from assess.web.pagination import PAGED, PageDep, announce, page_from
from assess.web.schemas import (
    AssessmentCreate,
    AssessmentPublic,
    Counts,
    OrganisationAttributes,
    OrganisationCreate,
    OrganisationPublic,
    QuestionnaireSummary,
)

router = APIRouter(prefix="/api/v1")


def _summary(row: QuestionnaireVersion) -> QuestionnaireSummary:
    q = questionnaire_of(row)
    return QuestionnaireSummary(
        id=q.id,
        version=q.version,
        languages=q.languages,
        title=q.title,
        dimensions=[d.id for d in q.dimensions],
        items=len(q.item_ids()),
        sha256=row.sha256,
    )


@router.get("/questionnaires", tags=["questionnaires"], responses=PAGED)
def list_questionnaires(
    session: SessionDep, request: Request, response: Response, page: PageDep
) -> list[QuestionnaireSummary]:
    """The newest version of every published questionnaire, by id."""
    rows = page_from(latest_questionnaires(session), request, response, page)
    return [_summary(row) for row in rows]


@router.get("/questionnaires/{questionnaire_id}", tags=["questionnaires"], responses=NOT_FOUND)
def get_questionnaire(
    questionnaire_id: str,
    session: SessionDep,
    version: Annotated[
        int | None, Query(ge=1, le=MAX_VERSION, description="By default the newest.")
    ] = None,
) -> dict[str, Any]:
    """One questionnaire, complete; the newest version unless `version` is given."""
    row = get_questionnaire_version(session, questionnaire_id=questionnaire_id, version=version)
    if row is None:
        raise HTTPException(404, f"No questionnaire '{questionnaire_id}' (version {version}).")
    return {"sha256": row.sha256, **questionnaire_of(row).model_dump(mode="json")}


@router.post(
    "/questionnaires",
    tags=["questionnaires"],
    status_code=201,
    responses={
        422: {"description": "The file has problems; each is listed with its line."},
        409: {"description": "This version is in use and differs from the published file."},
    },
)
def publish_questionnaire(
    session: SessionDep,
    admin: AdminDep,
    source: Annotated[str, Body(media_type="application/yaml", description="The YAML file.")],
) -> QuestionnaireSummary:
    """Publish a questionnaire file (admins). The same file again changes nothing."""
    try:
        questionnaire = parse_questionnaire(source, "questionnaire.yaml")
    except FileProblems as exc:
        raise HTTPException(422, {"problems": [str(p) for p in exc.problems]}) from None
    before = get_questionnaire_version(
        session, questionnaire_id=questionnaire.id, version=questionnaire.version
    )
    before_sha = before.sha256 if before is not None else None
    row, created = questionnaires.publish_questionnaire(
        session, questionnaire_id=questionnaire.id, version=questionnaire.version, source=source
    )
    if row.sha256 == before_sha:
        return _summary(row)  # the same file again: nothing happened
    audit_now(
        session,
        admin,
        "questionnaire.published",
        ("questionnaire_version", row.id),
        {"questionnaire_id": row.questionnaire_id, "version": row.version, "new": created},
    )
    return _summary(row)


@router.post("/organisations", tags=["organisations"], status_code=201)
def create_organisation(
    body: OrganisationCreate, session: SessionDep, user: UserDep
) -> OrganisationPublic:
    """A new organisation; its creator serves it as consultant."""
    organisation = accounts.create_organisation(session, creator=user, **body.model_dump())
    audit_now(
        session, user, "organisation.created", ("organisation", organisation.id), {"via": "api"}
    )
    return OrganisationPublic.model_validate(organisation)


@router.get("/organisations", tags=["organisations"], responses=PAGED)
def list_organisations(
    session: SessionDep, user: UserDep, request: Request, response: Response, page: PageDep
) -> list[OrganisationPublic]:
    """The organisations you serve or belong to, by name."""
    total = count_organisations_for(session, user=user)
    announce(request, response, page, total)
    found = organisations_for(session, user=user, offset=page.offset, limit=page.limit)
    return [OrganisationPublic.model_validate(o) for o in found]


@router.get("/organisations/{organisation_id}", tags=["organisations"], responses=NOT_FOUND)
def get_organisation(organisation: OrganisationDep) -> OrganisationPublic:
    """One organisation."""
    return OrganisationPublic.model_validate(organisation)


@router.patch("/organisations/{organisation_id}", tags=["organisations"], responses=MANAGED)
def set_organisation_attributes(
    body: OrganisationAttributes,
    organisation: ManagedOrganisationDep,
    session: SessionDep,
    user: UserDep,
) -> OrganisationPublic:
    """Choose industry, size and country anew (those sent; null clears one); the
    organisation's pool entries move to the peer groups of the new values, and a value
    that matched no option goes once one is chosen (consultants and admins)."""
    before = {a: getattr(organisation, a) for a in ATTRIBUTES}
    chosen = before | body.model_dump(exclude_unset=True)
    detail = {"before": before, "after": chosen, "via": "api"}
    target = ("organisation", organisation.id)
    audit(session, user, "organisation.attributes_changed", target, detail)
    set_attributes(session, organisation=organisation, **chosen)
    return OrganisationPublic.model_validate(organisation)


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
