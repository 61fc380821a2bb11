"""Column helpers and times shared by every table."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    MetaData,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Field, SQLModel

# Named constraints, so migrations can alter them on SQLite (batch mode) and PostgreSQL.
SQLModel.metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


JsonType = JSON().with_variant(JSONB(), "postgresql")


def utcnow() -> datetime:
    """Now, in UTC, with its time zone."""
    return datetime.now(UTC)


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def timestamp(nullable: bool = False, **extra: Any) -> Any:
    """A date-and-time column with its time zone; unless `nullable`, the moment the row is made."""
    return Field(
        default_factory=utcnow if not nullable else None,
        sa_type=DateTime(timezone=True),
        nullable=nullable,
        **extra,
    )


# A pool entry's scores: an array PostgreSQL can order and take percentiles of; JSON in SQLite.
ScoresType = JSON().with_variant(ARRAY(Float(precision=53)), "postgresql")
