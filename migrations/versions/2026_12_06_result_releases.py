"""result releases: what members and study viewers see moves in steps of k responses

Revision ID: f3b5d7e9a1c2
Revises: e1a2b3c4d5f6
Create Date: 2026-12-06 21:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "f3b5d7e9a1c2"
down_revision: str | None = "e1a2b3c4d5f6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "result_releases",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("assessment_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("k", sa.Integer(), nullable=False),
        sa.Column("responses", JSON, nullable=False),
        sa.Column("groups", JSON, nullable=False),
        sa.Column("crossings", JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_result_releases_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_result_releases")),
        sa.UniqueConstraint("assessment_id", "seq", name=op.f("uq_result_releases_assessment_id")),
    )
    op.create_index(op.f("ix_result_releases_assessment_id"), "result_releases", ["assessment_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_result_releases_assessment_id"), table_name="result_releases")
    op.drop_table("result_releases")
