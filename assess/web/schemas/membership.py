"""Response bodies of invitations to join an organisation."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, Field

from assess.persistence.models.accounts import Role
from assess.web.schemas.fields import Moment


class MemberInvited(BaseModel):
    """An invitation sent: the same answer whether or not anyone has an account with the
    address, so it tells nobody who has one."""

    email: str
    role: Role
    status: Literal["invited"] = "invited"
    expires_at: Moment


class MembershipInvitationPublic(BaseModel):
    """An invitation to join an organisation, as the person invited sees it."""

    id: uuid.UUID
    organisation_id: uuid.UUID
    organisation_name: str
    role: Role
    invited_by: str | None = Field(description="The inviter's e-mail; null if they left.")
    created_at: Moment
    expires_at: Moment


class MembershipAccepted(BaseModel):
    """The organisation joined by accepting, and the role in it."""

    organisation_id: uuid.UUID
    role: Role
