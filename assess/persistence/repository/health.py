"""What readiness and metrics ask of the database: its migration, whether it takes
writes, and the jobs waiting."""

from __future__ import annotations

from sqlalchemy import Connection, func, text
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlmodel import Session, col, select

from assess.persistence.models.jobs import ReportJob


def database_revision(connection: Connection) -> str | None:
    """The migration the database is at; None before the first."""
    try:
        row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
    except (ProgrammingError, OperationalError):  # no such table: never migrated
        connection.rollback()
        return None
    return str(row[0]) if row else None


def database_read_only(connection: Connection) -> bool:
    """Whether the database takes no writes from this connection: a PostgreSQL standby or
    default_transaction_read_only, SQLite's query_only."""
    if connection.dialect.name == "postgresql":
        return connection.execute(text("SHOW transaction_read_only")).scalar() == "on"
    return connection.execute(text("PRAGMA query_only")).scalar() == 1


def report_jobs_by_status(session: Session) -> dict[str, int]:
    """How many report jobs stand at each status."""
    rows = session.exec(
        select(ReportJob.status, func.count()).group_by(col(ReportJob.status))
    ).all()
    return {str(status): count for status, count in rows}
