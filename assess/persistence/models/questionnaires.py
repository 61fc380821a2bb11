"""Published questionnaire versions."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from assess.persistence.models.common import timestamp


class QuestionnaireVersion(SQLModel, table=True):
    """A questionnaire file as published; immutable once an assessment uses it."""

    __tablename__ = "questionnaire_versions"
    __table_args__ = (UniqueConstraint("questionnaire_id", "version"),)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    questionnaire_id: str = Field(max_length=64, index=True)
    version: int
    source: str = Field(sa_type=Text)
    sha256: str = Field(max_length=64)
    created_at: datetime = timestamp()
