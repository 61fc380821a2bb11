"""The API's bodies about users of the instance and the people of an organisation."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from assess.persistence.models.accounts import Role


class UserCreate(BaseModel):
    """A new user of this instance."""

    model_config = ConfigDict(extra="forbid")
    email: str = Field(
        min_length=3, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$", examples=["ana@example.org"]
    )
    name: str = Field(default="", max_length=200, examples=["Ana Berger"])
    is_admin: StrictBool = False
    is_researcher: StrictBool = False


class UserPublic(BaseModel):
    """A user as the API shows them."""

    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    email: str
    name: str
    is_admin: bool
    is_researcher: bool


class UserCreated(UserPublic):
    """A new user with their first API key, shown this once."""

    api_key: str = Field(description="Shown once; only its hash is kept.")


class MemberSet(BaseModel):
    """Invite someone to an organisation by e-mail, or change a member's role."""

    model_config = ConfigDict(extra="forbid")
    email: str = Field(
        min_length=3, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$", examples=["ana@example.org"]
    )
    role: Role = Field(
        examples=["member"],
        description="consultant: runs the organisation's assessments; member: sees results.",
    )


class MemberPublic(BaseModel):
    """A person of an organisation."""

    user_id: uuid.UUID
    email: str
    name: str
    role: Role
