"""A query parameter the schema declares as one value is refused when given several, by a
check that costs the respondents' routes no worker thread of its own."""

from __future__ import annotations

import threading
from typing import Any

import anyio.to_thread
import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlmodel import Session

from assess.web.api import respond
from assess.web.middleware.single_values import one_value_each
from tests.conftest import Caller, make_caller
from tests.web.answering import open_assessment
from tests.web.assessments import invite


def test_a_single_valued_query_parameter_given_twice_is_422_naming_it(
    client: TestClient, admin: Caller
) -> None:
    answered = client.get("/api/v1/questionnaires?limit=1&limit=2", headers=admin.headers)
    assert answered.status_code == 422
    assert "limit" in answered.text


def test_a_respondents_save_takes_no_worker_thread_of_its_own(
    client: TestClient, session: Session, published: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    consultant = make_caller(session, "lead@example.org")
    assessment = open_assessment(client, consultant, "service-check", "Wave 1")
    token = invite(client, consultant, assessment, "A")[0]["token"]
    hops: list[object] = []
    run_sync = anyio.to_thread.run_sync

    async def counted(function: Any, *args: Any, **kwargs: Any) -> Any:
        hops.append(function)
        return await run_sync(function, *args, **kwargs)

    saved_in: list[str] = []
    save_answers = respond.save_answers

    def noted(*args: Any, **kwargs: Any) -> Any:
        saved_in.append(threading.current_thread().name)
        return save_answers(*args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counted)
    monkeypatch.setattr(respond, "save_answers", noted)
    saved = client.put(f"/api/v1/respond/{token}?x=1", json={"answers": {"listen-feedback": 3}})
    assert saved.status_code == 200, saved.text
    # Its work in one turn: on SQLite in the event loop, on PostgreSQL in one of the
    # respondents' own threads (see deps.database_work); the check of the query
    # parameters takes none of anyio's.
    assert hops == []
    sqlite = client.app.state.engine.dialect.name == "sqlite"  # type: ignore[attr-defined]
    [thread] = saved_in
    assert thread.startswith("respondent") is not sqlite, thread


def test_every_api_route_with_a_query_parameter_checks_it(client: TestClient) -> None:
    # The check is declared per router (and on the respondent's form), not app-wide: a
    # route added without it would take the last of repeated values silently.
    unchecked = []
    for route in client.app.routes:  # type: ignore[attr-defined]
        if not isinstance(route, APIRoute) or not route.path.startswith("/api/"):
            continue
        queries, calls = _flat(route.dependant)
        if queries and one_value_each not in calls:
            unchecked.append(f"{sorted(route.methods)} {route.path}")
    assert unchecked == []


def test_the_respondents_save_and_submit_solve_no_check(client: TestClient) -> None:
    # They take no query parameter: the check could find nothing there.
    for route in client.app.routes:  # type: ignore[attr-defined]
        if isinstance(route, APIRoute) and route.path.startswith("/api/v1/respond/{token}"):
            _, calls = _flat(route.dependant)
            assert (one_value_each in calls) == ("GET" in route.methods), route.path


def test_a_repeated_language_on_the_respondents_form_is_422(
    client: TestClient, session: Session, published: Any
) -> None:
    consultant = make_caller(session, "lead@example.org")
    assessment = open_assessment(client, consultant, "service-check", "Wave 1")
    token = invite(client, consultant, assessment, "A")[0]["token"]
    answered = client.get(f"/api/v1/respond/{token}?lang=de&lang=en")
    assert answered.status_code == 422
    assert "lang" in answered.text


def _flat(dependant: Dependant) -> tuple[list[Any], set[Any]]:
    """The query parameters of a route and its dependencies, and what those call."""
    queries, calls = list(dependant.query_params), set()
    for sub in dependant.dependencies:
        sub_queries, sub_calls = _flat(sub)
        queries += sub_queries
        calls |= sub_calls | {sub.call}
    return queries, calls
