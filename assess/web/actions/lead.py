"""Marking the respondent who answers the items asked of one person (the lead), from the
API or the console: one per assessment, each change noted in the audit log."""

from __future__ import annotations

from sqlmodel import Session

from assess.persistence.models.assessments import Invitation
from assess.persistence.repository.audit import Actor, audit
from assess.persistence.repository.invitations import LeadTaken, lead_label, set_lead


def mark_lead(
    session: Session, invitation: Invitation, lead: bool, actor: Actor, *, via: str
) -> None:
    """Make the invitation the lead, or no longer the lead; LeadTaken, nothing changed,
    while another respondent is the lead."""
    if lead == invitation.lead:
        return
    taken = lead_label(session, assessment_id=invitation.assessment_id) if lead else None
    if taken is not None:
        raise LeadTaken(taken)
    detail = {"assessment_id": str(invitation.assessment_id), "lead": lead, "via": via}
    audit(session, actor, "invitation.lead_set", ("invitation", invitation.id), detail)
    set_lead(session, invitation=invitation, lead=lead)
