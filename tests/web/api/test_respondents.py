"""A respondent's link: save any number of times, submit exactly once, never lose an answer."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from assess.persistence.engine import make_engine
from assess.persistence.models.responses import Response
from tests.conftest import Caller
from tests.web.assessments import invite


@pytest.fixture
def assessment(client: TestClient, consultant: Caller, published: object) -> dict:
    org = client.post("/api/v1/organisations", json={"name": "Us"}, headers=consultant.headers)
    created = client.post(
        f"/api/v1/organisations/{org.json()['id']}/assessments",
        json={"questionnaire_id": "service-check", "name": "Wave 1", "wave": "2026"},
        headers=consultant.headers,
    )
    assessment = created.json()
    opened = client.post(f"/api/v1/assessments/{assessment['id']}/open", headers=consultant.headers)
    assert opened.json()["status"] == "open"
    return assessment


@pytest.fixture
def token(client: TestClient, consultant: Caller, assessment: dict) -> str:
    [invitation] = invite(client, consultant, assessment, "Anna")
    assert invitation["link"].endswith(f"/r/{invitation['token']}")
    return invitation["token"]


def test_form_comes_in_the_asked_language(client: TestClient, token: str) -> None:
    form = client.get(f"/api/v1/respond/{token}?lang=de").json()
    assert form["questionnaire"]["dimensions"][0]["name"] == "Zuhören"
    english = client.get(f"/api/v1/respond/{token}?lang=en").json()
    assert english["questionnaire"]["dimensions"][0]["name"] == "Listening"
    assert client.get(f"/api/v1/respond/{token}?lang=fr").status_code == 422


def test_saving_keeps_the_last_answers(client: TestClient, token: str) -> None:
    client.put(f"/api/v1/respond/{token}", json={"answers": {"listen-feedback": 3}})
    saved = client.put(
        f"/api/v1/respond/{token}",
        json={"answers": {"listen-feedback": 7, "listen-nps": True}, "profile": {"team": "front"}},
    )
    assert saved.status_code == 200
    state = client.get(f"/api/v1/respond/{token}").json()["response"]
    assert state["answers"] == {"listen-feedback": 7.0, "listen-nps": True}
    assert state["profile"] == {"team": "front"}
    assert state["status"] == "in_progress"


def test_bad_answers_are_422_and_change_nothing(client: TestClient, token: str) -> None:
    client.put(f"/api/v1/respond/{token}", json={"answers": {"listen-feedback": 3}})
    for body in (
        {"answers": {"listen-feedback": 11}},
        {"answers": {"no-such-item": 1}},
        {"answers": {"act-owner": "everyone"}},
        {"profile": {"remote": True}},  # organisation scope: not the respondent's to answer
    ):
        response = client.put(f"/api/v1/respond/{token}", json=body)
        assert response.status_code == 422, body
        assert response.headers["content-type"] == "application/problem+json"
    state = client.get(f"/api/v1/respond/{token}").json()["response"]
    assert state["answers"] == {"listen-feedback": 3.0}


def test_submit_once_then_answers_are_frozen(client: TestClient, token: str) -> None:
    client.put(f"/api/v1/respond/{token}", json={"answers": {"listen-feedback": 5}})
    first = client.post(f"/api/v1/respond/{token}/submit", headers={"Idempotency-Key": "k1"})
    assert first.status_code == 200
    assert first.json()["status"] == "submitted"
    again = client.post(f"/api/v1/respond/{token}/submit", headers={"Idempotency-Key": "k1"})
    assert again.status_code == 200
    assert again.json() == first.json()
    assert client.post(f"/api/v1/respond/{token}/submit").status_code == 409
    changed = client.put(f"/api/v1/respond/{token}", json={"answers": {"listen-feedback": 1}})
    assert changed.status_code == 409
    state = client.get(f"/api/v1/respond/{token}").json()["response"]
    assert state["answers"] == {"listen-feedback": 5.0}


def test_concurrent_submits_store_one_submitted_response(
    client: TestClient, token: str, session: Session
) -> None:
    client.put(f"/api/v1/respond/{token}", json={"answers": {"listen-feedback": 6}})
    statuses: list[int] = []
    barrier = threading.Barrier(6)

    def submit() -> None:
        barrier.wait()
        statuses.append(client.post(f"/api/v1/respond/{token}/submit").status_code)

    threads = [threading.Thread(target=submit) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] + [409] * 5
    rows = session.exec(select(Response)).all()
    assert [r.status for r in rows] == ["submitted"]


def test_concurrent_saves_of_many_respondents_each_keep_their_own_answers(
    client: TestClient, consultant: Caller, assessment: dict, session: Session
) -> None:
    tokens = [i["token"] for i in invite(client, consultant, assessment, *"ABCDEFGH")]
    returned: dict[int, dict] = {}
    barrier = threading.Barrier(len(tokens))

    def save(value: int) -> None:
        barrier.wait()
        body = {"answers": {"listen-feedback": value}}
        returned[value] = client.put(f"/api/v1/respond/{tokens[value]}", json=body).json()

    threads = [threading.Thread(target=save, args=(v,)) for v in range(len(tokens))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {v: r["answers"] for v, r in returned.items()} == {
        v: {"listen-feedback": float(v)} for v in range(len(tokens))
    }
    stored = {r.respondent: r.answers for r in session.exec(select(Response)).all()}
    assert stored == {label: {"listen-feedback": float(v)} for v, label in enumerate("ABCDEFGH")}


def test_unknown_and_guessed_tokens_are_404(client: TestClient, token: str) -> None:
    assert client.get("/api/v1/respond/" + "x" * 32).status_code == 404
    assert client.get(f"/api/v1/respond/{token[:-1]}").status_code == 404
    assert client.get("/api/v1/respond/" + "a" * 5000).status_code == 404


def test_closed_assessment_refuses_answers_and_keeps_them(
    client: TestClient, token: str, consultant: Caller, assessment: dict
) -> None:
    client.put(f"/api/v1/respond/{token}", json={"answers": {"listen-feedback": 4}})
    client.post(f"/api/v1/assessments/{assessment['id']}/close", headers=consultant.headers)
    refused = client.put(f"/api/v1/respond/{token}", json={"answers": {"listen-feedback": 9}})
    assert refused.status_code == 409
    assert client.post(f"/api/v1/respond/{token}/submit").status_code == 409
    state = client.get(f"/api/v1/respond/{token}").json()["response"]
    assert state["answers"] == {"listen-feedback": 4.0}


def test_expired_invitation_refuses_answers(
    client: TestClient, consultant: Caller, assessment: dict
) -> None:
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    [invitation] = invite(client, consultant, assessment, "Late", expires_at=past)
    response = client.put(
        f"/api/v1/respond/{invitation['token']}", json={"answers": {"listen-feedback": 1}}
    )
    assert response.status_code == 409
    assert "expired" in response.json()["detail"]


def test_oversize_body_is_413(client: TestClient, token: str) -> None:
    body = b'{"answers": {"x": "' + b"a" * 1_100_000 + b'"}}'
    response = client.put(
        f"/api/v1/respond/{token}", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413


@pytest.mark.parametrize("text", ["a\u0000b", "\ud800"])
def test_nul_bytes_and_lone_surrogates_are_422(
    client: TestClient, consultant: Caller, text: str
) -> None:
    body = '{"name": "' + text.encode("unicode_escape").decode().replace("\\x00", "\\u0000") + '"}'
    response = client.post(
        "/api/v1/organisations",
        content=body.encode(),
        headers={**consultant.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert client.get("/api/v1/organisations", headers=consultant.headers).json() == []


def test_malformed_json_is_422_not_500(client: TestClient, consultant: Caller) -> None:
    response = client.post(
        "/api/v1/organisations",
        content=b'{"name": ',
        headers={**consultant.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 422


def test_invitation_labels_are_unique_per_assessment(
    client: TestClient, consultant: Caller, assessment: dict, token: str
) -> None:
    response = client.post(
        f"/api/v1/assessments/{assessment['id']}/invitations",
        json={"invitations": [{"label": "Ben"}, {"label": "Anna"}]},
        headers=consultant.headers,
    )
    assert response.status_code == 409
    listed = client.get(
        f"/api/v1/assessments/{assessment['id']}/invitations", headers=consultant.headers
    ).json()
    assert [(i["label"], i["token"]) for i in listed] == [("Anna", token)]


def test_a_link_is_shown_again_until_a_new_one_replaces_it(
    client: TestClient, consultant: Caller, assessment: dict, token: str
) -> None:
    client.put(f"/api/v1/respond/{token}", json={"answers": {"listen-feedback": 6}})
    invitations = f"/api/v1/assessments/{assessment['id']}/invitations"
    [listed] = client.get(invitations, headers=consultant.headers).json()
    assert listed["link"].endswith(f"/r/{token}")

    renewed = client.post(f"{invitations}/{listed['id']}/new-link", headers=consultant.headers)
    assert renewed.status_code == 200
    new = renewed.json()["token"]
    assert new != token
    assert client.get(f"/api/v1/respond/{token}").status_code == 404
    state = client.get(f"/api/v1/respond/{new}").json()["response"]
    assert state["answers"] == {"listen-feedback": 6.0}
    [again] = client.get(invitations, headers=consultant.headers).json()
    assert again["token"] == new


def test_links_made_under_another_key_are_not_shown_but_still_work(
    app: FastAPI, client: TestClient, consultant: Caller, assessment: dict, token: str
) -> None:
    invitations = f"/api/v1/assessments/{assessment['id']}/invitations"
    app.state.secret_key = "a-different-key-after-a-restart"
    [listed] = client.get(invitations, headers=consultant.headers).json()
    assert listed["token"] is None
    assert client.get(f"/api/v1/respond/{token}").status_code == 200
    missing = client.post(
        f"{invitations}/00000000-0000-0000-0000-000000000000/new-link", headers=consultant.headers
    )
    assert missing.status_code == 404


def test_invitations_from_csv(client: TestClient, consultant: Caller, assessment: dict) -> None:
    response = client.post(
        f"/api/v1/assessments/{assessment['id']}/invitations",
        content=b"label,department\nCem,\nDora,\n",
        headers={**consultant.headers, "Content-Type": "text/csv"},
    )
    assert response.status_code == 201, response.text
    assert [i["label"] for i in response.json()] == ["Cem", "Dora"]


def test_an_unreachable_database_is_503_with_retry_after_and_loses_nothing(
    app: FastAPI, client: TestClient, token: str, tmp_path: Path
) -> None:
    client.put(f"/api/v1/respond/{token}", json={"answers": {"listen-feedback": 4}})
    working = app.state.engine
    unreachable = (
        "postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=1"
        if working.dialect.name == "postgresql"
        else f"sqlite:///{tmp_path / 'no-such-folder' / 'assess.db'}"
    )
    app.state.engine = make_engine(unreachable)
    try:
        refused = client.put(f"/api/v1/respond/{token}", json={"answers": {"listen-feedback": 9}})
    finally:
        app.state.engine.dispose()
        app.state.engine = working
    assert refused.status_code == 503
    assert refused.headers["retry-after"] == "5"
    assert refused.headers["content-type"] == "application/problem+json"
    state = client.get(f"/api/v1/respond/{token}").json()["response"]
    assert state["answers"] == {"listen-feedback": 4.0}
