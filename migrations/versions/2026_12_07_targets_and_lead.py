"""targets and lead: an assessment's target stage per dimension, and the one invitation
marked as lead (who answers the items asked of one person); a partial unique index keeps
it to one per assessment

Revision ID: 20a1d0c5e7b3
Revises: 18c1b7a2d9e4
Create Date: 2026-12-07 06:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20a1d0c5e7b3"
down_revision: str | None = "18c1b7a2d9e4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("assessments") as batch:
        batch.add_column(sa.Column("targets", JSON, nullable=True))
    with op.batch_alter_table("invitations") as batch:
        batch.add_column(sa.Column("lead", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_index(
        "one_lead_per_assessment",
        "invitations",
        ["assessment_id"],
        unique=True,
        sqlite_where=sa.text("lead"),
        postgresql_where=sa.text("lead"),
    )


def downgrade() -> None:
    op.drop_index("one_lead_per_assessment", table_name="invitations")
    with op.batch_alter_table("invitations") as batch:
        batch.drop_column("lead")
    with op.batch_alter_table("assessments") as batch:
        batch.drop_column("targets")
