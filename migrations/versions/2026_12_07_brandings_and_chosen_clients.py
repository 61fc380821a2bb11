"""brandings: a consultant's logo and accent colour (saved, and a draft being previewed);
a portfolio's chosen clients

Revision ID: 18c1b7a2d9e4
Revises: 18a1c0de5f01
Create Date: 2026-12-07 00:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "18c1b7a2d9e4"
down_revision: str | None = "18a1c0de5f01"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "brandings",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("draft", sa.Boolean(), nullable=False),
        sa.Column("accent", sa.String(length=16), nullable=False),
        sa.Column("logo", sa.LargeBinary(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_brandings_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "draft", name=op.f("pk_brandings")),
    )
    with op.batch_alter_table("report_jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("organisations", JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("report_jobs", schema=None) as batch_op:
        batch_op.drop_column("organisations")
    op.drop_table("brandings")
