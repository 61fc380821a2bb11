"""Who may do what: admins create users, consultants run their organisations and choose
their people, members see results but change nothing."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.conftest import Caller, add_member, make_caller
from tests.web.browsing import browser, form_token, sign_in, with_password


@pytest.fixture
def organisation(client: TestClient, consultant: Caller, published: object) -> dict:
    response = client.post("/api/v1/organisations", json={"name": "Us"}, headers=consultant.headers)
    return response.json()


@pytest.fixture
def member(client: TestClient, session: Session, consultant: Caller, organisation: dict) -> Caller:
    caller = make_caller(session, "member@example.org")
    add_member(client, organisation["id"], consultant, caller)
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


def test_a_members_address_changes_their_role_at_once_without_an_invitation(
    client: TestClient, consultant: Caller, member: Caller, organisation: dict
) -> None:
    url = f"/api/v1/organisations/{organisation['id']}/members"
    changed = client.put(
        url, json={"email": "MEMBER@Example.org", "role": "consultant"}, headers=consultant.headers
    )
    assert changed.status_code == 200
    assert changed.json() == {
        "user_id": str(member.user.id),
        "email": "member@example.org",
        "name": "",
        "role": "consultant",
    }
    assert client.get("/api/v1/membership-invitations", headers=member.headers).json() == []
    roles = {m["email"]: m["role"] for m in client.get(url, headers=member.headers).json()}
    assert roles["member@example.org"] == "consultant"


def test_someone_without_an_account_is_invited_and_accepts_once_an_admin_makes_it(
    client: TestClient, admin: Caller, consultant: Caller, organisation: dict
) -> None:
    url = f"/api/v1/organisations/{organisation['id']}/members"
    invited = client.put(
        url, json={"email": "Newcomer@Example.org", "role": "member"}, headers=consultant.headers
    )
    assert invited.status_code == 202
    assert invited.json()["email"] == "newcomer@example.org"
    made = client.post(
        "/api/v1/users", json={"email": "newcomer@example.org"}, headers=admin.headers
    )
    newcomer = {"Authorization": f"Bearer {made.json()['api_key']}"}
    [pending] = client.get("/api/v1/membership-invitations", headers=newcomer).json()
    assert pending["organisation_name"] == "Us"
    assert pending["invited_by"] == "consultant@example.org"
    assert pending["role"] == "member"
    accepted = client.post(
        f"/api/v1/membership-invitations/{pending['id']}/accept", headers=newcomer
    )
    assert accepted.json() == {"organisation_id": organisation["id"], "role": "member"}
    assert client.get(url, headers=newcomer).status_code == 200
    assert client.get("/api/v1/membership-invitations", headers=newcomer).json() == []


def test_inviting_an_address_again_renews_its_one_invitation(
    client: TestClient, session: Session, consultant: Caller, organisation: dict
) -> None:
    url = f"/api/v1/organisations/{organisation['id']}/members"
    guest = make_caller(session, "guest@example.org")
    for role in ("member", "consultant"):
        body = {"email": "guest@example.org", "role": role}
        assert client.put(url, json=body, headers=consultant.headers).status_code == 202
    [pending] = client.get("/api/v1/membership-invitations", headers=guest.headers).json()
    assert pending["role"] == "consultant"


def test_a_malformed_address_is_not_invited(
    client: TestClient, consultant: Caller, organisation: dict
) -> None:
    response = client.put(
        f"/api/v1/organisations/{organisation['id']}/members",
        json={"email": "no at sign", "role": "member"},
        headers=consultant.headers,
    )
    assert response.status_code == 422


def test_an_invitation_is_declined_on_its_page_in_german(
    app: FastAPI, client: TestClient, session: Session, consultant: Caller, organisation: dict
) -> None:
    client.put(
        f"/api/v1/organisations/{organisation['id']}/members",
        json={"email": "guest@example.org", "role": "consultant"},
        headers=consultant.headers,
    )
    with_password(session, "guest@example.org")
    guest = sign_in(browser(app), "guest@example.org")
    dashboard = guest.get("/dashboard?lang=de").text
    assert "Eine Einladung zum Beitritt zu einer Organisation wartet auf Ihre Antwort." in dashboard
    page = guest.get("/membership-invitations").text
    assert "Als Beraterin oder Berater" in page
    assert "Eingeladen von consultant@example.org." in page
    [invitation] = page.split('action="/membership-invitations/')[1:2]
    decline = f"/membership-invitations/{invitation.split('/')[0]}/decline"
    declined = guest.post(decline, data={"form_token": form_token(page)})
    assert declined.headers["location"] == "/membership-invitations?done=declined"
    after = guest.get(declined.headers["location"]).text
    assert "Sie haben die Einladung abgelehnt" in after
    assert "Keine Einladung wartet auf Ihre Antwort." in after
    assert 'href="/membership-invitations"' not in guest.get("/dashboard").text
    assert guest.get(f"/organisations/{organisation['id']}").status_code == 404
