"""A database that takes no writes (read-only, or full): writes answer 503 with Retry-After
and lose nothing saved, /readyz says what to do, and the log tells each change once."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg.errors
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, event, text
from sqlalchemy.exc import DBAPIError, OperationalError

from assess.persistence.errors import Refusal, refusal_of, sqlite_file_problem
from tests.conftest import Caller
from tests.web.answering import open_assessment, post
from tests.web.assessments import invite

SAVE = {"answers": {"listen-feedback": 9}}


@pytest.fixture
def assessment(client: TestClient, consultant: Caller, published: object) -> dict:
    """An open assessment of the test questionnaire."""
    return open_assessment(client, consultant, "service-check", "Wave 1")


@pytest.fixture
def token(client: TestClient, consultant: Caller, assessment: dict) -> str:
    """The token of one respondent's link."""
    [invitation] = invite(client, consultant, assessment, "Anna")
    return str(invitation["token"])


@contextmanager
def read_only(app: FastAPI) -> Iterator[None]:
    """The application's database refuses writes from new connections until the end."""
    engine = app.state.engine
    if engine.dialect.name == "postgresql":
        name = engine.url.database
        with _autocommit(engine) as connection:
            connection.execute(
                text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
            )
        engine.dispose()
        try:
            yield
        finally:
            with _autocommit(engine) as connection:
                connection.execute(
                    text(f'ALTER DATABASE "{name}" RESET default_transaction_read_only')
                )
            engine.dispose()
        return
    with _on_connect(engine, "PRAGMA query_only = ON"):
        yield


