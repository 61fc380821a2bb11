"""The jobs migration: on PostgreSQL it makes procrastinate's queue and its downgrade
removes every trace of it; on SQLite it makes no queue. Both ways up again after."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from assess.persistence.engine import alembic_config, upgrade

BEFORE_JOBS = "8e41b2c7d5a3"


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[str]:
    """A database of its own: on the PostgreSQL server of the tests, or a SQLite file."""
    server = os.environ.get("ASSESS_TEST_DATABASE_URL")
    if not server:
        yield f"sqlite:///{tmp_path / 'schema.db'}"
        return
    name = f"assess_schema_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def queue_objects(url: str) -> list[str]:
    """procrastinate's tables, and on PostgreSQL its functions and types."""
    engine = create_engine(url)
    try:
        tables = [t for t in inspect(engine).get_table_names() if t.startswith("procrastinate")]
        if engine.dialect.name != "postgresql":
            return tables
        with engine.connect() as connection:
            others = connection.execute(
                text(
                    "SELECT proname FROM pg_proc WHERE proname LIKE 'procrastinate%' "
                    "UNION ALL SELECT typname FROM pg_type WHERE typname LIKE 'procrastinate%'"
                )
            ).scalars()
            return tables + list(others)
    finally:
        engine.dispose()


def test_the_queue_comes_with_the_migration_on_postgresql_and_goes_with_its_downgrade(
    empty_database: str,
) -> None:
    upgrade(empty_database)
    made = queue_objects(empty_database)
    command.downgrade(alembic_config(empty_database), BEFORE_JOBS)
    left = queue_objects(empty_database)
    upgrade(empty_database)
    print(f"queue objects: {len(made)} made, {len(left)} left after the downgrade")
    assert left == []
    if empty_database.startswith("postgresql"):
        assert "procrastinate_jobs" in made
        assert "procrastinate_fetch_job_v2" in made
        assert queue_objects(empty_database) == made
    else:
        assert made == []
