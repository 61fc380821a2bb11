"""The OpenAPI schema says what the API answers: problem documents for every error, the
errors every route can give, and times that RFC 3339 accepts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import Caller

PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}


def operations(client: TestClient) -> list[tuple[str, dict[str, Any]]]:
    """Every operation of the JSON API, named `METHOD path`."""
    paths = client.get("/openapi.json").json()["paths"]
    return [
        (f"{method.upper()} {path}", operation)
        for path, methods in paths.items()
        if path.startswith("/api/v1/")
        for method, operation in methods.items()
    ]


def test_every_error_the_schema_declares_is_a_problem_document(client: TestClient) -> None:
    for name, operation in operations(client):
        for status, response in operation["responses"].items():
            if int(status) >= 400:
                assert response["content"] == PROBLEM, (name, status)


def test_every_route_declares_the_errors_any_route_can_give(client: TestClient) -> None:
    for name, operation in operations(client):
        declared = operation["responses"]
        assert {"422", "503"} <= declared.keys(), name
        assert "Retry-After" in declared["503"]["headers"], name
        if operation.get("security"):
            assert "WWW-Authenticate" in declared["401"]["headers"], name
        if "requestBody" in operation:
            assert {"400", "413", "415"} <= declared.keys(), name


def test_an_error_has_the_body_the_schema_declares(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()["components"]["schemas"]["Problem"]
    response = client.get("/api/v1/organisations")
    assert response.status_code == 401
    assert set(schema["required"]) <= response.json().keys()
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_times_carry_their_offset(client: TestClient, consultant: Caller) -> None:
    made = client.post(
        "/api/v1/organisations", json={"name": "Muster GmbH"}, headers=consultant.headers
    ).json()
    listed = client.get("/api/v1/organisations", headers=consultant.headers).json()
    for shown in (made["created_at"], listed[0]["created_at"]):
        assert datetime.fromisoformat(shown).utcoffset() is not None, shown
