"""The JSON API under /api/v1: questionnaires, organisations, assessments, invitations,
results and offline imports. Routes stay thin; queries live in assess/repository.py."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Query, Request
from fastapi.responses import JSONResponse

from assess import repository
from assess.domain.answers import AnswersError, chunks_of, read_answers, to_stored
from assess.domain.disclosure import disclose
from assess.domain.explain import explain
from assess.domain.scoring import (
    MIN_GROUP_RESPONDENTS,
    UnknownQuestion,
    group_key,
    respondent_scores,
    score_assessment,
    table_from_chunks,
)
from assess.domain.validation import parse_questionnaire
from assess.domain.yamlfile import FileProblems
from assess.models import (
    Assessment,
    AssessmentKind,
    AssessmentStatus,
    Invitation,
    QuestionnaireVersion,
)
from assess.repository import questionnaire_of
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
    version_of,
)
from assess.web.schemas import (
    AssessmentCreate,
    AssessmentPublic,
    Counts,
    InvitationBatch,
    InvitationPublic,
    OrganisationCreate,
    OrganisationPublic,
    QuestionnaireSummary,
)
from assess.web.studies import refuse_unless_assessment, study_results

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


@router.get("/questionnaires", tags=["questionnaires"])
def list_questionnaires(session: SessionDep) -> list[QuestionnaireSummary]:
    """The newest version of every published questionnaire."""
    return [_summary(row) for row in repository.latest_questionnaires(session)]


@router.get("/questionnaires/{questionnaire_id}", tags=["questionnaires"], responses=NOT_FOUND)
def get_questionnaire(
    questionnaire_id: str, session: SessionDep, version: int | None = None
) -> dict[str, Any]:
    """One questionnaire, complete; the newest version unless `version` is given."""
    row = repository.get_questionnaire_version(
        session, questionnaire_id=questionnaire_id, version=version
    )
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
    _admin: AdminDep,
    source: Annotated[str, Body(media_type="application/yaml", description="The YAML file.")],
) -> QuestionnaireSummary:
    """Publish a questionnaire file (admins). The same file again changes nothing."""
    try:
        questionnaire = parse_questionnaire(source, "questionnaire.yaml")
    except FileProblems as exc:
        raise HTTPException(422, {"problems": [str(p) for p in exc.problems]}) from None
    row, _ = repository.publish_questionnaire(
        session, questionnaire_id=questionnaire.id, version=questionnaire.version, source=source
    )
    return _summary(row)


@router.post("/organisations", tags=["organisations"], status_code=201)
def create_organisation(
    body: OrganisationCreate, session: SessionDep, user: UserDep
) -> OrganisationPublic:
    """A new organisation; its creator serves it as consultant."""
    organisation = repository.create_organisation(session, creator=user, **body.model_dump())
    return OrganisationPublic.model_validate(organisation)


@router.get("/organisations", tags=["organisations"])
def list_organisations(session: SessionDep, user: UserDep) -> list[OrganisationPublic]:
    """The organisations you serve or belong to."""
    return [
        OrganisationPublic.model_validate(o)
        for o in repository.organisations_for(session, user=user)
    ]


@router.get("/organisations/{organisation_id}", tags=["organisations"], responses=NOT_FOUND)
def get_organisation(organisation: OrganisationDep) -> OrganisationPublic:
    """One organisation."""
    return OrganisationPublic.model_validate(organisation)


def _public(session: SessionDep, assessment: Assessment) -> AssessmentPublic:
    version = version_of(session, assessment)
    counts = repository.counts_of(session, assessment_id=assessment.id)
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
    body: AssessmentCreate, organisation: ManagedOrganisationDep, session: SessionDep
) -> AssessmentPublic:
    """A new draft assessment with a published questionnaire version; `kind: study` makes
    an anonymous open study, answered through one public link."""
    version = repository.get_questionnaire_version(
        session, questionnaire_id=body.questionnaire_id, version=body.questionnaire_version
    )
    if version is None:
        raise HTTPException(
            422, f"No published questionnaire '{body.questionnaire_id}' of that version."
        )
    assessment = repository.create_assessment(
        session,
        organisation=organisation,
        version=version,
        name=body.name,
        wave=body.wave,
        closes_at=body.closes_at,
        kind=body.kind,
    )
    return _public(session, assessment)


@router.get(
    "/organisations/{organisation_id}/assessments", tags=["assessments"], responses=NOT_FOUND
)
def list_assessments(organisation: OrganisationDep, session: SessionDep) -> list[AssessmentPublic]:
    """An organisation's assessments, newest first, with response counts."""
    return [
        _public(session, a)
        for a, _ in repository.assessments_of(session, organisation_id=organisation.id)
    ]


