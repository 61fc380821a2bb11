"""The questionnaire endpoints of the JSON API."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assess.config import Settings
from assess.main import create_app

TESTS = Path(__file__).parent.parent / "questionnaires"


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    (folder / "service-check.yaml").write_bytes((TESTS / "service-check.yaml").read_bytes())
    (folder / "broken.yaml").write_text("id: [unclosed\n")
    return TestClient(create_app(Settings(questionnaires_dir=folder)))


def test_lists_valid_questionnaires_and_skips_broken_files(client: TestClient) -> None:
    response = client.get("/api/v1/questionnaires")
    assert response.status_code == 200
    [entry] = response.json()
    assert entry["id"] == "service-check"
    assert entry["version"] == 2
    assert entry["dimensions"] == ["listening", "acting", "sharing"]
    assert entry["items"] == 7
    assert len(entry["sha256"]) == 64


def test_gets_one_questionnaire_whole(client: TestClient) -> None:
    body = client.get("/api/v1/questionnaires/service-check").json()
    assert body["scale"] == {"min": 0, "max": 10, "labels": body["scale"]["labels"]}
    assert [d["id"] for d in body["dimensions"]] == ["listening", "acting", "sharing"]
    assert body["dimensions"][0]["items"][1]["reverse"] is True


def test_unknown_questionnaire_is_a_problem_json_404(client: TestClient) -> None:
    response = client.get("/api/v1/questionnaires/nope")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 404
    assert "nope" in response.json()["detail"]


def test_openapi_schema_and_docs_are_served(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert "/api/v1/questionnaires/{questionnaire_id}" in schema["paths"]
    assert client.get("/docs").status_code == 200


def test_bundled_questionnaires_all_load() -> None:
    bundled = Path(__file__).parent.parent.parent / "questionnaires"
    app = create_app(Settings(questionnaires_dir=bundled))
    assert app.state.catalogue.problems == []
