"""The migrations and the models describe the same schema, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine
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
