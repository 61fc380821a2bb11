"""consensus answers: per assessment and item, the answer a workshop settled on and why,
who recorded it and when; a report job's view (as answered, or after the workshop)

Revision ID: 22c0a5e3f7d1
Revises: 22a7c3e9b1d4
Create Date: 2026-12-08 12:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "22c0a5e3f7d1"
down_revision: str | None = "22a7c3e9b1d4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "consensus_answers",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("assessment_id", sa.Uuid(), nullable=False),
        sa.Column("item_id", sa.String(length=64), nullable=False),
        sa.Column("answer", JSON, nullable=False),
        sa.Column("rationale", sa.String(length=1000), nullable=False),
        sa.Column("recorded_by_id", sa.Uuid(), nullable=True),
        sa.Column("recorded_by", sa.String(length=320), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_consensus_answers_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consensus_answers")),
        sa.UniqueConstraint(
            "assessment_id", "item_id", name=op.f("uq_consensus_answers_assessment_id")
        ),
    )
    with op.batch_alter_table("report_jobs") as batch:
        batch.add_column(
            sa.Column("view", sa.String(length=16), nullable=False, server_default="answered")
        )


def downgrade() -> None:
    with op.batch_alter_table("report_jobs") as batch:
        batch.drop_column("view")
    op.drop_table("consensus_answers")
