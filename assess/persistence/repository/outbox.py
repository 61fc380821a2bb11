"""The outbox: e-mails to respondents, queued by requests and sent by a background
sender in any web process. A message is claimed in one statement (SKIP LOCKED on
PostgreSQL; SQLite has one writer at a time), and every later step checks the claim, so
two senders never send the same message."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from assess.mail.content.kinds import MailKind, MailStatus
from assess.persistence.models.assessments import Assessment, Invitation
from assess.persistence.models.mail import OutboxMail
from assess.persistence.models.organisations import Organisation
from assess.persistence.models.questionnaires import QuestionnaireVersion
from assess.persistence.models.responses import Response, ResponseStatus
from assess.persistence.repository.common import writing

_outbox = OutboxMail.__table__  # type: ignore[attr-defined]
# Rows per INSERT: SQLite takes at most 32,766 parameters in one statement.
_CHUNK = 500


@dataclass(frozen=True)
class Recipient:
    """An invitation, whether its respondent has submitted, and its e-mails, oldest first."""

    invitation: Invitation
    submitted: bool
    mails: list[OutboxMail]


def recipients_of(
    session: Session, *, assessment_id: uuid.UUID, invitation_ids: Sequence[uuid.UUID] | None = None
) -> list[Recipient]:
    """An assessment's invitations (or those named) by label, with their e-mails."""
    query = select(Invitation).where(Invitation.assessment_id == assessment_id)
    if invitation_ids is not None:
        query = query.where(col(Invitation.id).in_(invitation_ids))
    invitations = session.exec(query.order_by(col(Invitation.label), col(Invitation.id))).all()
    submitted = set(
        session.exec(
            select(Response.invitation_id).where(
                Response.assessment_id == assessment_id,
                Response.status == ResponseStatus.submitted,
            )
        )
    )
    mails = mails_of(session, assessment_id=assessment_id)
    return [Recipient(i, i.id in submitted, mails.get(i.id, [])) for i in invitations]


def mails_of(session: Session, *, assessment_id: uuid.UUID) -> dict[uuid.UUID, list[OutboxMail]]:
    """An assessment's e-mails by invitation, oldest first."""
    mails: dict[uuid.UUID, list[OutboxMail]] = {}
    for mail in session.exec(
        select(OutboxMail)
        .where(OutboxMail.assessment_id == assessment_id)
        .order_by(col(OutboxMail.created_at), col(OutboxMail.kind), col(OutboxMail.round))
    ):
        mails.setdefault(mail.invitation_id, []).append(mail)
    return mails


def queue_mail(
    session: Session,
    *,
    assessment_id: uuid.UUID,
    kind: MailKind,
    entries: Sequence[tuple[uuid.UUID, int]],
    now: datetime,
) -> set[uuid.UUID]:
    """Queue one message of `kind` per (invitation, round); one that is there already,
    asked for by an earlier or a simultaneous request, is left as it is. The
    invitations whose message this call queued."""
    queued: set[uuid.UUID] = set()
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    with writing(session):
        for start in range(0, len(entries), _CHUNK):
            rows = [
                _new_row(assessment_id, kind, invitation_id, round_, now)
                for invitation_id, round_ in entries[start : start + _CHUNK]
            ]
            statement = (
                insert(_outbox)
                .values(rows)
                .on_conflict_do_nothing(index_elements=["invitation_id", "kind", "round"])
                .returning(_outbox.c.invitation_id)
            )
            queued.update(session.execute(statement).scalars())
        session.commit()
    return queued


def _new_row(
    assessment_id: uuid.UUID, kind: MailKind, invitation_id: uuid.UUID, round_: int, now: datetime
) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "invitation_id": invitation_id,
        "assessment_id": assessment_id,
        "kind": kind,
        "round": round_,
        "status": MailStatus.queued,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }


def last_reminder_round(session: Session, *, assessment_id: uuid.UUID) -> int:
    """The highest reminder round of an assessment so far; 0 before the first."""
    highest = session.exec(
        select(func.max(OutboxMail.round)).where(
            OutboxMail.assessment_id == assessment_id, OutboxMail.kind == MailKind.reminder
        )
    ).one()
    return int(highest or 0)


def mail_is_due(session: Session, *, now: datetime) -> bool:
    """Whether a queued message waits to be sent (a read: no write when there is none)."""
    return (
        session.exec(
            select(OutboxMail.id)
            .where(OutboxMail.status == MailStatus.queued, col(OutboxMail.next_attempt_at) <= now)
            .limit(1)
        ).first()
        is not None
    )


