"""Mail templates and the outbox."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    Index,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from assess.mail.content.kinds import MailKind, MailStatus
from assess.persistence.models.common import timestamp


class MailTemplate(SQLModel, table=True):
    """An organisation's or one assessment's own wording of one kind of e-mail in one
    language. An assessment's applies before its organisation's, and that before the
    wording the service ships."""

    __tablename__ = "mail_templates"
    __table_args__ = (
        UniqueConstraint("organisation_id", "kind", "language"),
        UniqueConstraint("assessment_id", "kind", "language"),
        CheckConstraint("(organisation_id IS NULL) <> (assessment_id IS NULL)", name="one_owner"),
    )
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    organisation_id: uuid.UUID | None = Field(
        default=None, foreign_key="organisations.id", ondelete="CASCADE"
    )
    assessment_id: uuid.UUID | None = Field(
        default=None, foreign_key="assessments.id", ondelete="CASCADE"
    )
    kind: MailKind = Field(max_length=20)
    language: str = Field(max_length=16)
    subject: str = Field(max_length=300)
    body: str = Field(sa_type=Text)
    updated_at: datetime = timestamp()


class OutboxMail(SQLModel, table=True):
    """One e-mail to one respondent, from queued to sent (or why not).

    (invitation, kind, round) is unique: a second request for the same message finds it
    there, so nobody gets a second copy. Its text is composed when it is sent, from the
    template then in force; the link in it is never stored.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("invitation_id", "kind", "round"),
        Index("ix_outbox_due", "status", "next_attempt_at"),
    )
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    invitation_id: uuid.UUID = Field(foreign_key="invitations.id", ondelete="CASCADE")
    assessment_id: uuid.UUID = Field(foreign_key="assessments.id", ondelete="CASCADE", index=True)
    kind: MailKind = Field(max_length=20)
    round: int = 0  # invitations: 0, then one more per explicit resend; reminders: 1, 2, …
    status: MailStatus = Field(default=MailStatus.queued, max_length=20)
    attempts: int = 0
    next_attempt_at: datetime = timestamp()
    # Which sender holds it: a claim token, and when it was claimed and handed to the
    # mail server (see assess/mail/delivery/sender.py for what a stopped sender leaves).
    claim: str | None = Field(default=None, max_length=32)
    claimed_at: datetime | None = timestamp(nullable=True)
    handed_at: datetime | None = timestamp(nullable=True)
    recipient: str | None = Field(default=None, max_length=254)
    language: str | None = Field(default=None, max_length=16)
    subject: str | None = Field(default=None, max_length=300)
    smtp_code: int | None = None
    reason: str | None = Field(default=None, max_length=32)  # a code the pages translate
    error: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = timestamp()
    sent_at: datetime | None = timestamp(nullable=True)
