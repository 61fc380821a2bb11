"""demo organisations: synthetic organisations are marked, so they never count among real ones

Revision ID: 18b0c4e2a6d8
Revises: f3b5d7e9a1c2
Create Date: 2026-12-07 00:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "18b0c4e2a6d8"
down_revision: str | None = "f3b5d7e9a1c2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Every organisation so far is taken for real: nothing stored tells a synthetic one
    # apart for certain, and a real one must never leave its peers' benchmarks. Those an
    # earlier `assess demo generate` wrote are marked on request (`assess demo separate`).
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_demo", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_column("is_demo")
