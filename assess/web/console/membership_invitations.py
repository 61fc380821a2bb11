"""The invitations to join an organisation that wait for the signed-in person's answer:
they join only by accepting one."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from assess.persistence.models.accounts import MembershipInvitation
from assess.persistence.repository.membership_invitations import (
    has_expired,
    invitation_for,
    pending_invitations_for,
)
from assess.web.actions import joining
from assess.web.console.access import ConsoleProblem, FormDep, Staff, StaffDep, see_other

router = APIRouter(include_in_schema=False)


@router.get("/membership-invitations")
def invitations_page(staff: StaffDep) -> HTMLResponse:
    """The person's pending invitations, each with accept and decline."""
    return staff.render(
        "console/membership_invitations.html.j2",
        invitations=pending_invitations_for(staff.session, user=staff.user),
        done=staff.request.query_params.get("done"),
    )


@router.post("/membership-invitations/{membership_invitation_id}/accept", response_model=None)
def accept(membership_invitation_id: uuid.UUID, staff: StaffDep, form: FormDep) -> Response:
    """Join the organisation of an invitation to the person's e-mail."""
    invitation = _own(staff, membership_invitation_id)
    if has_expired(invitation):
        return see_other("/membership-invitations", done="expired")
    organisation_id = invitation.organisation_id
    joining.accept(staff.session, staff.user, invitation)
    return see_other(f"/organisations/{organisation_id}", done="joined")


@router.post("/membership-invitations/{membership_invitation_id}/decline", response_model=None)
def decline(membership_invitation_id: uuid.UUID, staff: StaffDep, form: FormDep) -> Response:
    """Say no to an invitation to the person's e-mail: it is deleted."""
    invitation = _own(staff, membership_invitation_id)
    joining.decline(staff.session, staff.user, invitation)
    return see_other("/membership-invitations", done="declined")


def _own(staff: Staff, invitation_id: uuid.UUID) -> MembershipInvitation:
    found = invitation_for(staff.session, user=staff.user, invitation_id=invitation_id)
    if found is None:
        raise ConsoleProblem(404, "not_found")
    return found
