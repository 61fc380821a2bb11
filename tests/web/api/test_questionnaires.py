"""The questionnaire endpoints of the JSON API."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import SERVICE_CHECK, Caller


def publish(client: TestClient, caller: Caller, body: str):
    return client.post(
        "/api/v1/questionnaires",
        content=body.encode(),
        headers={**caller.headers, "Content-Type": "application/yaml"},
    )


def test_published_questionnaires_are_listed_newest_version_first(
    client: TestClient, published: list[dict]
) -> None:
    entry = next(q for q in published if q["id"] == "service-check")
    assert entry["version"] == 2
    assert entry["dimensions"] == ["listening", "acting", "sharing"]
    assert entry["items"] == 7
    assert len(entry["sha256"]) == 64


def test_gets_one_questionnaire_whole(client: TestClient, published: list[dict]) -> None:
    body = client.get("/api/v1/questionnaires/service-check").json()
    assert body["scale"]["min"] == 0
    assert [d["id"] for d in body["dimensions"]] == ["listening", "acting", "sharing"]
    assert body["dimensions"][0]["items"][1]["reverse"] is True


def test_unknown_questionnaire_is_a_problem_json_404(client: TestClient) -> None:
    response = client.get("/api/v1/questionnaires/nope")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 404


def test_publishing_a_broken_file_lists_every_problem_with_its_line(
    client: TestClient, admin: Caller
) -> None:
    broken = SERVICE_CHECK.read_text().replace("weight: 2\n", "wieght: 2\n", 1)
    broken = broken.replace("min_score: 25", "min_score: -5")
    response = publish(client, admin, broken)
    assert response.status_code == 422
    problems = response.json()["problems"]
    line = broken.splitlines().index("    wieght: 2") + 1
    assert any(f":{line}:" in p and "wieght" in p for p in problems), problems
    assert any("min_score" in p for p in problems)


def test_publishing_needs_an_admin(client: TestClient, consultant: Caller) -> None:
    assert publish(client, consultant, SERVICE_CHECK.read_text()).status_code == 403


def test_a_version_in_use_cannot_change(
    client: TestClient, admin: Caller, published: list[dict]
) -> None:
    org = client.post("/api/v1/organisations", json={"name": "A"}, headers=admin.headers).json()
    created = client.post(
        f"/api/v1/organisations/{org['id']}/assessments",
        json={"questionnaire_id": "service-check", "name": "Wave 1"},
        headers=admin.headers,
    )
    assert created.status_code == 201
    changed = SERVICE_CHECK.read_text().replace("We collect feedback.", "We ask.")
    response = publish(client, admin, changed)
    assert response.status_code == 409
    assert "higher `version`" in response.json()["detail"]
    bumped = changed.replace("version: 2", "version: 3")
    assert publish(client, admin, bumped).status_code == 201


def test_openapi_schema_and_docs_are_served(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert "/api/v1/questionnaires/{questionnaire_id}" in schema["paths"]
    assert client.get("/docs").status_code == 200
