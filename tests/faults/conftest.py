"""Fault tests run against a PostgreSQL server of their own (tests/faults/postgres.py);
they skip, saying why, where its programs are missing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.faults.postgres import PrivatePostgres, missing, private_postgres


@pytest.fixture
def postgres_server() -> Iterator[PrivatePostgres]:
    """A fresh private PostgreSQL server, stopped and removed after the test."""
    why = missing()
    if why is not None:
        pytest.skip(f"fault tests start a PostgreSQL server of their own: {why}")
    with private_postgres() as server:
        yield server
