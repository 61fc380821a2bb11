"""membership invitations: people join an organisation only by accepting

Revision ID: e1a2b3c4d5f6
Revises: c4e6a8b0d2f5
Create Date: 2026-12-06 00:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "e1a2b3c4d5f6"
down_revision: str | None = "c4e6a8b0d2f5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The memberships' role type exists already on PostgreSQL.
ROLE = sa.Enum("consultant", "member", name="role").with_variant(
    postgresql.ENUM("consultant", "member", name="role", create_type=False), "postgresql"
)


def upgrade() -> None:
    op.create_table(
        "membership_invitations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("role", ROLE, nullable=False),
        sa.Column("invited_by_id", sa.Uuid(), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_membership_invitations_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["invited_by_id"],
            ["users.id"],
            name=op.f("fk_membership_invitations_invited_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_membership_invitations")),
        sa.UniqueConstraint(
            "organisation_id", "email", name=op.f("uq_membership_invitations_organisation_id")
        ),
        sa.UniqueConstraint("token_hash", name=op.f("uq_membership_invitations_token_hash")),
    )
    for column in ("organisation_id", "email", "invited_by_id"):
        op.create_index(
            op.f(f"ix_membership_invitations_{column}"), "membership_invitations", [column]
        )


def downgrade() -> None:
    for column in ("invited_by_id", "email", "organisation_id"):
        op.drop_index(
            op.f(f"ix_membership_invitations_{column}"), table_name="membership_invitations"
        )
    op.drop_table("membership_invitations")