@router.get("/assessments/{assessment_id}", tags=["assessments"], responses=NOT_FOUND)
def get_assessment(assessment: AssessmentDep, session: SessionDep) -> AssessmentPublic:
    """One assessment with its response counts."""
    return _public(session, assessment)


@router.post("/assessments/{assessment_id}/open", tags=["assessments"], responses=MANAGED)
def open_assessment(assessment: ManagedAssessmentDep, session: SessionDep) -> AssessmentPublic:
    """Start collecting answers."""
    if assessment.status == AssessmentStatus.closed:
        raise HTTPException(409, "This assessment is closed; create a new wave instead.")
    repository.set_status(session, assessment=assessment, status=AssessmentStatus.open)
    return _public(session, assessment)


@router.post("/assessments/{assessment_id}/close", tags=["assessments"], responses=MANAGED)
def close_assessment(
    assessment: ManagedAssessmentDep, session: SessionDep, request: Request
) -> AssessmentPublic:
    """Stop collecting answers and keep a snapshot of the scores; if the organisation
    takes part in benchmarks, they enter its peer pool."""
    if assessment.status != AssessmentStatus.closed:
        repository.set_status(session, assessment=assessment, status=AssessmentStatus.closed)
        # A study's snapshot keeps no groups: its groups are shown only under the k rule.
        group_by: list[str] | None = [] if assessment.kind == AssessmentKind.study else None
        result = _score(session, assessment, group_by, [])
        repository.save_snapshot(
            session,
            assessment_id=assessment.id,
            result=result,
            k=request.app.state.settings.benchmark_k,
        )
    return _public(session, assessment)


@router.post(
    "/assessments/{assessment_id}/invitations",
    tags=["invitations"],
    status_code=201,
    responses=MANAGED,
)
def create_invitations(
    assessment: ManagedAssessmentDep,
    session: SessionDep,
    request: Request,
    body: Annotated[
        InvitationBatch | str,
        Body(
            openapi_examples={
                "json": {"value": {"invitations": [{"label": "Anna", "department": "sales"}]}},
                "csv": {"value": "label,department\nAnna,sales\nBen,service\n"},
            },
            description="JSON, or CSV (text/csv) with columns label and department.",
        ),
    ],
) -> list[InvitationPublic]:
    """Invite respondents, all or none. Each link is shown this once."""
    refuse_unless_assessment(assessment, "invitations")
    batch = body if isinstance(body, InvitationBatch) else _invitations_from_csv(body)
    questionnaire = questionnaire_of(version_of(session, assessment))
    _check_departments(questionnaire, [i.department for i in batch.invitations])
    made = repository.create_invitations(
        session,
        assessment=assessment,
        entries=[(i.label.strip(), i.department) for i in batch.invitations],
        expires_at=batch.expires_at,
    )
    base = str(request.base_url)
    return [_invitation(inv, token, base) for inv, token in made]


def _invitation(invitation: Invitation, token: str | None, base: str) -> InvitationPublic:
    return InvitationPublic(
        id=invitation.id,
        label=invitation.label,
        department=invitation.department,
        expires_at=invitation.expires_at,
        token=token,
        link=f"{base}r/{token}" if token else None,
    )


def _invitations_from_csv(text: str) -> InvitationBatch:
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    if not rows or "label" not in rows[0]:
        raise HTTPException(422, "Send CSV with a header row 'label,department'.")
    try:
        return InvitationBatch.model_validate(
            {
                "invitations": [
                    {"label": r.get("label") or "", "department": (r.get("department") or None)}
                    for r in rows
                ]
            }
        )
    except ValueError as exc:
        raise HTTPException(422, f"Invalid invitation list: {exc}") from None


def _check_departments(questionnaire: Any, departments: list[str | None]) -> None:
    question = questionnaire.profile_question("department")
    options = {o.value for o in getattr(question, "options", [])}
    unknown = sorted({d for d in departments if d and options and d not in options})
    if unknown:
        raise HTTPException(
            422, f"Unknown department {', '.join(unknown)}; use one of: {', '.join(options)}"
        )


@router.get("/assessments/{assessment_id}/invitations", tags=["invitations"], responses=MANAGED)
def list_invitations(
    assessment: ManagedAssessmentDep, session: SessionDep
) -> list[InvitationPublic]:
    """An assessment's invitations (their links are not shown again)."""
    refuse_unless_assessment(assessment, "invitations")
    return [
        _invitation(i, None, "")
        for i in repository.invitations_of(session, assessment_id=assessment.id)
    ]


