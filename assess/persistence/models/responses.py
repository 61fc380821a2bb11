"""Responses, score snapshots and result releases."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Index, UniqueConstraint, false, text
from sqlmodel import Column, Field, SQLModel

from assess.persistence.models.common import JsonType, timestamp


class ResponseStatus(StrEnum):
    """A response can be saved any number of times until it is submitted, once."""

    in_progress = "in_progress"
    submitted = "submitted"


class Response(SQLModel, table=True):
    """A respondent's answers: one row per invitation (a unique constraint, not a check)."""

    __tablename__ = "responses"
    __table_args__ = (
        UniqueConstraint("assessment_id", "respondent"),
        # One imported lead per assessment; that no invitation is the lead besides is
        # checked where either is marked (repository/invitations.py: `lead_label`).
        Index(
            "one_imported_lead_per_assessment",
            "assessment_id",
            unique=True,
            sqlite_where=text("lead"),
            postgresql_where=text("lead"),
        ),
    )
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    assessment_id: uuid.UUID = Field(foreign_key="assessments.id", ondelete="CASCADE", index=True)
    invitation_id: uuid.UUID | None = Field(
        default=None, foreign_key="invitations.id", ondelete="CASCADE", unique=True
    )
    respondent: str = Field(max_length=200)
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JsonType))
    profile: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JsonType))
    status: ResponseStatus = Field(default=ResponseStatus.in_progress, max_length=20)
    idempotency_key: str | None = Field(default=None, max_length=200)
    created_at: datetime = timestamp()
    updated_at: datetime = timestamp()
    submitted_at: datetime | None = timestamp(nullable=True)
    # The lead of an answers file imported without invitations (its `lead` column); a
    # response given through a link is the lead when its invitation is (`Invitation.lead`).
    lead: bool = Field(default=False, sa_column_kwargs={"server_default": false()})


class ScoreSnapshot(SQLModel, table=True):
    """The scores of an assessment as they stood when it closed."""

    __tablename__ = "score_snapshots"
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    assessment_id: uuid.UUID = Field(foreign_key="assessments.id", ondelete="CASCADE", unique=True)
    result: dict[str, Any] = Field(sa_column=Column(JsonType, nullable=False))
    created_at: datetime = timestamp()


class ResultRelease(SQLModel, table=True):
    """What anyone but the assessment's own consultants may see of its results, as it
    stood when released: which submitted responses it counts and which of their groups
    and crossings it shows (see assess/domain/disclosure.py). A new release is made only
    once at least k responses have come since the last one, and never changes."""

    __tablename__ = "result_releases"
    __table_args__ = (UniqueConstraint("assessment_id", "seq"),)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    assessment_id: uuid.UUID = Field(foreign_key="assessments.id", ondelete="CASCADE", index=True)
    seq: int
    k: int
    # Ids of the responses counted, in the order they were submitted.
    responses: list[str] = Field(sa_column=Column(JsonType, nullable=False))
    # [[question, value], ...] of the groups shown, [[question, question], ...] crossed.
    groups: list[list[str]] = Field(sa_column=Column(JsonType, nullable=False))
    crossings: list[list[str]] = Field(sa_column=Column(JsonType, nullable=False))
    # The departments merged when it was made (its groups are of these); None: none.
    department_groups: list[dict[str, Any]] | None = Field(
        default=None, sa_column=Column(JsonType, nullable=True)
    )
    created_at: datetime = timestamp()
