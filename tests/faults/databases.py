"""Databases for the fault tests on the private PostgreSQL server: seeded with an open
assessment, and read back afterwards."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from assess.persistence.engine import make_engine, upgrade
from assess.persistence.repository.responses import link_by_token, state_of
from bench.respondents import Seeded, seed_assessment
from tests.conftest import SERVICE_CHECK
from tests.faults.postgres import PrivatePostgres

KEY = "fault-tests-share-this-key"


def stored_responses(url: str, tokens: set[str]) -> dict[str, dict[str, Any]]:
    """Each token's response as the database holds it."""
    engine = make_engine(url, pool_size=1)
    stored = {}
    with engine.connect() as connection, Session(connection):
        for token in tokens:
            link = link_by_token(connection, token=token)
            assert link is not None
            state = state_of(connection, invitation_id=link.invitation_id)
            stored[token] = state or {"status": "none", "answers": {}}
    engine.dispose()
    return stored


def seeded_database(server: PrivatePostgres, respondents: int) -> tuple[str, Seeded]:
    """A database on `server` at the newest migration, with an open assessment of
    `respondents` links and an admin's key (bench/respondents.py); its URL."""
    url = server.create_database("assess")
    upgrade(url)
    return url, seed_assessment(url, respondents, SERVICE_CHECK)
