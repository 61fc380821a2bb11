"""Benchmark pool entries and peer-group figures."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    Index,
    LargeBinary,
)
from sqlmodel import Column, Field, SQLModel

from assess.persistence.models.common import JsonType, ScoresType, timestamp


class BenchmarkEntry(SQLModel, table=True):
    """One closed assessment of an organisation that takes part in benchmarks: its scores
    (overall first, then the levels by id) and the organisation's attributes. Only the
    newest entry per organisation and pool is `current`, and only current entries count."""

    __tablename__ = "benchmark_entries"
    __table_args__ = (
        Index("ix_benchmark_entries_industry", "pool_key", "current", "industry", "size"),
        Index("ix_benchmark_entries_size", "pool_key", "current", "size"),
        Index("ix_benchmark_entries_country", "pool_key", "current", "country"),
        Index("ix_benchmark_entries_organisation", "organisation_id", "pool_key"),
    )
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    pool_key: str = Field(max_length=32)
    assessment_id: uuid.UUID = Field(foreign_key="assessments.id", ondelete="CASCADE", unique=True)
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id", ondelete="CASCADE")
    industry: str | None = Field(default=None, max_length=64)
    size: str | None = Field(default=None, max_length=64)
    country: str | None = Field(default=None, max_length=64)
    closed_at: datetime = timestamp()
    current: bool = False
    scores: list[float] = Field(sa_column=Column(ScoresType, nullable=False))


class PeerCell(SQLModel, table=True):
    """How many organisations of a pool count with one combination of attributes ("" for
    one they did not give): kept as entries come and go, so that the verdicts and the
    size of every group are worked out from a few hundred rows, not the whole pool."""

    __tablename__ = "peer_cells"
    pool_key: str = Field(max_length=32, primary_key=True)
    industry: str = Field(max_length=64, primary_key=True)
    size: str = Field(max_length=64, primary_key=True)
    country: str = Field(max_length=64, primary_key=True)
    organisations: int


class PeerGroupFigures(SQLModel, table=True):
    """A peer group of one pool as last refreshed: how many organisations, whether it may
    be shown (under which k) and why not, and each score's distribution (float64, one row
    of `points` per score in the pool's order). `revision` counts the changes of its
    organisations; `points_revision` is the one `points` (and `organisations`) describe:
    a large group's distribution is computed after the change, outside its turn."""

    __tablename__ = "peer_group_figures"
    pool_key: str = Field(max_length=32, primary_key=True)
    kind: str = Field(max_length=20, primary_key=True)
    key: str = Field(max_length=1000, primary_key=True)  # JSON list of the group's values
    organisations: int
    shown: bool
    near: str | None = Field(default=None, max_length=1000)  # kind and key, for the reason
    k: int
    points: bytes = Field(sa_type=LargeBinary)
    updated_at: datetime = timestamp()
    revision: int = 0
    points_revision: int = 0


class RespondentLevelScore(SQLModel, table=True):
    """One respondent's score on one level (rule 2) in a closed assessment's snapshot, by
    position, never by name: what ICC reads across a pool. Kept beside the snapshot and
    replaced with it; research reads it only through the assessment's current benchmark
    entry, so only while its organisation takes part."""

    __tablename__ = "respondent_level_scores"
    assessment_id: uuid.UUID = Field(
        foreign_key="assessments.id", ondelete="CASCADE", primary_key=True
    )
    level: str = Field(max_length=64, primary_key=True)
    respondent: int = Field(primary_key=True)
    score: float


class LevelItemMoments(SQLModel, table=True):
    """Per level of a closed assessment's snapshot, the respondents who gave every item in
    alpha a score: how many, their item means and the co-moment matrix (JSON lists), which
    a pool's alpha adds up."""

    __tablename__ = "level_item_moments"
    assessment_id: uuid.UUID = Field(
        foreign_key="assessments.id", ondelete="CASCADE", primary_key=True
    )
    level: str = Field(max_length=64, primary_key=True)
    n: int
    means: list[float] = Field(sa_column=Column(JsonType, nullable=False))
    comoment: list[list[float]] = Field(sa_column=Column(JsonType, nullable=False))
