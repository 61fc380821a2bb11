"""People and their ways in: users, web sessions, API keys, memberships, sign-in
failures and request counts."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    Index,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from assess.persistence.models.common import timestamp


class Role(StrEnum):
    """What a user may do within one organisation."""

    consultant = "consultant"
    member = "member"


class User(SQLModel, table=True):
    """A person who signs in: an admin, a consultant or member, or a researcher."""

    __tablename__ = "users"
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    email: str = Field(max_length=320, unique=True)
    name: str = Field(default="", max_length=200)
    is_admin: bool = False
    is_researcher: bool = False
    password_hash: str | None = Field(default=None, max_length=200)
    created_at: datetime = timestamp()


class WebSession(SQLModel, table=True):
    """A signed-in browser: the cookie holds the token, the table only its hash, so a
    session ends everywhere at once (sign-out, or a new password) and any web worker
    can read it."""

    __tablename__ = "web_sessions"
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = timestamp()
    expires_at: datetime = timestamp()


class SignInFailure(SQLModel, table=True):
    """A failed sign-in, under the hash of what it was counted by (an e-mail, an
    address): recent ones make further attempts wait."""

    __tablename__ = "sign_in_failures"
    __table_args__ = (Index("ix_sign_in_failures_key_at", "key_hash", "at"),)
    id: int | None = Field(default=None, primary_key=True)
    key_hash: str = Field(max_length=64)
    at: datetime = timestamp()


class RequestCount(SQLModel, table=True):
    """Requests counted under the hash of a key (a link, an address) in one fixed window
    of time, for rate limits every web worker shares. On PostgreSQL the table is
    unlogged: a lost count after a crash costs nothing, and commits need no flush."""

    __tablename__ = "request_counts"
    key_hash: str = Field(max_length=64, primary_key=True)
    window_start: int = Field(primary_key=True)  # seconds since the epoch
    count: int = Field(default=0)


class Membership(SQLModel, table=True):
    """A user's role in one organisation."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "organisation_id"),)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    organisation_id: uuid.UUID = Field(
        foreign_key="organisations.id", ondelete="CASCADE", index=True
    )
    role: Role = Field(max_length=20)


class MembershipInvitation(SQLModel, table=True):
    """An invitation to join an organisation, addressed to an e-mail: the Membership
    exists only once its owner (the user with that e-mail) accepts. Accepted or declined,
    it is deleted (the audit log keeps that it was); only the hash of its token is kept."""

    __tablename__ = "membership_invitations"
    __table_args__ = (UniqueConstraint("organisation_id", "email"),)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    organisation_id: uuid.UUID = Field(
        foreign_key="organisations.id", ondelete="CASCADE", index=True
    )
    email: str = Field(max_length=320, index=True)  # lower case, as users' e-mails are
    role: Role = Field(max_length=20)
    invited_by_id: uuid.UUID | None = Field(
        default=None, foreign_key="users.id", ondelete="SET NULL", index=True
    )
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = timestamp()
    expires_at: datetime = timestamp()


class ApiKey(SQLModel, table=True):
    """A bearer key: its prefix is shown and looked up, its secret only stored hashed."""

    __tablename__ = "api_keys"
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    prefix: str = Field(max_length=32, unique=True)
    secret_hash: str = Field(max_length=64)
    name: str = Field(default="", max_length=200)
    created_at: datetime = timestamp()
    revoked_at: datetime | None = timestamp(nullable=True)
    last_used_at: datetime | None = timestamp(nullable=True)
