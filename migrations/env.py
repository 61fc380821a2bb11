"""Alembic environment: migrations are generated from and checked against the models."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, engine_from_config, pool
from sqlmodel import SQLModel

import assess.persistence.models.accounts
import assess.persistence.models.assessments
import assess.persistence.models.audit
import assess.persistence.models.benchmarks
import assess.persistence.models.jobs
import assess.persistence.models.mail
import assess.persistence.models.organisations
import assess.persistence.models.questionnaires
import assess.persistence.models.responses  # noqa: F401
from assess.persistence.engine import ours

target_metadata = SQLModel.metadata
config = context.config


def run_migrations_offline() -> None:
    """Emit SQL without a database connection."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        compare_type=True,
        render_as_batch=True,
        include_name=ours,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Apply migrations over a connection; SQLite alters tables in batch mode."""
    given: Connection | None = config.attributes.get("connection")
    if given is not None:
        _run(given)
        return
    engine = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with engine.connect() as connection:
        _run(connection)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        render_as_batch=True,
        include_name=ours,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
