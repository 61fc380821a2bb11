"""Users of the instance and the people of each organisation, with their roles."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from sqlmodel import Session

from assess.persistence.models.accounts import MembershipInvitation, User
from assess.persistence.repository import accounts
from assess.persistence.repository.accounts import (
    create_api_key,
    members_of,
    remove_membership,
    set_membership,
)
from assess.persistence.repository.audit import audit, audit_now
from assess.persistence.repository.membership_invitations import (
    has_expired,
    invitation_for,
    invite_member,
    member_with_email,
    pending_invitations_for,
)
from assess.web.actions import joining
from assess.web.api.pagination import PAGED, PageDep, page_from
from assess.web.deps import (
    MANAGED,
    NOT_FOUND,
    AdminDep,
    ManagedOrganisationDep,
    OrganisationDep,
    Responses,
    SessionDep,
    UserDep,
    declared,
)
from assess.web.schemas.membership import (
    MemberInvited,
    MembershipAccepted,
    MembershipInvitationPublic,
)
from assess.web.schemas.people import MemberPublic, MemberSet, UserCreate, UserCreated, UserPublic

LAST_CONSULTANT: Responses = {
    409: {"description": "It would leave the organisation without a consultant."}
}
router = APIRouter(prefix="/api/v1")


@router.get("/me", tags=["users"])
def me(user: UserDep) -> UserPublic:
    """The user whose API key came with the request."""
    return UserPublic.model_validate(user)


@router.post(
    "/users",
    tags=["users"],
    status_code=201,
    responses={
        403: {"description": "Not an admin: only admins make users."},
        409: {"description": "A user with this e-mail exists."},
    },
)
def create_user(body: UserCreate, session: SessionDep, admin: AdminDep) -> UserCreated:
    """A new user with a first API key (admins only). The key is shown this once."""
    user = accounts.create_user(session, **body.model_dump())
    roles = {"admin": user.is_admin, "researcher": user.is_researcher}
    audit(session, admin, "user.created", ("user", user.id), roles)
    made, key = create_api_key(session, user=user, name="first key")
    audit_now(
        session, admin, "api_key.created", ("api_key", made.prefix), {"user_id": str(user.id)}
    )
    return UserCreated(**UserPublic.model_validate(user).model_dump(), api_key=key)


@router.get(
    "/organisations/{organisation_id}/members",
    tags=["organisations"],
    responses={**NOT_FOUND, **PAGED},
)
def list_members(
    organisation: OrganisationDep,
    session: SessionDep,
    request: Request,
    response: Response,
    page: PageDep,
) -> list[MemberPublic]:
    """The organisation's people and their roles."""
    return [
        MemberPublic(user_id=user.id, email=user.email, name=user.name, role=role)
        for user, role in page_from(
            members_of(session, organisation_id=organisation.id),
            request,
            response,
            page,
        )
    ]


@router.put(
    "/organisations/{organisation_id}/members",
    tags=["organisations"],
    status_code=202,
    response_model=None,
    responses=declared(
        MANAGED,
        LAST_CONSULTANT,
        {
            200: {
                "model": MemberPublic,
                "description": "The address is a member already: their role is now this one.",
            },
            202: {
                "model": MemberInvited,
                "description": "Invited: whoever has the address joins on accepting. The "
                "same answer whether or not anyone has an account with it.",
            },
            409: {"description": "The same address was invited at the same moment."},
        },
    ),
)
def set_member(
    body: MemberSet,
    organisation: ManagedOrganisationDep,
    session: SessionDep,
    actor: UserDep,
    response: Response,
) -> MemberPublic | MemberInvited:
    """Invite someone by e-mail to the organisation (202), or change a member's role (200).

    Nobody joins without accepting: the invitation waits for the user with the address
    (or for their account), who accepts it under /membership-invitations."""
    member = member_with_email(session, organisation_id=organisation.id, email=body.email)
    if member is None:
        return _invite(session, organisation.id, body, actor)
    audit(
        session,
        actor,
        "membership.set",
        ("organisation", organisation.id),
        {"user_id": str(member.id), "email": member.email, "role": body.role.value},
    )
    set_membership(session, organisation_id=organisation.id, user=member, role=body.role)
    response.status_code = 200
    return MemberPublic(user_id=member.id, email=member.email, name=member.name, role=body.role)


