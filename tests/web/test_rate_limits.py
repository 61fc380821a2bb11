"""Rate limits on the routes anyone can reach: past a limit, 429 with Retry-After, counted
in the database so that every web worker shares the counts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, func, select
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from assess.persistence.models.accounts import RequestCount
from assess.persistence.repository.rate_limits import count_request_and_read
from assess.web import rate_limits
from tests.conftest import Caller, application, make_caller
from tests.statements import sent_statements
from tests.web.answering import open_assessment
from tests.web.assessments import invite
from tests.web.browsing import browser, form_token, with_password

LIMITS = {
    "rate_limit_per_link": 3,
    "rate_limit_per_address": 5,
    "rate_limit_sign_in_per_address": 2,
    "rate_limit_bad_api_keys_per_address": 2,
}
START = 1_800_000_000.0  # a moment at the start of a window of 60 seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The rate limits' clock, at START until a test moves it."""
    moment = [START]
    monkeypatch.setattr(rate_limits, "now", lambda: moment[0])
    return moment


@pytest.fixture
def app(database_url: str, clock: list[float]) -> Iterator[FastAPI]:
    """The application with small limits."""
    yield from application(database_url, **LIMITS)


def client_from(app: FastAPI, address: str) -> TestClient:
    """A client that connects from `address`."""
    return TestClient(app, client=(address, 50000), follow_redirects=False)


@pytest.fixture
def tokens(client: TestClient, session: Session, published: Any) -> list[str]:
    """Three respondents' tokens of one open assessment."""
    consultant = make_caller(session, "lead@example.org")
    assessment = open_assessment(client, consultant, "service-check", "Wave 1")
    return [i["token"] for i in invite(client, consultant, assessment, "A", "B", "C")]


