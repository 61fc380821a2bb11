"""own scores: whether respondents see their own scores after submitting

Revision ID: 5b2e8d4f1c93
Revises: 3c9d1f7a2b60
Create Date: 2026-11-26 02:10:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5b2e8d4f1c93"
down_revision: str | None = "3c9d1f7a2b60"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("show_own_scores", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_column("show_own_scores")
