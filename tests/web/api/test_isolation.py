"""Tenants never see each other: every organisation-scoped route answers another tenant's
id with 404, exactly as for an id that does not exist. The routes come from the app's own
route table, so a new route cannot be forgotten here."""

from __future__ import annotations

import uuid

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.conftest import Caller, make_caller

SCOPED = ("organisation_id", "assessment_id")


def scoped_routes(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path) of every API route whose path names an organisation or assessment,
    read from the app's OpenAPI schema (every route the API offers)."""
    return [
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        if any(f"{{{p}}}" in path for p in SCOPED)
        for method in operations
    ]


@pytest.fixture
def foreign(client: TestClient, session: Session, published: object) -> dict[str, str]:
    """An organisation and an assessment of another tenant."""
    owner = make_caller(session, "owner@example.org")
    org = client.post("/api/v1/organisations", json={"name": "Theirs"}, headers=owner.headers)
    assessment = client.post(
        f"/api/v1/organisations/{org.json()['id']}/assessments",
        json={"questionnaire_id": "service-check", "name": "Private"},
        headers=owner.headers,
    )
    return {"organisation_id": org.json()["id"], "assessment_id": assessment.json()["id"]}


def test_route_table_has_scoped_routes(app: FastAPI) -> None:
    routes = scoped_routes(app)
    assert len(routes) >= 10
    # the benchmark routes, among others
    assert ("GET", "/api/v1/assessments/{assessment_id}/benchmark") in routes
    assert ("POST", "/api/v1/organisations/{organisation_id}/benchmark/opt-in") in routes
    assert ("POST", "/api/v1/organisations/{organisation_id}/benchmark/opt-out") in routes
    assert ("POST", "/api/v1/assessments/{assessment_id}/public-link") in routes
    assert ("POST", "/api/v1/assessments/{assessment_id}/invitations/send") in routes
    assert ("GET", "/api/v1/assessments/{assessment_id}/deliveries") in routes


def test_every_scoped_route_hides_other_tenants(
    app: FastAPI, client: TestClient, consultant: Caller, foreign: dict[str, str]
) -> None:
    for method, path in scoped_routes(app):
        # ids of other kinds in the same paths
        other = {
            "user_id": str(consultant.user.id),
            "report_id": str(uuid.uuid4()),
            "invitation_id": str(uuid.uuid4()),
            "kind": "invitation",
            "language": "de",
            "item_id": "listen-feedback",
        }
        url = path.format(**foreign, **other)
        theirs = client.request(method, url, headers=consultant.headers, json={})
        missing = client.request(
            method,
            path.format(organisation_id=uuid.uuid4(), assessment_id=uuid.uuid4(), **other),
            headers=consultant.headers,
            json={},
        )
        assert theirs.status_code == 404, (method, path, theirs.text)
        assert theirs.json()["detail"] == missing.json()["detail"], (method, path)


def test_the_owner_still_reaches_them(
    app: FastAPI, client: TestClient, session: Session, foreign: dict[str, str]
) -> None:
    owner_key = make_caller(session, "second-key@example.org")  # unrelated user
    response = client.get(
        f"/api/v1/assessments/{foreign['assessment_id']}", headers=owner_key.headers
    )
    assert response.status_code == 404


def test_admin_sees_every_tenant(
    client: TestClient, admin: Caller, foreign: dict[str, str]
) -> None:
    response = client.get(
        f"/api/v1/organisations/{foreign['organisation_id']}", headers=admin.headers
    )
    assert response.status_code == 200


def test_requests_without_a_valid_key_are_401(client: TestClient, session: Session) -> None:
    assert client.get("/api/v1/organisations").status_code == 401
    bad = {"Authorization": "Bearer ak_nothing_here"}
    assert client.get("/api/v1/organisations", headers=bad).status_code == 401


def test_revoked_key_is_refused(client: TestClient, session: Session) -> None:
    from assess.persistence.repository.accounts import revoke_api_key

    caller = make_caller(session, "leaver@example.org")
    assert client.get("/api/v1/organisations", headers=caller.headers).status_code == 200
    prefix = "_".join(caller.headers["Authorization"].split()[1].split("_")[:2])
    assert revoke_api_key(session, prefix=prefix)
    assert client.get("/api/v1/organisations", headers=caller.headers).status_code == 401
