"""benchmark pool: entries of closed assessments of organisations that opted in, and the
precomputed figures of every peer group

Revision ID: a51e0c3b9d27
Revises: d7f2b8c41e95
Create Date: 2026-11-25 20:31:13.607971
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "a51e0c3b9d27"
down_revision: str | None = "d7f2b8c41e95"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "benchmark_entries",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("pool_key", sa.String(length=32), nullable=False),
        sa.Column("assessment_id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("industry", sa.String(length=64), nullable=True),
        sa.Column("size", sa.String(length=64), nullable=True),
        sa.Column("country", sa.String(length=64), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column(
            "scores",
            sa.JSON().with_variant(postgresql.ARRAY(sa.Float(precision=53)), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_benchmark_entries_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_benchmark_entries_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_benchmark_entries")),
        sa.UniqueConstraint("assessment_id", name=op.f("uq_benchmark_entries_assessment_id")),
    )
    with op.batch_alter_table("benchmark_entries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_benchmark_entries_industry", ["pool_key", "current", "industry", "size"]
        )
        batch_op.create_index("ix_benchmark_entries_size", ["pool_key", "current", "size"])
        batch_op.create_index("ix_benchmark_entries_country", ["pool_key", "current", "country"])
        batch_op.create_index("ix_benchmark_entries_organisation", ["organisation_id", "pool_key"])
    op.create_table(
        "peer_group_figures",
        sa.Column("pool_key", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=1000), nullable=False),
        sa.Column("organisations", sa.Integer(), nullable=False),
        sa.Column("shown", sa.Boolean(), nullable=False),
        sa.Column("near", sa.String(length=1000), nullable=True),
        sa.Column("k", sa.Integer(), nullable=False),
        sa.Column("points", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("pool_key", "kind", "key", name=op.f("pk_peer_group_figures")),
    )


def downgrade() -> None:
    op.drop_table("peer_group_figures")
    with op.batch_alter_table("benchmark_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_benchmark_entries_organisation")
        batch_op.drop_index("ix_benchmark_entries_country")
        batch_op.drop_index("ix_benchmark_entries_size")
        batch_op.drop_index("ix_benchmark_entries_industry")
    op.drop_table("benchmark_entries")
