"""The migrations and the models describe the same schema, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine
from sqlmodel import SQLModel

import assess.models  # noqa: F401  (registers every table on SQLModel.metadata)
from assess.db import ours


def test_migrated_database_matches_the_models(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_name": ours}
            )
            drift = compare_metadata(context, SQLModel.metadata)
    finally:
        engine.dispose()
    assert drift == [], f"models and migrations differ; add a migration for: {drift}"
