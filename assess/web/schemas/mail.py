"""Request and response bodies of the e-mail routes."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from assess.mail.content.kinds import MailKind, MailStatus
from assess.mail.content.texts import MAX_BODY, MAX_SUBJECT
from assess.persistence.repository.mail_templates import TemplateSource
from assess.web.schemas.fields import Moment

# Rounds are stored as a 32-bit integer, the smallest both databases share.
MAX_ROUND = 2**31 - 1


class InvitationsToSend(BaseModel):
    """Whom to send invitations to: by default everyone who has an address and has not
    had one."""

    model_config = ConfigDict(extra="forbid")
    invitation_ids: list[uuid.UUID] | None = Field(default=None, max_length=5000)


class ReminderRound(BaseModel):
    """A reminder round: by default the next one. Naming the round makes a repeated
    request (a form sent twice) add nobody a second reminder."""

    model_config = ConfigDict(extra="forbid")
    round: StrictInt | None = Field(default=None, ge=1, le=MAX_ROUND, examples=[1])


class SkippedPublic(BaseModel):
    """A respondent who gets no message this time, and why."""

    invitation_id: uuid.UUID
    label: str
    reason: str = Field(
        description="no_address, submitted, expired, no_link, pending, sent, in_round, "
        "refused_address or invitation_pending"
    )
    message: str


class Sending(BaseModel):
    """What a request to send queued: the messages go out in the background."""

    kind: MailKind
    round: StrictInt | None = Field(description="The reminder round; none for invitations.")
    queued: int
    skipped: list[SkippedPublic]
    deliveries_url: str = Field(description="Where each respondent's e-mails are listed.")


class MailPublic(BaseModel):
    """One e-mail to a respondent and where it stands."""

    id: uuid.UUID
    kind: MailKind
    round: int
    status: MailStatus = Field(
        description="queued (waiting, or to be tried again at next_attempt_at), sending, "
        "sent, failed (for good), interrupted (may have arrived; not sent again by itself) "
        "or cancelled (the respondent submitted, or the assessment closed, first)"
    )
    attempts: int
    recipient: str | None = Field(description="The address it went to.")
    language: str | None
    subject: str | None
    reason: str | None = Field(description="A short code of why it failed or waits.")
    error: str | None = Field(description="What happened, with the mail server's words.")
    smtp_code: int | None
    created_at: Moment
    next_attempt_at: Moment | None
    sent_at: Moment | None


class DeliveryPublic(BaseModel):
    """A respondent and the e-mails to them, oldest first."""

    invitation_id: uuid.UUID
    label: str
    email: str | None
    language: str | None
    submitted: bool
    mails: list[MailPublic]


class TemplateBody(BaseModel):
    """A subject and plain-text body with placeholders such as {link}."""

    model_config = ConfigDict(extra="forbid")
    subject: str = Field(
        min_length=1, max_length=MAX_SUBJECT, examples=["Ihre Einladung: {assessment}"]
    )
    body: str = Field(
        min_length=1, max_length=MAX_BODY, examples=["Guten Tag,\n\nIhr Link: {link}\n\nDanke!"]
    )


class TemplatePublic(BaseModel):
    """The wording in force for one kind of e-mail in one language, and whose it is."""

    kind: MailKind
    language: str
    subject: str
    body: str
    source: TemplateSource = Field(
        description="assessment, organisation, or default (the wording shipped)"
    )


class Templates(BaseModel):
    """Every template in force, and the placeholders they may use."""

    placeholders: dict[str, str]
    templates: list[TemplatePublic]


class Preview(BaseModel):
    """A template filled in as a respondent would read it (with an example link)."""

    subject: str
    body: str
