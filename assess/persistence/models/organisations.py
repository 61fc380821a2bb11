"""Organisations and their saved report branding."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    LargeBinary,
)
from sqlmodel import Column, Field, SQLModel

from assess.persistence.models.common import JsonType, timestamp


class Organisation(SQLModel, table=True):
    """A tenant: a company assessing itself, or a consultant's client."""

    __tablename__ = "organisations"
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(max_length=200)
    industry: str | None = Field(default=None, max_length=64)
    size: str | None = Field(default=None, max_length=64)
    country: str | None = Field(default=None, max_length=64)
    # Attribute -> a value typed before attributes became choices that matches no option;
    # kept so that someone chooses one, and counted in no peer group meanwhile.
    unmatched_attributes: dict[str, str] = Field(
        default_factory=dict,
        sa_column=Column(JsonType, nullable=False, server_default="{}"),
    )
    benchmark_opt_in: bool = False
    # Made by `assess demo generate`: compared only with other demo organisations.
    is_demo: bool = False
    created_at: datetime = timestamp()


class SavedBranding(SQLModel, table=True):
    """A consultant's branding for their reports and portfolios: an accent colour and,
    if given, a logo (checked by assess.reporting.branding before it is kept). A draft is
    what is being previewed; the saved one is used until the draft is saved over it."""

    __tablename__ = "brandings"
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True)
    draft: bool = Field(default=False, primary_key=True)
    accent: str = Field(max_length=16)
    logo: bytes | None = Field(default=None, sa_type=LargeBinary)
    updated_at: datetime = timestamp()
