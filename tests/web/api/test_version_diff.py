"""GET /questionnaires/{id}/diff: changes between published versions, and the verdict."""

from __future__ import annotations

import yaml
from fastapi.testclient import TestClient

from tests.conftest import Caller
from tests.factories import questionnaire_data


def publish(client: TestClient, admin: Caller, data: dict) -> None:
    response = client.post(
        "/api/v1/questionnaires",
        content=yaml.safe_dump(data).encode(),
        headers={**admin.headers, "Content-Type": "application/yaml"},
    )
    assert response.status_code == 201, response.text


def two_versions(client: TestClient, admin: Caller) -> None:
    publish(client, admin, questionnaire_data())
    changed = questionnaire_data(version=2)
    changed["dimensions"][0]["items"][0]["reverse"] = True
    changed["stages"][1]["min_score"] = 30
    publish(client, admin, changed)


def test_diff_of_two_published_versions(client: TestClient, admin: Caller) -> None:
    two_versions(client, admin)
    response = client.get("/api/v1/questionnaires/test/diff?from=1&to=2")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["old"] == {"id": "test", "version": 1}
    assert body["pooling"]["poolable"] is False
    assert body["pooling"]["scores_changed_in"] == ["d1", "overall"]
    assert [(c["subject"], c["id"], c["effects"]) for c in body["changes"]] == [
        ("item", "i1", ["scores"]),
        ("stage", "two", ["stages"]),
    ]


def test_diff_summary_in_german(client: TestClient, admin: Caller) -> None:
    two_versions(client, admin)
    body = client.get("/api/v1/questionnaires/test/diff?from=2&to=1&lang=de").json()
    assert body["summary"].startswith(
        "Der Vergleich mit anderen Organisationen hält die beiden Versionen getrennt: "
        "Die Werte werden anders berechnet "
        "in d1 und dem Gesamtwert."
    )
    assert "Stufen: two beginnt bei 20 statt bei 30." in body["summary"]
    assert body["overview"]["levels"][0]["scored_differently"] == ["i1"]


def test_a_missing_version_is_a_404_naming_the_published_ones(
    client: TestClient, admin: Caller
) -> None:
    two_versions(client, admin)
    response = client.get("/api/v1/questionnaires/test/diff?from=1&to=7")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "no published version 7; published versions: 1, 2" in response.json()["detail"]


def test_a_missing_questionnaire_is_a_404(client: TestClient) -> None:
    response = client.get("/api/v1/questionnaires/nothing/diff?from=1&to=2")
    assert response.status_code == 404
    assert "No questionnaire 'nothing' is published" in response.json()["detail"]


def test_from_and_to_are_required(client: TestClient) -> None:
    assert client.get("/api/v1/questionnaires/test/diff?from=1").status_code == 422
