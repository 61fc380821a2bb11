"""Invitations to an assessment: made in bulk, their links, addresses and respondents."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from assess.persistence.models.assessments import Assessment, Invitation
from assess.persistence.models.responses import Response, ResponseStatus
from assess.persistence.repository.common import Conflict
from assess.persistence.security import digest, link_token


class Invitee(NamedTuple):
    """Whom an invitation is for: a label, and optionally a department, an e-mail
    address (checked by the caller) and a language."""

    label: str
    department: str | None = None
    email: str | None = None
    language: str | None = None
    lead: bool = False


class LeadTaken(Exception):
    """An assessment has its lead already (one at most); the message names them."""

    def __init__(self, label: str) -> None:
        super().__init__(
            f"'{label}' is already the lead of this assessment; remove that first "
            "(one respondent at most answers the items asked of the lead)"
        )
        self.label = label


def create_invitations(
    session: Session,
    *,
    assessment: Assessment,
    entries: Sequence[Invitee | tuple[str, str | None]],
    key: str,
    expires_at: datetime | None = None,
) -> list[tuple[Invitation, str]]:
    """Invitations for invitees (or (label, department) pairs), all or none; with their
    links' tokens, derived from the server's `key` (see `link_of`).

    Conflict if a label is taken, by an invitation or by a response imported under it;
    LeadTaken if one is marked as the lead while the assessment has one (an invitation
    or an imported response).
    """
    invitees = [Invitee(*entry) for entry in entries]
    leads = [invitee.label for invitee in invitees if invitee.lead]
    if len(leads) > 1:
        raise LeadTaken(leads[0])
    if leads and (taken := lead_label(session, assessment_id=assessment.id)) is not None:
        raise LeadTaken(taken)
    answered = set(
        session.exec(select(Response.respondent).where(Response.assessment_id == assessment.id))
    ).intersection(invitee.label for invitee in invitees)
    if answered:
        raise Conflict(
            f"respondent {', '.join(sorted(answered)[:5])} has answers in this assessment "
            "already; choose another label"
        )
    made = []
    for invitee in invitees:
        invitation = Invitation(
            assessment_id=assessment.id,
            label=invitee.label,
            department=invitee.department,
            email=invitee.email,
            language=invitee.language,
            lead=invitee.lead,
            token_hash="",
        )
        token = _new_link(invitation, key)
        invitation.expires_at = expires_at
        session.add(invitation)
        made.append((invitation, token))
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        if leads and (taken := lead_label(session, assessment_id=assessment.id)) is not None:
            raise LeadTaken(taken) from None  # a request racing this one chose one
        raise Conflict("an invitation with one of these labels exists already") from None
    return made


def lead_of(session: Session, *, assessment_id: uuid.UUID) -> Invitation | None:
    """The invitation of an assessment marked as its lead; None while there is none."""
    return session.exec(
        select(Invitation).where(
            Invitation.assessment_id == assessment_id, col(Invitation.lead).is_(True)
        )
    ).first()


def lead_label(session: Session, *, assessment_id: uuid.UUID) -> str | None:
    """Who is an assessment's lead, by label: the invitation marked as the lead, else the
    response imported as the lead (an answers file's `lead` column); None while neither."""
    invited = lead_of(session, assessment_id=assessment_id)
    if invited is not None:
        return invited.label
    return session.exec(
        select(Response.respondent).where(
            Response.assessment_id == assessment_id, col(Response.lead).is_(True)
        )
    ).first()


def set_lead(session: Session, *, invitation: Invitation, lead: bool) -> None:
    """Mark an invitation as its assessment's lead, or unmark it; LeadTaken (nothing
    changed) while another invitation, or an imported response, is the lead."""
    if lead and not invitation.lead:
        taken = lead_label(session, assessment_id=invitation.assessment_id)
        if taken is not None:
            raise LeadTaken(taken)
    invitation.lead = lead
    session.add(invitation)
    try:
        session.commit()
    except IntegrityError:  # another request chose a lead meanwhile
        session.rollback()
        taken = lead_label(session, assessment_id=invitation.assessment_id)
        raise LeadTaken(taken or "another respondent") from None


def set_invitation_address(
    session: Session, *, invitation: Invitation, email: str | None, language: str | None
) -> None:
    """Change where and in which language an invitation is e-mailed (checked by the
    caller); e-mails waiting to go out use the new address."""
    invitation.email, invitation.language = email, language
    session.add(invitation)
    session.commit()


@dataclass(frozen=True)
class Respondent:
    """An invitation with how far its respondent got."""

    invitation: Invitation
    status: ResponseStatus | None  # None: not started
    updated_at: datetime | None


def respondents_of(
    session: Session, *, assessment_id: uuid.UUID, offset: int = 0, limit: int | None = None
) -> list[Respondent]:
    """An assessment's invitations by label (then id), each with its response's status."""
    rows = session.exec(
        select(Invitation, Response.status, Response.updated_at)
        .join(Response, col(Response.invitation_id) == col(Invitation.id), isouter=True)
        .where(Invitation.assessment_id == assessment_id)
        .order_by(col(Invitation.label), col(Invitation.id))
        .offset(offset)
        .limit(limit)
    ).all()
    return [
        Respondent(invitation, ResponseStatus(status) if status else None, updated)
        for invitation, status, updated in rows
    ]


def invitation_in(
    session: Session, *, assessment_id: uuid.UUID, invitation_id: uuid.UUID
) -> Invitation | None:
    """One invitation of an assessment; None for another assessment's."""
    invitation = session.get(Invitation, invitation_id)
    return invitation if invitation and invitation.assessment_id == assessment_id else None


def link_of(invitation: Invitation, *, key: str) -> str | None:
    """The token of an invitation's link, recomputed from the server's key; None when
    the link was made before links could be shown again, or under another key."""
    if invitation.link_salt is None:
        return None
    token = link_token(key, invitation.id, invitation.link_salt)
    return token if digest(token) == invitation.token_hash else None


def renew_link(session: Session, *, invitation: Invitation, key: str) -> str:
    """A new link for an invitation; the old one stops working, answers stay."""
    token = _new_link(invitation, key)
    session.add(invitation)
    session.commit()
    return token


def _new_link(invitation: Invitation, key: str) -> str:
    invitation.link_salt = secrets.token_hex(8)
    token = link_token(key, invitation.id, invitation.link_salt)
    invitation.token_hash = digest(token)
    return token


def invitations_of(
    session: Session, *, assessment_id: uuid.UUID, offset: int = 0, limit: int | None = None
) -> Sequence[Invitation]:
    """An assessment's invitations, by label (and id, for a stable order of pages)."""
    return session.exec(
        select(Invitation)
        .where(Invitation.assessment_id == assessment_id)
        .order_by(col(Invitation.label), col(Invitation.id))
        .offset(offset)
        .limit(limit)
    ).all()


def count_invitations(session: Session, *, assessment_id: uuid.UUID) -> int:
    """How many invitations an assessment has."""
    return session.exec(select(func.count()).where(Invitation.assessment_id == assessment_id)).one()
