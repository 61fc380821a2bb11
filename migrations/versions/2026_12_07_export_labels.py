"""export labels: a research export job keeps whether its file holds labels or codes

Revision ID: 18e1c0d3b2a4
Revises: 18d1c2a3b4e5
Create Date: 2026-12-07 00:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "18e1c0d3b2a4"
down_revision: str | None = "18d1c2a3b4e5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("export_jobs") as batch:
        batch.add_column(
            sa.Column("labels", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("export_jobs") as batch:
        batch.drop_column("labels")
