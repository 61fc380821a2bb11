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
    SessionDep,
    UserDep,
)
from assess.web.pagination import PAGED, PageDep, page_from
from assess.web.schemas import MemberPublic, MemberSet, UserCreate, UserCreated, UserPublic

router = APIRouter(prefix="/api/v1")


@router.get("/me", tags=["users"])
def me(user: UserDep) -> UserPublic:
    """The user whose API key came with the request."""
    return UserPublic.model_validate(user)


@router.post("/users", tags=["users"], status_code=201, responses={403: {"description": "Admins"}})
def create_user(body: UserCreate, session: SessionDep, admin: AdminDep) -> UserCreated:
    """A new user with a first API key (admins only). The key is shown this once."""
    user = repository.create_user(session, **body.model_dump())
    _, key = repository.create_api_key(session, user=user, name="first key")
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


@router.put("/organisations/{organisation_id}/members", tags=["organisations"], responses=MANAGED)
def set_member(
    body: MemberSet, organisation: ManagedOrganisationDep, session: SessionDep, response: Response
) -> MemberPublic:
    """Add an existing user to the organisation, or change their role (201 when added)."""
    user = repository.get_user_by_email(session, email=body.email)
    if user is None:
        raise HTTPException(
            422, f"No user has the e-mail {body.email}; an admin creates users first."
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
    responses=MANAGED,
)
def remove_member(
    user_id: uuid.UUID, organisation: ManagedOrganisationDep, session: SessionDep
) -> Response:
    """Take someone out of the organisation (never its last consultant)."""
    if not repository.remove_membership(session, organisation_id=organisation.id, user_id=user_id):
        raise HTTPException(404, "No such member.")
    return Response(status_code=204)