@contextmanager
def _autocommit(engine: Any) -> Iterator[Any]:
    """A connection to the server's own database: the test's may refuse even ALTER."""
    own = create_engine(engine.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with own.connect() as connection:
            yield connection
    finally:
        own.dispose()


@contextmanager
def _on_connect(engine: Any, statement: str) -> Iterator[None]:
    def run(connection: Any, record: Any) -> None:
        connection.execute(statement)

    event.listen(engine, "connect", run)
    engine.dispose()
    try:
        yield
    finally:
        event.remove(engine, "connect", run)
        engine.dispose()


def test_a_read_only_database_refuses_saves_with_503_and_keeps_what_was_saved(
    app: FastAPI, client: TestClient, token: str
) -> None:
    client.put(f"/api/v1/respond/{token}", json={"answers": {"listen-feedback": 4}})
    with read_only(app):
        refused = client.put(f"/api/v1/respond/{token}", json=SAVE)
        submit = client.post(f"/api/v1/respond/{token}/submit")
        still = client.get(f"/api/v1/respond/{token}")
    for answer in (refused, submit):
        assert answer.status_code == 503, answer.text
        assert answer.headers["retry-after"] == "30"
        assert answer.headers["content-type"] == "application/problem+json"
        assert "(it is read-only); nothing was saved" in answer.json()["detail"]
    assert still.status_code == 200  # reading goes on
    assert still.json()["response"]["answers"] == {"listen-feedback": 4.0}
    after = client.put(f"/api/v1/respond/{token}", json=SAVE)
    assert after.status_code == 200
    assert client.get(f"/api/v1/respond/{token}").json()["response"]["answers"] == {
        "listen-feedback": 9.0
    }


def test_a_read_only_database_refuses_a_page_with_a_503_page_and_keeps_what_was_saved(
    app: FastAPI, client: TestClient, token: str
) -> None:
    saved = post(client, token, "level/1", {"listen-feedback": "4", "go": "next"}, lang="de")
    assert saved.status_code == 303
    with read_only(app):
        refused = post(client, token, "level/1", {"listen-feedback": "9", "go": "next"}, "de")
    assert refused.status_code == 503
    assert refused.headers["retry-after"] == "30"
    assert "<h1>Der Dienst ist kurz nicht erreichbar</h1>" in refused.text
    assert "Die Antworten der gerade gesendeten Seite wurden nicht gespeichert." in refused.text
    assert client.get(f"/api/v1/respond/{token}").json()["response"]["answers"] == {
        "listen-feedback": 4.0
    }


def test_readyz_says_a_read_only_database_takes_no_writes_and_logs_it_once(
    app: FastAPI, client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="assess")
    assert client.get("/readyz").status_code == 200
    with read_only(app):
        answers = [client.get("/readyz") for _ in range(3)]
    back = client.get("/readyz")
    client.get("/readyz")
    for answer in answers:
        assert answer.status_code == 503
        assert answer.json()["detail"].startswith("the database accepts no writes: it is read-only")
    advice = "primary server" if app.state.engine.dialect.name == "postgresql" else "write access"
    assert advice in answers[0].json()["detail"]
    assert back.status_code == 200
    said = [r.getMessage() for r in caplog.records if r.name == "assess"]
    assert [line.split(":")[0] for line in said] == ["not ready", "ready again"]


def test_a_full_database_refuses_new_rows_with_503_and_readyz_tells_for_a_while(
    app: FastAPI, client: TestClient, consultant: Caller, assessment: dict
) -> None:
    engine = app.state.engine
    if engine.dialect.name != "sqlite":
        pytest.skip("filling a shared PostgreSQL server's disk is no test to run")
    invite(client, consultant, assessment, "Anna")
    with engine.connect() as connection:
        connection.exec_driver_sql("VACUUM")  # no free pages left: new rows need new ones
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
    many = {"invitations": [{"label": f"respondent {n}"} for n in range(300)]}
    with _on_connect(engine, f"PRAGMA max_page_count = {pages}"):
        refused = client.post(
            f"/api/v1/assessments/{assessment['id']}/invitations",
            json=many,
            headers=consultant.headers,
        )
        ready = client.get("/readyz")
    assert refused.status_code == 503, refused.text
    assert refused.headers["retry-after"] == "30"
    assert "run out of room" in refused.json()["detail"]
    listed = client.get(
        f"/api/v1/assessments/{assessment['id']}/invitations", headers=consultant.headers
    )
    assert [i["label"] for i in listed.json()] == ["Anna"]  # all or nothing
    assert ready.status_code == 503
    assert "refused a write in the last minute" in ready.json()["detail"]
    assert "free or grow the database's disk" in ready.json()["detail"]


def test_errors_are_told_apart_by_their_codes_not_their_words(tmp_path: Path) -> None:
    path = tmp_path / "small.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE t (x)")
        connection.execute("PRAGMA max_page_count = 2")
        with pytest.raises(sqlite3.OperationalError) as full:
            connection.execute("INSERT INTO t VALUES (zeroblob(100000))")
        with pytest.raises(sqlite3.OperationalError) as missing:
            connection.execute("SELECT * FROM nowhere")
    assert refusal_of(OperationalError("INSERT", {}, full.value)) is Refusal.full
    assert refusal_of(OperationalError("SELECT", {}, missing.value)) is None
    for error, expected in (
        (psycopg.errors.ReadOnlySqlTransaction("read-only"), Refusal.read_only),
        (psycopg.errors.DiskFull("no space left on device"), Refusal.full),
        (psycopg.errors.TooManyConnections("too many"), Refusal.full),
        (psycopg.errors.UniqueViolation("duplicate"), None),
    ):
        assert refusal_of(DBAPIError("INSERT", {}, error)) is expected


def test_a_sqlite_file_opened_read_only_or_on_a_full_disk_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = create_engine(f"sqlite:///{tmp_path / 'a.db'}").url
    assert sqlite_file_problem(url) is None
    read_only_url = create_engine(f"sqlite:///file:{tmp_path / 'a.db'}?mode=ro&uri=true").url
    assert "mode=ro" in (sqlite_file_problem(read_only_url) or "")

    class Usage:
        free = 4096

    monkeypatch.setattr("assess.persistence.errors.shutil.disk_usage", lambda path: Usage())
    assert "is full (4,096 bytes free)" in (sqlite_file_problem(url) or "")
