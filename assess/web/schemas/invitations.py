"""The API's bodies about invitations: whom to invite, where and in which language."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from assess.web.schemas.fields import EmailAddress, GivenMoment, LanguageCode, Moment

LEAD = (
    "The lead answers the items asked of one person (informant: lead); one per "
    "assessment at most, so unmark the lead before marking another."
)


class InvitationCreate(BaseModel):
    """One respondent to invite."""

    model_config = ConfigDict(extra="forbid")
    label: str = Field(min_length=1, max_length=200, examples=["Anna (Vertrieb)"])
    department: str | None = Field(default=None, max_length=64, examples=["sales"])
    email: EmailAddress = None
    language: LanguageCode = None
    lead: StrictBool = Field(default=False, description=LEAD)


class InvitationChange(BaseModel):
    """Where and in which language an invitation is e-mailed, and whether it is the lead;
    what is left out stays."""

    model_config = ConfigDict(extra="forbid")
    email: EmailAddress = None
    language: LanguageCode = None
    lead: StrictBool = Field(default=False, description=LEAD)


class InvitationBatch(BaseModel):
    """Respondents to invite, all or none."""

    model_config = ConfigDict(extra="forbid")
    invitations: list[InvitationCreate] = Field(min_length=1, max_length=5000)
    expires_at: GivenMoment | None = None


class InvitationPublic(BaseModel):
    """An invitation, with its link where the server's key can recompute it."""

    id: uuid.UUID
    label: str
    department: str | None
    email: str | None = None
    language: str | None = None
    expires_at: Moment | None
    token: str | None = None
    link: str | None = None
    lead: bool = False
