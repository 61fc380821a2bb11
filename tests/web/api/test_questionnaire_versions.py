"""Two published versions of one questionnaire side by side: a new assessment takes the
newest unless told otherwise, and an assessment made with version 1 keeps scoring,
reporting, pooling and exporting with version 1."""

from __future__ import annotations

import csv
import io

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from assess.domain.pooling import pool_key
from assess.domain.validation import parse_questionnaire
from assess.persistence.models.benchmarks import BenchmarkEntry
from tests.conftest import Caller
from tests.research.exporting import researcher
from tests.second_version import FIRST, second_version_data
from tests.web.assessments import DEMO, finished, new_organisation, words_of

API = "/api/v1"
SECOND = yaml.safe_dump(second_version_data(), allow_unicode=True)


@pytest.fixture
def both(client: TestClient, admin: Caller) -> None:
    """Version 2, then version 1 of cx-maturity, published."""
    for source in (SECOND, FIRST.read_text(encoding="utf-8")):
        response = client.post(
            f"{API}/questionnaires",
            content=source.encode(),
            headers={**admin.headers, "Content-Type": "application/yaml"},
        )
        assert response.status_code == 201, response.text


def create(client: TestClient, caller: Caller, organisation: str, **version: int) -> dict:
    body = {"questionnaire_id": "cx-maturity", "name": "CX 2026", **version}
    made = client.post(
        f"{API}/organisations/{organisation}/assessments", json=body, headers=caller.headers
    )
    assert made.status_code == 201, made.text
    return dict(made.json())


def test_a_new_assessment_takes_the_newest_version_unless_one_is_named(
    client: TestClient, consultant: Caller, both: None
) -> None:
    organisation = new_organisation(client, consultant)
    assert create(client, consultant, organisation)["questionnaire_version"] == 2
    chosen = create(client, consultant, organisation, questionnaire_version=1)
    assert chosen["questionnaire_version"] == 1
    listed = client.get(f"{API}/questionnaires/cx-maturity").json()
    assert listed["version"] == 2


@pytest.mark.slow
def test_an_assessment_of_version_1_scores_pools_reports_and_exports_with_version_1(
    client: TestClient, session: Session, consultant: Caller, admin: Caller, both: None
) -> None:
    organisation = new_organisation(client, consultant, "Erste GmbH")
    client.post(f"{API}/organisations/{organisation}/benchmark/opt-in", headers=consultant.headers)
    assessment = create(client, consultant, organisation, questionnaire_version=1)["id"]
    imported = client.post(
        f"{API}/assessments/{assessment}/import",
        content=DEMO.encode(),  # version 1's items
        headers={**consultant.headers, "Content-Type": "text/csv"},
    )
    assert imported.status_code == 201, imported.text
    client.post(f"{API}/assessments/{assessment}/close", headers=consultant.headers)

    results = client.get(f"{API}/assessments/{assessment}/results", headers=consultant.headers)
    assert results.json()["questionnaire"] == {"id": "cx-maturity", "version": 1}
    assert "strategy-growth-goals" in results.json()["items"]
    assert "strategy-goals-enthusiasm" not in results.json()["items"]

    first = parse_questionnaire(FIRST.read_text(encoding="utf-8"))
    keys = session.exec(select(BenchmarkEntry.pool_key)).all()
    assert keys == [pool_key(first)]
    assert pool_key(first) != pool_key(parse_questionnaire(SECOND))

    asked = client.post(
        f"{API}/assessments/{assessment}/reports",
        json={"language": "de"},
        headers=consultant.headers,
    )
    state = finished(client, asked.json()["status_url"], consultant.headers)
    assert state["status"] == "done", state
    words = words_of(client.get(state["download_url"], headers=consultant.headers).content)
    assert "Erwachen" in words or "Strukturiert" in words  # version 1's stages

    export = client.get(
        f"{API}/research/questionnaires/cx-maturity/versions/1/export",
        params={"format": "csv"},
        headers=researcher(client, admin),
    )
    assert export.status_code == 200, export.text
    header = next(csv.reader(io.StringIO(export.text)))
    assert "strategy_growth_goals" in header  # research files name items with underscores
    assert "strategy_goals_enthusiasm" not in header
