"""Organisations (tenants) in the JSON API: making one, listing those you serve or belong
to, and the attributes their peer groups are formed by."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from assess.domain.attributes import ATTRIBUTES
from assess.persistence.repository import accounts
from assess.persistence.repository.accounts import count_organisations_for, organisations_for
from assess.persistence.repository.audit import audit, audit_now
from assess.persistence.repository.organisation_attributes import set_attributes
from assess.web.api.pagination import PAGED, PageDep, announce
from assess.web.deps import (
    MANAGED,
    NOT_FOUND,
    ManagedOrganisationDep,
    OrganisationDep,
    SessionDep,
    UserDep,
)
from assess.web.schemas.organisations import (
    OrganisationAttributes,
    OrganisationCreate,
    OrganisationPublic,
)

router = APIRouter(prefix="/api/v1")


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
    request: Request,
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
    k = request.app.state.settings.benchmark_k
    set_attributes(session, organisation=organisation, k=k, **chosen)
    return OrganisationPublic.model_validate(organisation)