def test_a_link_past_its_limit_gets_429_with_retry_after(app: FastAPI, tokens: list[str]) -> None:
    client = client_from(app, "10.0.0.1")
    statuses = [client.get(f"/api/v1/respond/{tokens[0]}").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert client.get(f"/api/v1/respond/{tokens[1]}").status_code == 200  # another link may
    refused = client.put(f"/api/v1/respond/{tokens[0]}", json={"answers": {"listen-feedback": 3}})
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "60"
    assert refused.headers["content-type"] == "application/problem+json"
    assert "Try again in 60 seconds" in refused.json()["detail"]


def test_a_respondents_link_is_read_in_the_statement_that_counts_it_on_postgresql(
    app: FastAPI, tokens: list[str]
) -> None:
    engine = app.state.engine
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite counts in its turn to write, apart from the reads")
    client = client_from(app, "10.0.0.1")
    with sent_statements(engine) as statements:
        saved = client.put(f"/api/v1/respond/{tokens[0]}", json={"answers": {"listen-feedback": 3}})
        unknown = client.get("/api/v1/respond/not-a-token")
    assert (saved.status_code, unknown.status_code) == (200, 404)
    counting = [s for s in statements if "request_counts" in s]
    assert len(counting) == 2, statements
    assert all("invitations" in s for s in counting)
    assert not [s for s in statements if "token_hash" in s and "request_counts" not in s]


def test_retry_after_counts_down_to_the_next_window(
    app: FastAPI, tokens: list[str], clock: list[float]
) -> None:
    client = client_from(app, "10.0.0.1")
    for _ in range(3):
        client.get(f"/api/v1/respond/{tokens[0]}")
    clock[0] = START + 45.5
    refused = client.get(f"/api/v1/respond/{tokens[0]}")
    assert (refused.status_code, refused.headers["retry-after"]) == (429, "15")
    clock[0] = START + 60
    assert client.get(f"/api/v1/respond/{tokens[0]}").status_code == 200


def test_an_address_past_its_limit_is_refused_on_every_link_and_others_are_not(
    app: FastAPI, tokens: list[str]
) -> None:
    office = client_from(app, "10.0.0.1")
    statuses = [office.get(f"/api/v1/respond/{t}").status_code for t in tokens + tokens]
    assert statuses == [200] * 5 + [429]
    home = client_from(app, "192.0.2.7")
    assert home.get(f"/api/v1/respond/{tokens[2]}").status_code == 200


def test_made_up_tokens_count_against_the_address(app: FastAPI, tokens: list[str]) -> None:
    scanner = client_from(app, "10.0.0.9")
    statuses = [scanner.get(f"/api/v1/respond/guess{n}").status_code for n in range(6)]
    assert statuses == [404] * 5 + [429]


def test_two_workers_on_one_database_share_the_counts(
    app: FastAPI, database_url: str, tokens: list[str]
) -> None:
    other = next(application(database_url, **LIMITS))  # another process behind the balancer
    first, second = client_from(app, "10.0.0.1"), client_from(other, "10.0.0.1")
    statuses = [
        client.get(f"/api/v1/respond/{tokens[0]}").status_code
        for client in (first, second, first, second)
    ]
    assert statuses == [200, 200, 200, 429]
    other.state.engine.dispose()


def test_the_pages_say_it_in_the_respondents_language(app: FastAPI, tokens: list[str]) -> None:
    client = client_from(app, "10.0.0.1")
    for _ in range(3):
        client.get(f"/r/{tokens[0]}/welcome?lang=de")
    page = client.get(f"/r/{tokens[0]}/welcome?lang=de")
    assert page.status_code == 429
    assert page.headers["retry-after"] == "60"
    assert page.headers["content-type"].startswith("text/html")
    assert "Zu viele Anfragen" in page.text
    assert "60 Sekunden" in page.text
    posted = client.post(f"/r/{tokens[0]}/level/1?lang=en", data={"form_token": "x"})
    assert posted.status_code == 429
    assert "were not saved" in posted.text


def test_a_study_link_counts_by_address_only(
    app: FastAPI, client: TestClient, session: Session, published: Any
) -> None:
    consultant = make_caller(session, "lead@example.org")
    org = client.post("/api/v1/organisations", json={"name": "Us"}, headers=consultant.headers)
    study = client.post(
        f"/api/v1/organisations/{org.json()['id']}/assessments",
        json={"questionnaire_id": "service-check", "name": "S", "wave": "1", "kind": "study"},
        headers=consultant.headers,
    ).json()
    client.post(f"/api/v1/assessments/{study['id']}/open", headers=consultant.headers)
    link = client.post(
        f"/api/v1/assessments/{study['id']}/public-link", headers=consultant.headers
    ).json()
    one, two = client_from(app, "10.0.0.1"), client_from(app, "10.0.0.2")
    statuses = [one.get(f"/api/v1/studies/{link['token']}").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    assert two.get(f"/s/{link['token']}").status_code == 200
    for _ in range(4):
        two.get(f"/s/{link['token']}")
    page = two.get(f"/s/{link['token']}?lang=de")
    assert (page.status_code, page.headers["retry-after"]) == (429, "60")
    assert "Zu viele Anfragen" in page.text


def test_sign_in_attempts_are_limited_per_address_right_or_wrong(
    app: FastAPI, session: Session
) -> None:
    with_password(session, "ada@example.org")
    client = browser(app)
    statuses = []
    for _ in range(3):
        page = client.get("/sign-in")
        response = client.post(
            "/sign-in",
            data={"email": "ada@example.org", "password": "nope", "form_token": "wrong"},
        )
        statuses.append(response.status_code)
    assert statuses == [403, 403, 429]
    assert response.headers["retry-after"] == "60"
    assert "Too many sign-in attempts" in response.text
    assert form_token(page.text)


def test_wrong_api_keys_are_limited_per_address_and_right_ones_still_work(
    app: FastAPI, client: TestClient, admin: Caller
) -> None:
    wrong = {"Authorization": "Bearer ak_guessed"}
    statuses = [client.get("/api/v1/organisations", headers=wrong).status_code for _ in range(3)]
    assert statuses == [401, 401, 429]
    refused = client.get("/api/v1/organisations", headers=wrong)
    assert refused.headers["retry-after"] == "60"
    assert refused.json()["title"] == "Too many requests"
    assert client.get("/api/v1/organisations", headers=admin.headers).status_code == 200


def test_limits_are_off_by_setting(database_url: str, clock: list[float]) -> None:
    app = next(application(database_url, rate_limits=False, rate_limit_bad_api_keys_per_address=1))
    client = TestClient(app)
    wrong = {"Authorization": "Bearer ak_guessed"}
    statuses = [client.get("/api/v1/organisations", headers=wrong).status_code for _ in range(5)]
    assert statuses == [401] * 5
    with Session(app.state.engine) as session:
        assert session.execute(select(func.count()).select_from(RequestCount)).scalar() == 0
    app.state.engine.dispose()


def test_finished_windows_are_forgotten(
    app: FastAPI, session: Session, clock: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    client = TestClient(app)
    wrong = {"Authorization": "Bearer ak_guessed"}
    client.get("/api/v1/organisations", headers=wrong)
    monkeypatch.setattr(rate_limits, "PRUNE_EVERY", 1)
    clock[0] = START + 120
    client.get("/api/v1/organisations", headers=wrong)
    windows = session.execute(select(RequestCount.window_start)).scalars().all()
    assert windows == [int(START) + 120]


class ReadOnly(Exception):
    """What the sqlite3 driver raises for a write to a read-only database."""

    sqlite_errorcode = 8  # SQLITE_READONLY


def test_a_connection_that_breaks_while_counting_answers_503_and_the_retry_succeeds(
    app: FastAPI, tokens: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    counted = count_request_and_read  # a respondent's link is read with its count
    breaks = [True]

    def dropped(connection: Connection, **kwargs: Any) -> Any:
        if breaks.pop() if breaks else False:  # the first count only, as a server restarts
            connection.invalidate()
            raise OperationalError(
                "INSERT", {}, Exception("server closed the connection"), connection_invalidated=True
            )
        return counted(connection, **kwargs)

    monkeypatch.setattr(rate_limits, "count_request_and_read", dropped)
    client = client_from(app, "10.0.0.1")
    first = client.get(f"/api/v1/respond/{tokens[0]}")
    assert first.status_code == 503, first.text
    assert first.headers["Retry-After"]
    assert client.get(f"/api/v1/respond/{tokens[0]}").status_code == 200


def test_a_database_that_refuses_the_count_still_serves_what_is_saved(
    app: FastAPI, tokens: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def read_only(*args: object, **kwargs: object) -> None:
        raise OperationalError("INSERT", {}, ReadOnly("attempt to write a readonly database"))

    monkeypatch.setattr(rate_limits, "count_request", read_only)
    monkeypatch.setattr(rate_limits, "count_request_and_read", read_only)
    client = client_from(app, "10.0.0.1")
    assert all(client.get(f"/api/v1/respond/{tokens[0]}").status_code == 200 for _ in range(5))
