"""Respondents' links under attack: submitted twice at once, reused after submitting or
closing, and kept after a new link replaced them."""

from __future__ import annotations

import threading
import uuid

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from assess.persistence.models.responses import Response
from tests.adversarial.conftest import ANSWERS, Tenant
from tests.web.browsing import form_token


def invite(client: TestClient, tenant: Tenant, label: str) -> dict:
    """A new invitation of the tenant's open assessment, with its token."""
    made = client.post(
        f"/api/v1/assessments/{tenant.assessment_id}/invitations",
        json={"invitations": [{"label": label}]},
        headers=tenant.consultant.headers,
    )
    assert made.status_code == 201, made.text
    return made.json()[0]


def stored_response(session: Session, label: str) -> list[Response]:
    session.expire_all()
    return list(session.exec(select(Response).where(Response.respondent == label)).all())


def test_concurrent_submits_of_one_token_store_exactly_one_response(
    client: TestClient, session: Session, ours: Tenant
) -> None:
    """CWE-362 Race condition: eight submits of one link at once, through the API and the
    respondent's page, each with its own idempotency key: one wins, the rest get 409."""
    token = invite(client, ours, "Racer")["token"]
    client.put(f"/api/v1/respond/{token}", json={"answers": ANSWERS})
    review_token = form_token(client.get(f"/r/{token}/review").text)
    statuses: list[int] = []
    barrier = threading.Barrier(8)

    def by_api(n: int) -> None:
        barrier.wait()
        sent = client.post(f"/api/v1/respond/{token}/submit", headers={"Idempotency-Key": f"k{n}"})
        statuses.append(sent.status_code)

    def by_page(n: int) -> None:
        barrier.wait()
        data = {"form_token": review_token, "submission": f"page{n}"}
        sent = client.post(f"/r/{token}/review", data=data, follow_redirects=False)
        statuses.append(200 if sent.status_code == 303 else sent.status_code)

    threads = [threading.Thread(target=by_api if n % 2 else by_page, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] + [409] * 7
    [response] = stored_response(session, "Racer")
    assert response.status == "submitted"
    again = client.post(f"/api/v1/respond/{token}/submit")
    assert again.status_code == 409
    assert "submitted already" in again.json()["detail"]


def test_a_submitted_link_cannot_change_its_answers(
    client: TestClient, session: Session, ours: Tenant
) -> None:
    """CWE-837 Improper enforcement of a single, unique action: after submitting, the
    same link saves, submits and posts its pages in vain."""
    token = invite(client, ours, "Once")["token"]
    client.put(f"/api/v1/respond/{token}", json={"answers": {"listen-feedback": 2}})
    assert client.post(f"/api/v1/respond/{token}/submit").status_code == 200
    before = stored_response(session, "Once")[0].answers
    level = client.get(f"/r/{token}/level/1")
    assert (
        client.put(f"/api/v1/respond/{token}", json={"answers": {"listen-feedback": 9}}).status_code
        == 409
    )
    body = {"answers": {"listen-feedback": 9}}
    assert client.post(f"/api/v1/respond/{token}/submit", json=body).status_code == 409
    page = {
        "form_token": form_token(level.text) if "form_token" in level.text else "",
        "listen-feedback": "9",
    }
    posted = client.post(f"/r/{token}/level/1", data=page, follow_redirects=False)
    assert posted.status_code in (403, 409), posted.text[:200]
    assert stored_response(session, "Once")[0].answers == before == {"listen-feedback": 2.0}


def test_a_closed_assessments_links_change_nothing(
    client: TestClient, session: Session, ours: Tenant
) -> None:
    """CWE-613 Insufficient session expiration: once the assessment is closed, its links
    neither save nor submit, through the API or the pages, and what was saved stays."""
    token = invite(client, ours, "Late")["token"]
    client.put(f"/api/v1/respond/{token}", json={"answers": {"listen-feedback": 4}})
    level_token = form_token(client.get(f"/r/{token}/level/1").text)
    review_token = form_token(client.get(f"/r/{token}/review").text)
    closed = client.post(
        f"/api/v1/assessments/{ours.assessment_id}/close", headers=ours.consultant.headers
    )
    assert closed.status_code == 200, closed.text
    assert (
        client.put(f"/api/v1/respond/{token}", json={"answers": {"listen-feedback": 9}}).status_code
        == 409
    )
    assert client.post(f"/api/v1/respond/{token}/submit").status_code == 409
    data = {"form_token": level_token, "listen-feedback": "9"}
    assert client.post(f"/r/{token}/level/1", data=data).status_code == 409
    data = {"form_token": review_token, "submission": "x"}
    assert client.post(f"/r/{token}/review", data=data).status_code == 409
    [response] = stored_response(session, "Late")
    assert (response.status, response.answers) == ("in_progress", {"listen-feedback": 4.0})


def test_a_replaced_link_opens_nothing_and_the_new_one_keeps_the_answers(
    app: FastAPI, client: TestClient, session: Session, ours: Tenant
) -> None:
    """CWE-613 Insufficient session expiration: a link replaced by a new one (say, one
    that was forwarded by mistake) no longer reads, saves or submits anything."""
    invitation = invite(client, ours, "Forwarded")
    old = invitation["token"]
    client.put(f"/api/v1/respond/{old}", json={"answers": {"listen-feedback": 5}})
    old_form = form_token(client.get(f"/r/{old}/level/1").text)
    renewed = client.post(
        f"/api/v1/assessments/{ours.assessment_id}/invitations/{invitation['id']}/new-link",
        headers=ours.consultant.headers,
    )
    assert renewed.status_code in (200, 201), renewed.text
    new = renewed.json()["token"]
    assert new != old
    assert client.get(f"/api/v1/respond/{old}").status_code == 404
    assert (
        client.put(f"/api/v1/respond/{old}", json={"answers": {"listen-feedback": 1}}).status_code
        == 404
    )
    assert client.post(f"/api/v1/respond/{old}/submit").status_code == 404
    for path in (f"/r/{old}", f"/r/{old}/welcome", f"/r/{old}/level/1", f"/r/{old}/review"):
        assert client.get(path).status_code == 404, path
    data = {"form_token": old_form, "listen-feedback": "1"}
    assert client.post(f"/r/{old}/level/1", data=data).status_code == 404
    assert client.get(f"/api/v1/respond/{new}").json()["response"]["answers"] == {
        "listen-feedback": 5.0
    }
    assert stored_response(session, "Forwarded")[0].answers == {"listen-feedback": 5.0}


def test_guessed_and_altered_tokens_open_nothing(client: TestClient, ours: Tenant) -> None:
    """CWE-639 Authorization bypass through user-controlled key: a token one character
    off, cut short, another case, or random opens no one's answers."""
    token = ours.tokens[0]
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    for guess in (flipped, token[:-1], token.swapcase(), uuid.uuid4().hex, token + "x"):
        assert client.get(f"/api/v1/respond/{guess}").status_code == 404, guess
        assert client.get(f"/r/{guess}/welcome").status_code == 404, guess
