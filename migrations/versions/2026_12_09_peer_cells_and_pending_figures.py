"""peer cells and pending figures: a pool's organisations counted by attributes, kept as
entries come and go, and a revision per peer group so that large groups' distributions
are computed after a change rather than within it

Revision ID: 23d1f0b7a9c2
Revises: 22c0a5e3f7d1
Create Date: 2026-12-09 09:00:00.000000

The cells are filled from the entries that count now, as `peer_cells.recount_cells`
counts them; every stored figure starts at revision 0, up to date.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any, cast

import sqlalchemy as sa
from alembic import op

revision: str = "23d1f0b7a9c2"
down_revision: str | None = "22c0a5e3f7d1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

entries = sa.table(
    "benchmark_entries",
    sa.column("pool_key", sa.String()),
    sa.column("industry", sa.String()),
    sa.column("size", sa.String()),
    sa.column("country", sa.String()),
    sa.column("current", sa.Boolean()),
)


def upgrade() -> None:
    cells = op.create_table(
        "peer_cells",
        sa.Column("pool_key", sa.String(length=32), nullable=False),
        sa.Column("industry", sa.String(length=64), nullable=False),
        sa.Column("size", sa.String(length=64), nullable=False),
        sa.Column("country", sa.String(length=64), nullable=False),
        sa.Column("organisations", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("pool_key", "industry", "size", "country"),
    )
    with op.batch_alter_table("peer_group_figures") as table:
        table.add_column(sa.Column("revision", sa.Integer(), nullable=False, server_default="0"))
        table.add_column(
            sa.Column("points_revision", sa.Integer(), nullable=False, server_default="0")
        )
    rows = (
        op.get_bind()
        .execute(
            sa.select(
                entries.c.pool_key,
                entries.c.industry,
                entries.c.size,
                entries.c.country,
                sa.func.count(),
            )
            .where(entries.c.current == sa.true())
            .group_by(entries.c.pool_key, entries.c.industry, entries.c.size, entries.c.country)
        )
        .all()
    )
    counts: Counter[tuple[Any, ...]] = Counter()
    for key, industry, size, country, n in rows:  # "" and NULL both mean not given
        counts[key, industry or "", size or "", country or ""] += cast(int, n)
    if counts:
        op.bulk_insert(
            cells,
            [
                {"pool_key": k, "industry": i, "size": s, "country": c, "organisations": n}
                for (k, i, s, c), n in counts.items()
            ],
        )


def downgrade() -> None:
    with op.batch_alter_table("peer_group_figures") as table:
        table.drop_column("points_revision")
        table.drop_column("revision")
    op.drop_table("peer_cells")