def _invite(
    session: Session, organisation_id: uuid.UUID, body: MemberSet, actor: User
) -> MemberInvited:
    email = body.email.strip().lower()
    audit(
        session,
        actor,
        "membership.invited",
        ("organisation", organisation_id),
        {"email": email, "role": body.role.value},
    )
    invitation = invite_member(
        session, organisation_id=organisation_id, email=email, role=body.role, invited_by=actor
    )
    return MemberInvited(email=email, role=body.role, expires_at=invitation.expires_at)


@router.delete(
    "/organisations/{organisation_id}/members/{user_id}",
    tags=["organisations"],
    status_code=204,
    responses=declared(MANAGED, LAST_CONSULTANT),
)
def remove_member(
    user_id: uuid.UUID, organisation: ManagedOrganisationDep, session: SessionDep, actor: UserDep
) -> Response:
    """Take someone out of the organisation (never its last consultant)."""
    audit(
        session,
        actor,
        "membership.removed",
        ("organisation", organisation.id),
        {"user_id": str(user_id)},
    )
    if not remove_membership(session, organisation_id=organisation.id, user_id=user_id):
        raise HTTPException(404, "No such member.")
    return Response(status_code=204)


def own_invitation(
    membership_invitation_id: uuid.UUID, session: SessionDep, user: UserDep
) -> MembershipInvitation:
    """The invitation in the path, if it is addressed to the user's e-mail; else 404."""
    invitation = invitation_for(session, user=user, invitation_id=membership_invitation_id)
    if invitation is None:
        raise HTTPException(404, "No such invitation for you.")
    return invitation


OwnInvitationDep = Annotated[MembershipInvitation, Depends(own_invitation)]
INVITATION_NOT_FOUND: Responses = {404: {"description": "No such invitation to your e-mail."}}


@router.get("/membership-invitations", tags=["users"], responses=PAGED)
def list_membership_invitations(
    session: SessionDep, user: UserDep, request: Request, response: Response, page: PageDep
) -> list[MembershipInvitationPublic]:
    """The invitations to join an organisation that wait for your answer (to your account's
    e-mail, not expired), oldest first."""
    return [
        MembershipInvitationPublic(
            id=pending.invitation.id,
            organisation_id=pending.invitation.organisation_id,
            organisation_name=pending.organisation_name,
            role=pending.invitation.role,
            invited_by=pending.invited_by,
            created_at=pending.invitation.created_at,
            expires_at=pending.invitation.expires_at,
        )
        for pending in page_from(
            pending_invitations_for(session, user=user), request, response, page
        )
    ]


@router.post(
    "/membership-invitations/{membership_invitation_id}/accept",
    tags=["users"],
    responses={
        **INVITATION_NOT_FOUND,
        410: {"description": "The invitation expired; ask to be invited again."},
    },
)
def accept_membership_invitation(
    invitation: OwnInvitationDep, session: SessionDep, user: UserDep
) -> MembershipAccepted:
    """Join the organisation that invited you, in the role it offered."""
    if has_expired(invitation):
        raise HTTPException(
            410, "This invitation expired; ask the organisation's consultant to invite you again."
        )
    organisation_id = invitation.organisation_id
    role = joining.accept(session, user, invitation)
    return MembershipAccepted(organisation_id=organisation_id, role=role)


@router.post(
    "/membership-invitations/{membership_invitation_id}/decline",
    tags=["users"],
    status_code=204,
    responses=INVITATION_NOT_FOUND,
)
def decline_membership_invitation(
    invitation: OwnInvitationDep, session: SessionDep, user: UserDep
) -> Response:
    """Say no to an invitation: it is deleted, and you do not join."""
    joining.decline(session, user, invitation)
    return Response(status_code=204)
