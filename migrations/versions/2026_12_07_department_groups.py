"""departments: whether respondents may change theirs, groups merged for the results

Revision ID: 18d1c2a3b4e5
Revises: 18b0c4e2a6d8
Create Date: 2026-12-07 00:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "18d1c2a3b4e5"
down_revision: str | None = "18b0c4e2a6d8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "departments_changeable", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )
        batch_op.add_column(sa.Column("department_groups", JSON, nullable=True))
    with op.batch_alter_table("result_releases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("department_groups", JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("result_releases", schema=None) as batch_op:
        batch_op.drop_column("department_groups")
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_column("department_groups")
        batch_op.drop_column("departments_changeable")
