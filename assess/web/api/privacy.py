"""Privacy operations (GDPR): everything held about one respondent, erasing it, erasing an
organisation, and the audit log of what those who run the service did."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, Response
from pydantic import BaseModel, ConfigDict

from assess.persistence.repository.audit import AuditFilter, audit_entries
from assess.persistence.repository.privacy import Erase
from assess.web.actions import erasure
from assess.web.api import pagination
from assess.web.api.invitations import invitation_of
from assess.web.deps import (
    MANAGED,
    NOT_FOUND,
    AdminDep,
    ManagedAssessmentDep,
    OrganisationDep,
    SessionDep,
    UserDep,
)
from assess.web.schemas.fields import GivenMoment, Moment

router = APIRouter(prefix="/api/v1")
INVITATION = "/assessments/{assessment_id}/invitations/{invitation_id}"


class RespondentErased(BaseModel):
    """What erasing a respondent removed and recomputed."""

    invitation_id: uuid.UUID
    erase: Erase
    responses: int
    emails: int
    invitation: str
    reports_deleted: int
    snapshot_recomputed: bool


class OrganisationErased(BaseModel):
    """What erasing an organisation deleted, by table."""

    organisation_id: uuid.UUID
    deleted: dict[str, int]


class AuditEntryPublic(BaseModel):
    """One entry of the audit log."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    at: Moment
    actor_id: uuid.UUID | None
    actor: str
    action: str
    target_type: str
    target_id: str | None
    detail: dict[str, Any]
    request_id: str | None


@router.get(
    f"{INVITATION}/personal-data",
    tags=["privacy"],
    responses={
        **MANAGED,
        200: {
            "description": "Everything held about the respondent, as a JSON attachment.",
            "content": {"application/json": {}},
        },
    },
    response_class=Response,
)
def export_personal_data(
    assessment: ManagedAssessmentDep,
    invitation_id: uuid.UUID,
    session: SessionDep,
    user: UserDep,
) -> Response:
    """Everything held about one respondent (GDPR art. 15 and 20): the invitation without
    its link's token, their answers with their times and status, the e-mails sent to
    them, and where their answers count as aggregates only."""
    invitation = invitation_of(session, assessment, invitation_id)
    document, name = erasure.export_personal_data(session, user, assessment, invitation)
    return Response(
        document,
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.delete(f"{INVITATION}/personal-data", tags=["privacy"], responses=MANAGED)
def erase_personal_data(
    assessment: ManagedAssessmentDep,
    invitation_id: uuid.UUID,
    session: SessionDep,
    user: UserDep,
    request: Request,
    erase: Annotated[
        Erase,
        Query(
            description="`answers`: only the answers; `personal_data` (default): the answers, "
            "e-mail address, label and e-mails, the invitation staying counted with a link "
            "that no longer works; `invitation`: the invitation with everything of it."
        ),
    ] = Erase.personal_data,
) -> RespondentErased:
    """Erase a respondent (GDPR art. 17). A closed assessment's score snapshot and
    benchmark entry are recomputed from the remaining responses; the organisation's
    reports and the portfolios that may hold them are deleted (ask for them again)."""
    invitation = invitation_of(session, assessment, invitation_id)
    summary = erasure.erase_respondent(
        session,
        user,
        assessment,
        invitation,
        erase=erase,
        k=request.app.state.settings.benchmark_k,
    )
    return RespondentErased.model_validate(summary)


@router.delete(
    "/organisations/{organisation_id}",
    tags=["privacy"],
    responses={
        **NOT_FOUND,
        403: {"description": "Only admins erase organisations."},
        422: {"description": "`confirm` is not the organisation's name."},
    },
)
def erase_organisation(
    organisation: OrganisationDep,
    session: SessionDep,
    user: UserDep,
    request: Request,
    confirm: Annotated[
        str, Query(max_length=200, description="The organisation's name, exactly.")
    ] = "",
) -> OrganisationErased:
    """Erase an organisation with everything of it (admins): assessments, invitations,
    answers, snapshots, benchmark entries, reports, e-mails and their wording, and
    memberships and invitations to join, in one transaction; the peer groups it was in are
    recomputed."""
    if not user.is_admin:
        raise HTTPException(403, "Only admins of this instance may erase an organisation.")
    if confirm != organisation.name:
        raise HTTPException(
            422,
            "To erase this organisation, send its exact name as `confirm` "
            f"(?confirm={organisation.name}); nothing was erased.",
        )
    summary = erasure.erase_organisation(
        session, user, organisation, k=request.app.state.settings.benchmark_k
    )
    return OrganisationErased.model_validate(summary)


@router.get(
    "/audit-log", tags=["privacy"], responses={**pagination.PAGED, 403: {"description": "Admins"}}
)
def audit_log(
    session: SessionDep,
    _admin: AdminDep,
    request: Request,
    response: Response,
    limit: Annotated[int, Query(ge=1, le=500, description="Entries per page, at most 500.")] = 50,
    offset: Annotated[
        int, Query(ge=0, le=pagination.MAX_OFFSET, description="Entries to skip from the start.")
    ] = 0,
    action: Annotated[str | None, Query(max_length=64)] = None,
    actor: Annotated[str | None, Query(max_length=320, description="User id or e-mail")] = None,
    target_type: Annotated[str | None, Query(max_length=32)] = None,
    target_id: Annotated[str | None, Query(max_length=64)] = None,
    since: Annotated[GivenMoment | None, Query(description="From this time (inclusive)")] = None,
    until: Annotated[GivenMoment | None, Query(description="Before this time")] = None,
) -> list[AuditEntryPublic]:
    """What admins, consultants and the `assess` command did, newest first (admins).
    `X-Total-Count` says how many match; a `Link` header (rel="next") the next page."""
    where = AuditFilter(action, actor, target_type, target_id, since, until)
    entries, total = audit_entries(session, where=where, limit=limit, offset=offset)
    pagination.announce(request, response, pagination.Page(limit, offset), total)
    return [AuditEntryPublic.model_validate(e) for e in entries]
