"""Who may do what: admins create users, consultants run their organisations and choose
their people, members see results but change nothing."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.conftest import Caller, make_caller


@pytest.fixture
def organisation(client: TestClient, consultant: Caller, published: object) -> dict:
    response = client.post("/api/v1/organisations", json={"name": "Us"}, headers=consultant.headers)
    return response.json()


@pytest.fixture
def member(client: TestClient, session: Session, consultant: Caller, organisation: dict) -> Caller:
    caller = make_caller(session, "member@example.org")
    added = client.put(
        f"/api/v1/organisations/{organisation['id']}/members",
        json={"email": "Member@Example.org", "role": "member"},
        headers=consultant.headers,
    )
    assert added.status_code == 201, added.text
    return caller


def test_admin_creates_a_user_whose_key_works_once_shown(
    client: TestClient, admin: Caller, consultant: Caller
) -> None:
    body = {"email": "new@example.org", "name": "New", "is_researcher": True}
    created = client.post("/api/v1/users", json=body, headers=admin.headers)
    assert created.status_code == 201
    key = created.json()["api_key"]
    assert key.startswith("ak_")
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"}).json()
    assert me["email"] == "new@example.org"
    assert me["is_researcher"] is True
    assert "api_key" not in me
    again = client.post("/api/v1/users", json=body, headers=admin.headers)
    assert again.status_code == 409
    refused = client.post(
        "/api/v1/users", json={"email": "x@example.org"}, headers=consultant.headers
    )
    assert refused.status_code == 403


def test_a_malformed_email_is_422(client: TestClient, admin: Caller) -> None:
    response = client.post("/api/v1/users", json={"email": "no at sign"}, headers=admin.headers)
    assert response.status_code == 422


def test_members_see_results_but_change_nothing(
    client: TestClient, consultant: Caller, member: Caller, organisation: dict
) -> None:
    org = f"/api/v1/organisations/{organisation['id']}"
    created = client.post(
        f"{org}/assessments",
        json={"questionnaire_id": "service-check", "name": "Wave 1"},
        headers=consultant.headers,
    ).json()
    assessment = f"/api/v1/assessments/{created['id']}"
    assert client.get(org, headers=member.headers).status_code == 200
    assert client.get(assessment, headers=member.headers).status_code == 200
    waiting = client.get(f"{assessment}/results", headers=member.headers)
    assert waiting.status_code == 409  # may read them, once three responses are in
    assert "from 3 submitted responses on" in waiting.json()["detail"]
    for method, url, body in (
        ("POST", f"{org}/assessments", {"questionnaire_id": "service-check", "name": "X"}),
        ("POST", f"{assessment}/open", None),
        ("POST", f"{assessment}/close", None),
        ("POST", f"{assessment}/invitations", {"invitations": [{"label": "Anna"}]}),
        ("GET", f"{assessment}/invitations", None),
        ("GET", f"{assessment}/results/respondents", None),
        ("PUT", f"{org}/members", {"email": "member@example.org", "role": "consultant"}),
    ):
        response = client.request(method, url, json=body, headers=member.headers)
        assert response.status_code == 403, (method, url, response.text)
    assert client.get(assessment, headers=member.headers).json()["status"] == "draft"


def test_members_are_listed_and_roles_change(
    client: TestClient, consultant: Caller, member: Caller, organisation: dict
) -> None:
    url = f"/api/v1/organisations/{organisation['id']}/members"
    listed = client.get(url, headers=member.headers).json()
    assert [(m["email"], m["role"]) for m in listed] == [
        ("consultant@example.org", "consultant"),
        ("member@example.org", "member"),
    ]
    promoted = client.put(
        url, json={"email": "member@example.org", "role": "consultant"}, headers=consultant.headers
    )
    assert promoted.status_code == 200
    assert promoted.json()["role"] == "consultant"
    # Now the former member runs the organisation and may step the other consultant down.
    stepped = client.put(
        url, json={"email": "consultant@example.org", "role": "member"}, headers=member.headers
    )
    assert stepped.status_code == 200


def test_the_last_consultant_cannot_leave_or_step_down(
    client: TestClient, consultant: Caller, member: Caller, organisation: dict
) -> None:
    url = f"/api/v1/organisations/{organisation['id']}/members"
    own = f"{url}/{consultant.user.id}"
    assert client.delete(own, headers=consultant.headers).status_code == 409
    down = client.put(
        url, json={"email": "consultant@example.org", "role": "member"}, headers=consultant.headers
    )
    assert down.status_code == 409
    assert "at least one consultant" in down.json()["detail"]
    removed = client.delete(f"{url}/{member.user.id}", headers=consultant.headers)
    assert removed.status_code == 204
    assert client.get(url, headers=member.headers).status_code == 404
    assert client.delete(f"{url}/{member.user.id}", headers=consultant.headers).status_code == 404


def test_adding_someone_unknown_says_what_to_do(
    client: TestClient, consultant: Caller, organisation: dict
) -> None:
    response = client.put(
        f"/api/v1/organisations/{organisation['id']}/members",
        json={"email": "nobody@example.org", "role": "member"},
        headers=consultant.headers,
    )
    assert response.status_code == 422
    assert "admin creates users" in response.json()["detail"]
