"""A query parameter the schema declares as one value is refused when given several, by a
check that costs the respondents' routes no worker thread of its own."""

from __future__ import annotations

from typing import Any

import anyio.to_thread
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.conftest import Caller, make_caller
from tests.web.answering import open_assessment
from tests.web.assessments import invite


def test_a_single_valued_query_parameter_given_twice_is_422_naming_it(
    client: TestClient, admin: Caller
) -> None:
    answered = client.get("/api/v1/questionnaires?limit=1&limit=2", headers=admin.headers)
    assert answered.status_code == 422
    assert "limit" in answered.text


def test_a_respondents_save_takes_one_worker_thread(
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

    monkeypatch.setattr(anyio.to_thread, "run_sync", counted)
    saved = client.put(f"/api/v1/respond/{token}?x=1", json={"answers": {"listen-feedback": 3}})
    assert saved.status_code == 200, saved.text
    assert len(hops) == 1, hops
