"""Who gets a message when invitations or a reminder round are sent, and why the others
do not. Nobody gets the same message twice: an invitation that was sent, or may have
been (interrupted), is not sent again unless asked for one respondent at a time."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from assess.mail.content.kinds import MailKind, MailStatus
from assess.persistence.models.assessments import Invitation
from assess.persistence.models.common import aware
from assess.persistence.repository.outbox import Recipient

PENDING = (MailStatus.queued, MailStatus.sending)
# Out, or possibly out: sending again would be a second copy.
DELIVERED = (MailStatus.sent, MailStatus.interrupted)
REASONS = {
    "no_address": "has no e-mail address",
    "submitted": "has submitted already",
    "expired": "their link has expired",
    "no_link": (
        "their link was made under another server key and cannot be shown again: make a "
        "new link first"
    ),
    "pending": "an e-mail of this kind to them is waiting to go out",
    "sent": (
        "has had the invitation (or it was interrupted while sending and may have "
        "arrived): send it to them again on its own if needed"
    ),
    "in_round": "is in this reminder round already",
    "refused_address": "the mail server refused their address for good: correct it first",
    "invitation_pending": "their invitation has not gone out yet",
}


@dataclass(frozen=True)
class Skipped:
    """A respondent who gets no message this time, and why (a key of REASONS)."""

    invitation_id: uuid.UUID
    label: str
    reason: str

    @property
    def message(self) -> str:
        """Why, in words."""
        return REASONS[self.reason]


@dataclass
class Plan:
    """The messages to queue, as (invitation, round), and who is left out."""

    entries: list[tuple[uuid.UUID, int]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    labels: dict[uuid.UUID, str] = field(default_factory=dict)

    def add(self, invitation: Invitation, round_: int) -> None:
        """Send a respondent the message of `round_`."""
        self.entries.append((invitation.id, round_))
        self.labels[invitation.id] = invitation.label

    def skip(self, invitation: Invitation, reason: str) -> None:
        """Leave a respondent out, for `reason`."""
        self.skipped.append(Skipped(invitation.id, invitation.label, reason))


def plan_invitations(
    recipients: Sequence[Recipient],
    *,
    has_link: Callable[[Invitation], bool],
    now: datetime,
    again: bool = False,
) -> Plan:
    """Invitations for those who have none sent or on its way; with `again`, a new copy
    for those who had one (a respondent who lost it), still never while one is on its way."""
    plan = Plan()
    for recipient in recipients:
        invitation = recipient.invitation
        mails = [m for m in recipient.mails if m.kind == MailKind.invitation]
        reason = _reason_not_to_mail(recipient, has_link, now)
        if reason is None and not again and _address_refused(recipient):
            reason = "refused_address"
        if reason is None and any(m.status in PENDING for m in mails):
            reason = "pending"
        if reason is None and not again and any(m.status in DELIVERED for m in mails):
            reason = "sent"
        if reason is not None:
            plan.skip(invitation, reason)
            continue
        plan.add(invitation, max((m.round for m in mails), default=-1) + 1)
    return plan


def plan_reminders(
    recipients: Sequence[Recipient],
    *,
    round_: int,
    has_link: Callable[[Invitation], bool],
    now: datetime,
) -> Plan:
    """Reminder round `round_`: one message to each respondent with an address who has
    not submitted, is not in that round yet and has no invitation on its way."""
    plan = Plan()
    for recipient in recipients:
        reason = _reason_not_to_mail(recipient, has_link, now)
        if reason is None and any(
            m.kind == MailKind.reminder and m.round == round_ for m in recipient.mails
        ):
            reason = "in_round"
        if reason is None and _address_refused(recipient):
            reason = "refused_address"
        if reason is None and any(
            m.kind == MailKind.invitation and m.status in PENDING for m in recipient.mails
        ):
            reason = "invitation_pending"
        if reason is not None:
            plan.skip(recipient.invitation, reason)
            continue
        plan.add(recipient.invitation, round_)
    return plan


def _reason_not_to_mail(
    recipient: Recipient, has_link: Callable[[Invitation], bool], now: datetime
) -> str | None:
    invitation = recipient.invitation
    if not invitation.email:
        return "no_address"
    if recipient.submitted:
        return "submitted"
    if invitation.expires_at is not None and aware(invitation.expires_at) <= now:
        return "expired"
    if not has_link(invitation):
        return "no_link"
    return None


def _address_refused(recipient: Recipient) -> bool:
    """Whether the mail server refused the address the invitation has now, for good."""
    return any(
        m.status == MailStatus.failed
        and m.reason == "refused"
        and m.recipient == recipient.invitation.email
        for m in recipient.mails
    )
