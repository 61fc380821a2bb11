"""jobs queue and export files: procrastinate's queue (PostgreSQL only), research export
files kept in chunks, and the attempts and operator's failure text of report jobs

Revision ID: 9a1f3c5e7b20
Revises: 8e41b2c7d5a3
Create Date: 2026-11-26 03:48:42.888596
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "9a1f3c5e7b20"
down_revision: str | None = "8e41b2c7d5a3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The report jobs' status type exists already on PostgreSQL.
JOB_STATUS = sa.Enum("queued", "running", "done", "failed", name="jobstatus").with_variant(
    postgresql.ENUM("queued", "running", "done", "failed", name="jobstatus", create_type=False),
    "postgresql",
)
QUEUE_TABLES = (
    "procrastinate_events",
    "procrastinate_periodic_defers",
    "procrastinate_jobs",
    "procrastinate_workers",
)
QUEUE_TYPES = (
    "procrastinate_job_to_defer_v1",
    "procrastinate_job_status",
    "procrastinate_job_event_type",
)
DROP_QUEUE_FUNCTIONS = """
DO $$
DECLARE f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
             WHERE p.proname LIKE 'procrastinate\\_%'
               AND p.pronamespace = current_schema()::regnamespace
    LOOP
        EXECUTE 'DROP FUNCTION ' || f || ' CASCADE';
    END LOOP;
END $$
"""


def upgrade() -> None:
    op.create_table(
        "export_jobs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("questionnaire_version_id", sa.Uuid(), nullable=False),
        sa.Column("format", sa.String(length=20), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("status", JOB_STATUS, nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("failure", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=True),
        sa.Column("filename", sa.String(length=200), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["questionnaire_version_id"],
            ["questionnaire_versions.id"],
            name=op.f("fk_export_jobs_questionnaire_version_id_questionnaire_versions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_export_jobs_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_export_jobs")),
    )
    with op.batch_alter_table("export_jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_export_jobs_user_id"), ["user_id"], unique=False)

    op.create_table(
        "export_chunks",
        sa.Column("job_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["export_jobs.id"],
            name=op.f("fk_export_chunks_job_id_export_jobs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("job_id", "seq", name=op.f("pk_export_chunks")),
    )
    with op.batch_alter_table("report_jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attempts", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("failure", sa.Text(), nullable=True))

    if op.get_bind().dialect.name == "postgresql":
        _create_queue()


def _create_queue() -> None:
    """procrastinate's tables, types and functions, from the SQL of the installed version.
    Run on the driver's connection without parameters: the script is many statements
    and has `%` and `:` that a parameterised statement would take for placeholders."""
    from procrastinate.schema import SchemaManager

    driver = op.get_bind().connection.driver_connection
    assert driver is not None  # a migration runs on an open connection
    driver.execute(SchemaManager.get_schema())


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TABLE IF EXISTS {', '.join(QUEUE_TABLES)} CASCADE")
        op.execute(DROP_QUEUE_FUNCTIONS)
        op.execute(f"DROP TYPE IF EXISTS {', '.join(QUEUE_TYPES)} CASCADE")

    with op.batch_alter_table("report_jobs", schema=None) as batch_op:
        batch_op.drop_column("failure")
        batch_op.drop_column("attempts")

    op.drop_table("export_chunks")
    with op.batch_alter_table("export_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_export_jobs_user_id"))

    op.drop_table("export_jobs")
