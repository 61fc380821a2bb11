"""A database connection that breaks (a restart, a dropped connection) is a 503 with
Retry-After, never a 500; the next request gets a working connection."""

from __future__ import annotations

import psycopg
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, InterfaceError

from tests.conftest import Caller

BREAKS = {
    "closed connection": InterfaceError("SELECT 1", {}, psycopg.InterfaceError("closed")),
    "invalidated": DBAPIError(
        "SELECT 1", {}, psycopg.DatabaseError("server closed the connection"),
        connection_invalidated=True,
    ),
    "driver directly": psycopg.OperationalError("consuming input failed"),
    "driver interface": psycopg.InterfaceError("the connection is closed"),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_a_broken_database_connection_is_503_with_retry_after(app: FastAPI, name: str) -> None:
    @app.get("/api/v1/broken")
    def broken() -> None:
        raise BREAKS[name]

    answered = TestClient(app, raise_server_exceptions=False).get("/api/v1/broken")
    assert answered.status_code == 503
    assert answered.headers["retry-after"] == "5"
    assert answered.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("lang", "heading"),
    [("de", "Der Dienst ist kurz nicht erreichbar"), ("en", "The service is briefly unavailable")],
)
def test_a_page_whose_database_connection_broke_is_a_503_page_in_the_visitors_language(
    app: FastAPI, lang: str, heading: str
) -> None:
    @app.post("/r/broken")
    def broken() -> None:
        raise BREAKS["invalidated"]

    answered = TestClient(app).post(f"/r/broken?lang={lang}")
    assert answered.status_code == 503
    assert answered.headers["retry-after"] == "5"
    assert answered.headers["content-type"].startswith("text/html")
    assert f"<h1>{heading}</h1>" in answered.text
    assert ("5 Sekunden" if lang == "de" else "5 seconds") in answered.text


def test_input_the_database_refuses_stays_a_422(app: FastAPI) -> None:
    @app.get("/refused")
    def refused() -> None:
        raise DBAPIError("SELECT 1", {}, psycopg.DataError("invalid byte sequence"))

    assert TestClient(app).get("/refused").status_code == 422


def test_after_every_connection_was_dropped_the_next_request_succeeds(
    app: FastAPI, client: TestClient, admin: Caller
) -> None:
    engine = app.state.engine
    if engine.dialect.name != "postgresql":
        pytest.skip("drops PostgreSQL connections (ASSESS_TEST_DATABASE_URL)")
    assert client.get("/api/v1/questionnaires", headers=admin.headers).status_code == 200
    with engine.connect() as connection:
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    assert client.get("/api/v1/questionnaires", headers=admin.headers).status_code == 200
