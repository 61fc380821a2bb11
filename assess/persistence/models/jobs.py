"""Report and export jobs."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    LargeBinary,
    Text,
    false,
)
from sqlmodel import Column, Field, SQLModel

from assess.persistence.models.common import JsonType, timestamp


class JobStatus(StrEnum):
    """Where a background job stands: waiting, at work, or finished either way."""

    queued = "queued"
    running = "running"
    done = "done"
    failed = "failed"


class JobKind(StrEnum):
    """What a report job makes: one assessment's PDF, or a consultant's portfolio ZIP."""

    report = "report"
    portfolio = "portfolio"


class ReportJob(SQLModel, table=True):
    """A report (or a portfolio of reports) being rendered, and the file once it is made.

    The file lives in the database, so any web process can hand it out.
    """

    __tablename__ = "report_jobs"
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    kind: JobKind = Field(default=JobKind.report, max_length=20)
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    assessment_id: uuid.UUID | None = Field(
        default=None, foreign_key="assessments.id", ondelete="CASCADE", index=True
    )
    language: str = Field(max_length=8)
    accent: str | None = Field(default=None, max_length=16)
    logo: bytes | None = Field(default=None, sa_type=LargeBinary)
    # A portfolio's chosen clients (organisation ids); None: every one the user serves.
    organisations: list[str] | None = Field(default=None, sa_column=Column(JsonType, nullable=True))
    # Which answers a report counts: "answered", or "workshop" (the consensus answers).
    view: str = Field(
        default="answered", max_length=16, sa_column_kwargs={"server_default": "answered"}
    )
    status: JobStatus = Field(default=JobStatus.queued, max_length=20)
    error: str | None = Field(default=None, sa_type=Text)
    media_type: str | None = Field(default=None, max_length=64)
    filename: str | None = Field(default=None, max_length=200)
    content: bytes | None = Field(default=None, sa_type=LargeBinary)
    attempts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    failure: str | None = Field(
        default=None, sa_type=Text, description="What went wrong on our side, for operators."
    )
    created_at: datetime = timestamp()
    started_at: datetime | None = timestamp(nullable=True)
    finished_at: datetime | None = timestamp(nullable=True)


class ExportJob(SQLModel, table=True):
    """A research export being written to a file, which is kept in `export_chunks`, so
    any web process can hand it out."""

    __tablename__ = "export_jobs"
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    questionnaire_version_id: uuid.UUID = Field(
        foreign_key="questionnaire_versions.id", ondelete="CASCADE"
    )
    format: str = Field(max_length=20)
    language: str = Field(max_length=8)
    labels: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    status: JobStatus = Field(default=JobStatus.queued, max_length=20)
    error: str | None = Field(default=None, sa_type=Text)
    failure: str | None = Field(default=None, sa_type=Text)
    attempts: int = Field(default=0)
    media_type: str | None = Field(default=None, max_length=100)
    filename: str | None = Field(default=None, max_length=200)
    size: int | None = Field(default=None)
    created_at: datetime = timestamp()
    started_at: datetime | None = timestamp(nullable=True)
    finished_at: datetime | None = timestamp(nullable=True)


class ExportChunk(SQLModel, table=True):
    """One piece (about 1 MB) of an export's file, in order of `seq`."""

    __tablename__ = "export_chunks"
    job_id: uuid.UUID = Field(foreign_key="export_jobs.id", ondelete="CASCADE", primary_key=True)
    seq: int = Field(primary_key=True)
    data: bytes = Field(sa_type=LargeBinary)
