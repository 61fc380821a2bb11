"""The audit log."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Index,
)
from sqlmodel import Column, Field, SQLModel

from assess.persistence.models.common import JsonType, timestamp


class AuditEntry(SQLModel, table=True):
    """One action of someone who runs the service: who (their id and e-mail as they were
    then, or `cli`), what, on which object, when, and the request it came with. Targets
    are named by type and id without foreign keys, so the log outlives what it names;
    details never hold a respondent's answers or address."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_action_at", "action", "at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = timestamp()
    actor_id: uuid.UUID | None = Field(default=None, index=True)
    actor: str = Field(max_length=320)
    action: str = Field(max_length=64)
    target_type: str = Field(max_length=32)
    target_id: str | None = Field(default=None, max_length=64, index=True)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JsonType, nullable=False))
    request_id: str | None = Field(default=None, max_length=128)
