"""Invitations to join an organisation: recorded for an e-mail address, whether or not
anyone has an account with it, and turned into a membership only by the user with that
address accepting."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from assess.persistence.models.accounts import Membership, MembershipInvitation, Role, User
from assess.persistence.models.common import aware, utcnow
from assess.persistence.models.organisations import Organisation
from assess.persistence.repository.common import Conflict
from assess.persistence.security import digest

INVITATION_DAYS = 14


def normalised_email(email: str) -> str:
    """An e-mail address as users' addresses are stored: stripped, in lower case."""
    return email.strip().lower()


def member_with_email(session: Session, *, organisation_id: uuid.UUID, email: str) -> User | None:
    """The organisation's member with this e-mail, if they are one."""
    return session.exec(
        select(User)
        .join(Membership, col(Membership.user_id) == col(User.id))
        .where(
            Membership.organisation_id == organisation_id,
            User.email == normalised_email(email),
        )
    ).first()


def invite_member(
    session: Session,
    *,
    organisation_id: uuid.UUID,
    email: str,
    role: Role,
    invited_by: User,
    days: int = INVITATION_DAYS,
) -> MembershipInvitation:
    """Record an invitation to the organisation for an e-mail (a second one renews the
    first: new role, token and expiry), and commit it with what the session holds (its
    audit entry). Expired invitations of any organisation are deleted on the way."""
    address = normalised_email(email)
    now = utcnow()
    session.execute(delete(MembershipInvitation).where(col(MembershipInvitation.expires_at) <= now))
    # A token for a link to accept by; only its hash is kept, so the table gives none away.
    token_hash = digest(secrets.token_urlsafe(32))
    invitation = session.exec(
        select(MembershipInvitation).where(
            MembershipInvitation.organisation_id == organisation_id,
            MembershipInvitation.email == address,
        )
    ).first() or MembershipInvitation(
        organisation_id=organisation_id, email=address, role=role, token_hash=token_hash
    )
    invitation.role = role
    invitation.invited_by_id = invited_by.id
    invitation.token_hash = token_hash
    invitation.created_at = now
    invitation.expires_at = now + timedelta(days=days)
    session.add(invitation)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict("this address was invited at the same moment; send it again") from None
    return invitation


@dataclass(frozen=True)
class PendingInvitation:
    """An invitation as its addressee sees it: to which organisation, as what, from whom."""

    invitation: MembershipInvitation
    organisation_name: str
    invited_by: str | None  # the inviter's e-mail, unless their account is gone


def pending_invitations_for(session: Session, *, user: User) -> list[PendingInvitation]:
    """The invitations to the user's e-mail that have not expired, oldest first."""
    rows = session.exec(
        select(MembershipInvitation, Organisation.name, User.email)
        .join(Organisation, col(Organisation.id) == col(MembershipInvitation.organisation_id))
        .outerjoin(User, col(User.id) == col(MembershipInvitation.invited_by_id))
        .where(
            MembershipInvitation.email == normalised_email(user.email),
            MembershipInvitation.expires_at > utcnow(),
        )
        .order_by(col(MembershipInvitation.created_at), col(MembershipInvitation.id))
    ).all()
    return [PendingInvitation(invitation, name, inviter) for invitation, name, inviter in rows]


def invitation_for(
    session: Session, *, user: User, invitation_id: uuid.UUID
) -> MembershipInvitation | None:
    """An invitation addressed to the user's e-mail (expired or not); None for any other."""
    return session.exec(
        select(MembershipInvitation).where(
            MembershipInvitation.id == invitation_id,
            MembershipInvitation.email == normalised_email(user.email),
        )
    ).first()


def has_expired(invitation: MembershipInvitation, now: datetime | None = None) -> bool:
    """Whether the invitation can no longer be accepted."""
    return aware(invitation.expires_at) <= (now or utcnow())


def accept_invitation(session: Session, *, invitation: MembershipInvitation, user: User) -> Role:
    """Make the user a member of the invitation's organisation (one already in it keeps
    their role), delete the invitation and commit with its audit entry; their role."""
    membership = session.exec(
        select(Membership).where(
            Membership.organisation_id == invitation.organisation_id,
            Membership.user_id == user.id,
        )
    ).first()
    if membership is None:
        membership = Membership(
            user_id=user.id, organisation_id=invitation.organisation_id, role=invitation.role
        )
        session.add(membership)
    session.delete(invitation)
    session.commit()
    return Role(membership.role)


def decline_invitation(session: Session, *, invitation: MembershipInvitation) -> None:
    """Delete the invitation, committing it with its audit entry."""
    session.delete(invitation)
    session.commit()
