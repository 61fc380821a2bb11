"""Answering an invitation to join an organisation: what the API and the pages both do,
each with the audit entry that records it (never the invitation's token)."""

from __future__ import annotations

from sqlmodel import Session

from assess.persistence.models.accounts import MembershipInvitation, Role, User
from assess.persistence.repository.audit import audit
from assess.persistence.repository.membership_invitations import (
    accept_invitation,
    decline_invitation,
)


def accept(session: Session, user: User, invitation: MembershipInvitation) -> Role:
    """Make `user` a member of the invitation's organisation; their role in it."""
    audit(
        session,
        user,
        "membership.accepted",
        ("organisation", invitation.organisation_id),
        _detail(user, invitation),
    )
    return accept_invitation(session, invitation=invitation, user=user)


def decline(session: Session, user: User, invitation: MembershipInvitation) -> None:
    """Delete the invitation without joining."""
    audit(
        session,
        user,
        "membership.declined",
        ("organisation", invitation.organisation_id),
        _detail(user, invitation),
    )
    decline_invitation(session, invitation=invitation)


def _detail(user: User, invitation: MembershipInvitation) -> dict[str, str]:
    return {
        "user_id": str(user.id),
        "email": user.email,
        "role": invitation.role.value,
        "invitation_id": str(invitation.id),
    }