def _score(
    session: SessionDep,
    assessment: Assessment,
    group_by: list[str] | None,
    filters: list[str],
    with_trace: bool = False,
) -> dict[str, Any]:
    questionnaire = questionnaire_of(version_of(session, assessment))
    responses = repository.submitted_responses(session, assessment_id=assessment.id)
    verdicts = disclose(
        {p.id: [group_key(r.profile.get(p.id)) for r in responses] for p in questionnaire.profile},
        len(responses),
        MIN_GROUP_RESPONDENTS,
    )
    for rule in filters:
        question, _, value = rule.partition(":")
        if questionnaire.profile_question(question) is None or not value:
            raise HTTPException(422, f"filter '{rule}': use question:value, e.g. department:sales")
        matched = [r for r in responses if group_key(r.profile.get(question)) == value]
        reason = verdicts.reason(question, value) if matched else None
        others = [*(group_by or []), *(f.partition(":")[0] for f in filters)]
        refused = [verdicts.crossing_refused(question, q) for q in others if q != question]
        if reason or any(refused):
            why = reason or next(r for r in refused if r)
            raise HTTPException(
                422,
                f"filter '{rule}' is not shown ({why}): its figures, set against the whole "
                "organisation's, would describe or let anyone work out fewer than "
                f"{MIN_GROUP_RESPONDENTS} respondents; widen the filter or leave it out",
            )
        responses = matched
    try:
        scored = score_assessment(
            questionnaire, responses, group_by or None, min_group=MIN_GROUP_RESPONDENTS
        ).to_dict()
    except UnknownQuestion as exc:
        raise HTTPException(422, str(exc)) from None
    if with_trace:
        scored["explain"] = _trace(questionnaire, responses)
    return scored


def _trace(questionnaire: Any, responses: list[Any]) -> dict[str, Any]:
    table = table_from_chunks(questionnaire, chunks_of(responses, questionnaire), keep_items=True)
    return explain(questionnaire, responses, respondent_scores(questionnaire, table)).to_dict()


@router.get("/assessments/{assessment_id}/results", tags=["results"], responses=NOT_FOUND)
def results(
    assessment: AssessmentDep,
    session: SessionDep,
    request: Request,
    group_by: Annotated[list[str] | None, Query(description="Profile question(s).")] = None,
    filter: Annotated[list[str], Query(description="question:value, e.g. department:sales")] = [],  # noqa: B006
    explain: Annotated[
        bool,
        Query(
            description="Add `explain`: per level its items, weights, the answers' "
            "distribution and the arithmetic behind each score."
        ),
    ] = False,
) -> dict[str, Any]:
    """Scores of the submitted responses, as in the format document's score output. In a
    study, by any profile question, with every group of fewer than k respondents (and any
    that would let fewer than k be worked out) suppressed."""
    if assessment.kind == AssessmentKind.study:
        return _study_score(session, request, assessment, group_by or [], filter, explain)
    return _score(session, assessment, group_by, filter, with_trace=explain)


def _study_score(
    session: SessionDep,
    request: Request,
    assessment: Assessment,
    group_by: list[str],
    filters: list[str],
    with_trace: bool,
) -> dict[str, Any]:
    questionnaire = questionnaire_of(version_of(session, assessment))
    responses = repository.submitted_responses(session, assessment_id=assessment.id)
    k = request.app.state.settings.benchmark_k
    scored, described = study_results(questionnaire, responses, group_by, filters, k)
    if with_trace:
        scored["explain"] = _trace(questionnaire, described)
    return scored


@router.get("/assessments/{assessment_id}/results/respondents", tags=["results"], responses=MANAGED)
def respondent_results(
    assessment: ManagedAssessmentDep, session: SessionDep
) -> list[dict[str, Any]]:
    """Each respondent's scores (admins and the organisation's consultants)."""
    refuse_unless_assessment(assessment, "single respondents' scores")
    questionnaire = questionnaire_of(version_of(session, assessment))
    responses = repository.submitted_responses(session, assessment_id=assessment.id)
    table = table_from_chunks(questionnaire, chunks_of(responses, questionnaire), keep_items=True)
    return [vars(s) for s in respondent_scores(questionnaire, table)]


@router.post(
    "/assessments/{assessment_id}/import", tags=["results"], status_code=201, responses=MANAGED
)
def import_answers(
    assessment: ManagedAssessmentDep,
    session: SessionDep,
    source: Annotated[str, Body(media_type="text/csv", description="CSV or JSON answers.")],
) -> JSONResponse:
    """Add answers collected offline (CSV or JSON of the format document), all or none."""
    refuse_unless_assessment(assessment, "imports (labels of imported answers could name people)")
    if assessment.status == AssessmentStatus.closed:
        raise HTTPException(409, "This assessment is closed and keeps the answers it has.")
    questionnaire = questionnaire_of(version_of(session, assessment))
    try:
        responses = read_answers(source.encode(), questionnaire, file="import")
    except AnswersError as exc:
        raise HTTPException(422, {"problems": exc.problems}) from None
    count = repository.import_responses(
        session,
        assessment=assessment,
        responses=responses,
        stored=[to_stored(r) for r in responses],
    )
    return JSONResponse({"imported": count}, status_code=201)
