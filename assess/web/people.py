"""Users of the instance and the people of each organisation, with their roles."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, HTTPException, Request, Response

from assess import repository
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
from assess.web.pagination import PAGED, PageDep, page_from
from assess.web.schemas import MemberPublic, MemberSet, UserCreate, UserCreated, UserPublic

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
    user = repository.create_user(session, **body.model_dump())
    roles = {"admin": user.is_admin, "researcher": user.is_researcher}
    repository.audit(session, admin, "user.created", ("user", user.id), roles)
    made, key = repository.create_api_key(session, user=user, name="first key")
    repository.audit_now(
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
            repository.members_of(session, organisation_id=organisation.id),
            request,
            response,
            page,
        )
    ]


@router.put(
    "/organisations/{organisation_id}/members",
    tags=["organisations"],
    responses=declared(
        MANAGED, LAST_CONSULTANT, {201: {"model": MemberPublic, "description": "Added."}}
    ),
)
def set_member(
    body: MemberSet,
    organisation: ManagedOrganisationDep,
    session: SessionDep,
    actor: UserDep,
    response: Response,
) -> MemberPublic:
    """Add an existing user to the organisation, or change their role (201 when added)."""
    user = repository.get_user_by_email(session, email=body.email)
    if user is None:
        raise HTTPException(
            422, f"No user has the e-mail {body.email}; an admin creates users first."
        )
    repository.audit(
        session,
        actor,
        "membership.set",
        ("organisation", organisation.id),
        {"user_id": str(user.id), "email": user.email, "role": body.role.value},
    )
    added = repository.set_membership(
        session, organisation_id=organisation.id, user=user, role=body.role
    )
    response.status_code = 201 if added else 200
    return MemberPublic(user_id=user.id, email=user.email, name=user.name, role=body.role)


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
    repository.audit(
        session,
        actor,
        "membership.removed",
        ("organisation", organisation.id),
        {"user_id": str(user_id)},
    )
    if not repository.remove_membership(session, organisation_id=organisation.id, user_id=user_id):
        raise HTTPException(404, "No such member.")
    return Response(status_code=204)
