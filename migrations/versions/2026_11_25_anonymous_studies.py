"""anonymous studies: an assessment's kind and a study's public link

Revision ID: d7f2b8c41e95
Revises: ce4fcc60b27c
Create Date: 2026-11-25 20:40:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d7f2b8c41e95"
down_revision: str | None = "ce4fcc60b27c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KIND = sa.Enum("assessment", "study", name="assessmentkind")


def upgrade() -> None:
    # PostgreSQL needs the enum type before a column uses it; SQLite has none.
    KIND.create(op.get_bind(), checkfirst=True)
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", KIND, nullable=False, server_default="assessment"))
        batch_op.add_column(sa.Column("public_link_hash", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_assessments_public_link_hash"), ["public_link_hash"]
        )


def downgrade() -> None:
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_assessments_public_link_hash"), type_="unique")
        batch_op.drop_column("public_link_hash")
        batch_op.drop_column("kind")
    KIND.drop(op.get_bind(), checkfirst=True)
