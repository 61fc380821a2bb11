"""Every list of the API comes in pages: `limit` and `offset`, the whole list's length in
X-Total-Count, the next page in a Link header; the body stays a JSON array."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.conftest import Caller, add_member, make_caller
from tests.web.assessments import invite

_NEXT = re.compile(r'^<([^>]+)>; rel="next"$')


def pages(client: TestClient, path: str, headers: dict[str, str], limit: int) -> list[list[Any]]:
    """Every page of a list, following its Link headers; checks the total on each."""
    found: list[list[Any]] = []
    url: str | None = f"{path}?limit={limit}"
    total = None
    while url is not None:
        response = client.get(url, headers=headers)
        assert response.status_code == 200, response.text
        total = total or int(response.headers["x-total-count"])
        assert int(response.headers["x-total-count"]) == total
        found.append(response.json())
        link = response.headers.get("link")
        url = _NEXT.match(link).group(1) if link else None  # type: ignore[union-attr]
    assert sum(len(page) for page in found) == total
    return found


@pytest.fixture
def organisation(client: TestClient, consultant: Caller, published: Any) -> dict[str, Any]:
    org = client.post("/api/v1/organisations", json={"name": "Us"}, headers=consultant.headers)
    return org.json()


def _assessment(client: TestClient, caller: Caller, organisation: dict, name: str) -> dict:
    created = client.post(
        f"/api/v1/organisations/{organisation['id']}/assessments",
        json={"questionnaire_id": "service-check", "name": name, "wave": "2026"},
        headers=caller.headers,
    )
    assert created.status_code == 201, created.text
    return created.json()


def test_assessments_come_in_pages_in_a_stable_order(
    client: TestClient, consultant: Caller, organisation: dict
) -> None:
    for n in range(5):
        _assessment(client, consultant, organisation, f"Wave {n}")
    path = f"/api/v1/organisations/{organisation['id']}/assessments"
    found = pages(client, path, consultant.headers, 2)
    assert [len(page) for page in found] == [2, 2, 1]
    whole = client.get(path, headers=consultant.headers)
    assert [a["id"] for page in found for a in page] == [a["id"] for a in whole.json()]
    assert "link" not in whole.headers
    assert whole.headers["x-total-count"] == "5"


def test_invitations_deliveries_and_results_come_in_pages(
    client: TestClient, consultant: Caller, organisation: dict
) -> None:
    assessment = _assessment(client, consultant, organisation, "Wave")
    client.post(f"/api/v1/assessments/{assessment['id']}/open", headers=consultant.headers)
    made = invite(client, consultant, assessment, *(f"R{n}" for n in range(7)))
    for invitation in made[:3]:
        client.post(
            f"/api/v1/respond/{invitation['token']}/submit",
            json={"answers": {"listen-feedback": 7}},
        )
    base = f"/api/v1/assessments/{assessment['id']}"
    invitations = pages(client, f"{base}/invitations", consultant.headers, 3)
    assert [i["label"] for page in invitations for i in page] == [f"R{n}" for n in range(7)]
    deliveries = pages(client, f"{base}/deliveries", consultant.headers, 5)
    assert [len(page) for page in deliveries] == [5, 2]
    results = pages(client, f"{base}/results/respondents", consultant.headers, 2)
    assert [len(page) for page in results] == [2, 1]


def test_an_offset_past_the_end_is_an_empty_page(
    client: TestClient, consultant: Caller, organisation: dict
) -> None:
    response = client.get("/api/v1/organisations?offset=10", headers=consultant.headers)
    assert response.json() == []
    assert response.headers["x-total-count"] == "1"
    assert "link" not in response.headers


def test_the_link_keeps_the_other_query_parameters(
    client: TestClient, session: Session, admin: Caller, published: Any
) -> None:
    for name in ("A", "B", "C"):
        client.post("/api/v1/organisations", json={"name": name}, headers=admin.headers)
    response = client.get("/api/v1/organisations?limit=1&offset=1", headers=admin.headers)
    assert [o["name"] for o in response.json()] == ["B"]
    assert response.headers["link"] == ('</api/v1/organisations?limit=1&offset=2>; rel="next"')


@pytest.mark.parametrize("query", ["limit=0", "limit=1001", "offset=-1", "limit=many"])
def test_a_limit_or_offset_out_of_range_is_422(
    client: TestClient, consultant: Caller, query: str
) -> None:
    response = client.get(f"/api/v1/organisations?{query}", headers=consultant.headers)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


def test_members_reports_and_questionnaires_come_in_pages(
    client: TestClient, session: Session, consultant: Caller, organisation: dict
) -> None:
    for n in range(3):
        add_member(
            client, organisation["id"], consultant, make_caller(session, f"m{n}@example.org")
        )
    members = pages(
        client, f"/api/v1/organisations/{organisation['id']}/members", consultant.headers, 3
    )
    assert [m["email"] for page in members for m in page] == [
        "consultant@example.org",
        "m0@example.org",
        "m1@example.org",
        "m2@example.org",
    ]
    questionnaires = pages(client, "/api/v1/questionnaires", consultant.headers, 1)
    assert len(questionnaires) == len(client.get("/api/v1/questionnaires").json())
    assessment = _assessment(client, consultant, organisation, "Wave")
    reports = client.get(
        f"/api/v1/assessments/{assessment['id']}/reports?limit=5", headers=consultant.headers
    )
    assert (reports.json(), reports.headers["x-total-count"]) == ([], "0")


def test_the_openapi_documents_the_paging_headers(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    listing = schema["paths"]["/api/v1/assessments/{assessment_id}/invitations"]["get"]
    assert {"X-Total-Count", "Link"} <= set(listing["responses"]["200"]["headers"])
    assert {p["name"] for p in listing["parameters"]} >= {"limit", "offset"}
    assert listing["responses"]["200"]["content"]["application/json"]["schema"]["type"] == "array"
