"""imported lead: a response imported from an answers file keeps whether the file marked
it as the lead (its `lead` column); a partial unique index keeps it to one per assessment

Revision ID: 21b4e6a8c0d2
Revises: 21c4e8a0f6b2
Create Date: 2026-12-07 14:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "21b4e6a8c0d2"
down_revision: str | None = "21c4e8a0f6b2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Responses already stored were given through links or imported before the file's
    # lead was kept: none of them is an imported lead.
    with op.batch_alter_table("responses") as batch:
        batch.add_column(sa.Column("lead", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_index(
        "one_imported_lead_per_assessment",
        "responses",
        ["assessment_id"],
        unique=True,
        sqlite_where=sa.text("lead"),
        postgresql_where=sa.text("lead"),
    )


def downgrade() -> None:
    op.drop_index("one_imported_lead_per_assessment", table_name="responses")
    with op.batch_alter_table("responses") as batch:
        batch.drop_column("lead")
