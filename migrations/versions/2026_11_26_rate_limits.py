"""rate limits: requests counted per key and window, shared by every web worker

Revision ID: c4e6a8b0d2f5
Revises: b7d2e4f6a813
Create Date: 2026-11-26 04:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c4e6a8b0d2f5"
down_revision: str | None = "b7d2e4f6a813"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Unlogged on PostgreSQL: counts need no crash safety, and their commits then wait
    # for no WAL flush while other requests queue for the same row (one NAT address).
    unlogged = ["UNLOGGED"] if op.get_bind().dialect.name == "postgresql" else []
    op.create_table(
        "request_counts",
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("window_start", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key_hash", "window_start", name=op.f("pk_request_counts")),
        prefixes=unlogged,
    )


def downgrade() -> None:
    op.drop_table("request_counts")
