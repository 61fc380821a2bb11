"""Assessments and their invitations."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Index, UniqueConstraint, false, text
from sqlmodel import Column, Field, SQLModel

from assess.persistence.models.common import JsonType, timestamp


class AssessmentStatus(StrEnum):
    """An assessment collects answers only while open."""

    draft = "draft"
    open = "open"
    closed = "closed"


class AssessmentKind(StrEnum):
    """An assessment of one organisation by invitation, or an anonymous open study in which
    every respondent stands for their own organisation."""

    assessment = "assessment"
    study = "study"


class Assessment(SQLModel, table=True):
    """One organisation answering one questionnaire version, in one wave."""

    __tablename__ = "assessments"
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    organisation_id: uuid.UUID = Field(
        foreign_key="organisations.id", ondelete="CASCADE", index=True
    )
    questionnaire_version_id: uuid.UUID = Field(foreign_key="questionnaire_versions.id")
    name: str = Field(max_length=200)
    wave: str | None = Field(default=None, max_length=64)
    status: AssessmentStatus = Field(default=AssessmentStatus.draft, max_length=20)
    kind: AssessmentKind = Field(default=AssessmentKind.assessment, max_length=20)
    # A study's one public link; only its hash is kept, like invitation tokens.
    public_link_hash: str | None = Field(default=None, max_length=64, unique=True)
    # Whether each respondent sees their own scores on the thank-you page.
    show_own_scores: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # Whether respondents may change the department their invitation assigned.
    departments_changeable: bool = Field(
        default=False, sa_column_kwargs={"server_default": false()}
    )
    # Departments merged into one group for the results: [{"name": ..., "departments":
    # [value, ...]}, ...] (see assess/domain/merging.py); None: none merged.
    department_groups: list[dict[str, Any]] | None = Field(
        default=None, sa_column=Column(JsonType, nullable=True)
    )
    # Target stage id per dimension id (rule 10 of the format); None: none set, each
    # dimension then aims at the stage after its current one.
    targets: dict[str, str] | None = Field(default=None, sa_column=Column(JsonType, nullable=True))
    closes_at: datetime | None = timestamp(nullable=True)
    created_at: datetime = timestamp()
    opened_at: datetime | None = timestamp(nullable=True)
    closed_at: datetime | None = timestamp(nullable=True)


class Invitation(SQLModel, table=True):
    """A respondent's personal link; only the hash of its token is kept."""

    __tablename__ = "invitations"
    __table_args__ = (
        UniqueConstraint("assessment_id", "label"),
        # One lead per assessment: who answers the items asked of one person.
        Index(
            "one_lead_per_assessment",
            "assessment_id",
            unique=True,
            sqlite_where=text("lead"),
            postgresql_where=text("lead"),
        ),
    )
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    assessment_id: uuid.UUID = Field(foreign_key="assessments.id", ondelete="CASCADE", index=True)
    label: str = Field(max_length=200)
    department: str | None = Field(default=None, max_length=64)
    token_hash: str = Field(max_length=64, unique=True)
    # With the server's key, derives the link's token (security.link_token); None for
    # links made before, which cannot be shown again.
    link_salt: str | None = Field(default=None, max_length=32)
    expires_at: datetime | None = timestamp(nullable=True)
    created_at: datetime = timestamp()
    # Where the invitation is e-mailed; never part of a research export.
    email: str | None = Field(default=None, max_length=254)
    # The respondent's language for e-mails and the link; None: the questionnaire's first.
    language: str | None = Field(default=None, max_length=16)
    # The lead answers the items asked of one person (`informant: lead`); one at most.
    lead: bool = Field(default=False, sa_column_kwargs={"server_default": false()})


class ConsensusAnswer(SQLModel, table=True):
    """The answer a consensus workshop settled on for one item of an assessment, and why:
    after the workshop it counts as every respondent's answer to the item; the answers
    respondents gave stay as they are. One per assessment and item."""

    __tablename__ = "consensus_answers"
    __table_args__ = (UniqueConstraint("assessment_id", "item_id"),)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    assessment_id: uuid.UUID = Field(foreign_key="assessments.id", ondelete="CASCADE")
    item_id: str = Field(max_length=64)
    # As a response stores an answer: a scale point, an option's value, true or false.
    answer: Any = Field(sa_column=Column(JsonType, nullable=False))
    rationale: str = Field(max_length=1000)
    # Who recorded it, as the audit log names them (no foreign key: the record outlives
    # the account).
    recorded_by_id: uuid.UUID | None = Field(default=None)
    recorded_by: str = Field(max_length=320)
    recorded_at: datetime = timestamp()