def claim_mail(session: Session, *, claim: str, now: datetime, limit: int) -> list[uuid.UUID]:
    """Take up to `limit` due messages for this sender, in one statement: on PostgreSQL
    rows another sender is taking are skipped, not waited for. Their ids, oldest first."""
    due = (
        select(OutboxMail.id)
        .where(OutboxMail.status == MailStatus.queued, col(OutboxMail.next_attempt_at) <= now)
        .order_by(col(OutboxMail.next_attempt_at), col(OutboxMail.created_at))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    with writing(session):
        claimed = session.execute(
            update(OutboxMail)
            .where(
                col(OutboxMail.id).in_(due.scalar_subquery()),
                col(OutboxMail.status) == MailStatus.queued,
            )
            .values(
                status=MailStatus.sending,
                claim=claim,
                claimed_at=now,
                handed_at=None,
                attempts=col(OutboxMail.attempts) + 1,
            )
            .returning(col(OutboxMail.id), col(OutboxMail.next_attempt_at))
        ).all()
        session.commit()
    return [row[0] for row in sorted(claimed, key=lambda row: row[1])]


@dataclass(frozen=True)
class Parcel:
    """What one claimed message is composed from."""

    mail: OutboxMail
    invitation: Invitation
    assessment: Assessment
    organisation: Organisation
    version: QuestionnaireVersion
    submitted: bool


def parcel_of(session: Session, *, mail_id: uuid.UUID) -> Parcel | None:
    """A message with its invitation, assessment, organisation and questionnaire version."""
    row = session.exec(
        select(OutboxMail, Invitation, Assessment)
        .join(Invitation, col(Invitation.id) == col(OutboxMail.invitation_id))
        .join(Assessment, col(Assessment.id) == col(OutboxMail.assessment_id))
        .where(OutboxMail.id == mail_id)
    ).first()
    if row is None:
        return None
    mail, invitation, assessment = row
    organisation = session.get(Organisation, assessment.organisation_id)
    version = session.get(QuestionnaireVersion, assessment.questionnaire_version_id)
    assert organisation is not None  # foreign keys guarantee both
    assert version is not None
    submitted = session.exec(
        select(Response.id).where(
            Response.invitation_id == invitation.id, Response.status == ResponseStatus.submitted
        )
    ).first()
    return Parcel(mail, invitation, assessment, organisation, version, submitted is not None)


def hand_mail(
    session: Session,
    *,
    mail_id: uuid.UUID,
    claim: str,
    now: datetime,
    recipient: str,
    language: str,
    subject: str,
) -> bool:
    """Record that a message is about to be handed to the mail server, if this sender
    still holds it; False when it does not (the message is then left alone)."""
    return _update_claimed(
        session,
        mail_id,
        claim,
        {"handed_at": now, "recipient": recipient, "language": language, "subject": subject},
    )


def end_attempt(
    session: Session,
    *,
    mail_id: uuid.UUID,
    claim: str,
    status: MailStatus,
    now: datetime,
    next_attempt_at: datetime | None = None,
    reason: str | None = None,
    error: str | None = None,
    code: int | None = None,
) -> bool:
    """Record how an attempt ended: sent, failed, interrupted or cancelled, or queued
    again for `next_attempt_at`. False when this sender no longer held the message."""
    values: dict[str, Any] = {"status": status, "reason": reason, "error": error}
    values["smtp_code"] = code
    if status == MailStatus.sent:
        values["sent_at"] = now
    if status == MailStatus.queued:
        values.update(claim=None, claimed_at=None, handed_at=None, next_attempt_at=next_attempt_at)
    return _update_claimed(session, mail_id, claim, values)


def _update_claimed(
    session: Session, mail_id: uuid.UUID, claim: str, values: dict[str, Any]
) -> bool:
    with writing(session):
        changed = session.execute(
            update(OutboxMail)
            .where(
                col(OutboxMail.id) == mail_id,
                col(OutboxMail.claim) == claim,
                col(OutboxMail.status) == MailStatus.sending,
            )
            .values(values)
            .returning(col(OutboxMail.id))
        ).first()
        session.commit()
    return changed is not None


def recover_stalled_mail(session: Session, *, before: datetime, error: str) -> tuple[int, int]:
    """Messages a stopped sender left: those claimed before `before` and never handed to
    the mail server are queued again; those handed to it before `before` with no answer
    recorded become interrupted, with `error`, and are not sent again by themselves.
    How many of each."""
    stalled = col(OutboxMail.status) == MailStatus.sending
    with writing(session):
        requeued = session.execute(
            update(OutboxMail)
            .where(
                stalled,
                col(OutboxMail.handed_at).is_(None),
                or_(col(OutboxMail.claimed_at).is_(None), col(OutboxMail.claimed_at) < before),
            )
            .values(status=MailStatus.queued, claim=None, claimed_at=None)
            .returning(col(OutboxMail.id))
        ).all()
        interrupted = session.execute(
            update(OutboxMail)
            .where(stalled, col(OutboxMail.handed_at) < before)
            .values(status=MailStatus.interrupted, reason="interrupted", error=error)
            .returning(col(OutboxMail.id))
        ).all()
        session.commit()
    return len(requeued), len(interrupted)
