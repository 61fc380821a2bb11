"""Fixtures of the persistence tests: an empty database for a migration to start from."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url


@pytest.fixture
def empty_url(tmp_path: Path) -> Iterator[str]:
    """A database without tables: SQLite, or a new one on the PostgreSQL server."""
    server = os.environ.get("ASSESS_TEST_DATABASE_URL")
    if not server:
        yield f"sqlite:///{tmp_path / 'before.db'}"
        return
    name = f"assess_mig_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
