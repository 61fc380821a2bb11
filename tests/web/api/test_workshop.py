"""The consensus workshop's agenda through the API: those who run the assessment see it on
the live figures, in their language; members, studies and unknown groupings are refused."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.conftest import Caller, add_member, make_caller
from tests.factories import csv_bytes
from tests.web.assessments import (
    API,
    DEMO,
    SERVICE_CHECK_COLUMNS,
    assessment_in,
    new_organisation,
)


@pytest.fixture
def organisation(client: TestClient, consultant: Caller, published: object) -> str:
    return new_organisation(client, consultant)


@pytest.fixture
def demo(client: TestClient, consultant: Caller, organisation: str) -> str:
    """An open assessment of the default questionnaire with the demo's twelve answers:
    marketing, sales, service and management, three each."""
    return assessment_in(client, consultant, organisation, close=False)


def agenda(client: TestClient, caller: Caller, assessment: str, query: str = "") -> Any:
    return client.get(f"{API}/assessments/{assessment}/workshop?{query}", headers=caller.headers)


def test_a_consultant_sees_the_items_the_departments_differ_on_most_first(
    client: TestClient, consultant: Caller, demo: str
) -> None:
    response = agenda(client, consultant, demo)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["grouping"] == "department"
    assert [g["group"] for g in body["groups"]] == ["marketing", "sales", "service", "management"]
    assert body["reason"] is None
    items = body["items"]
    assert len(items) == 10
    assert body["differing"] >= 10
    distances = [i["distance"] for i in items]
    assert distances == sorted(distances, reverse=True)
    for item in items:
        means = {g["group"]: g["mean"] for g in item["groups"]}
        assert item["distance"] == pytest.approx(max(means.values()) - min(means.values()))
        assert means[item["highest"]] == max(means.values())
        for group in item["groups"]:
            scored = sum(
                a["count"] for a in group["distribution"] if a["answer"] not in ("na", "dk")
            )
            assert group["n"] == scored >= 3
        assert item["question"].endswith("which answer holds for your organisation?")
    # the facts asked of the lead alone never come up
    assert "orchestration-touchpoint-inventory" not in {i["id"] for i in items}


def test_the_agenda_comes_in_german_and_as_long_as_asked(
    client: TestClient, consultant: Caller, demo: str
) -> None:
    body = agenda(client, consultant, demo, "lang=de&limit=3").json()
    assert len(body["items"]) == 3
    first = body["items"][0]
    assert first["question"].endswith("welche Antwort gilt für Ihr Unternehmen?")
    labels = {a["answer"]: a["label"] for a in first["groups"][0]["distribution"]}
    assert labels.get("na", "Nicht anwendbar") == "Nicht anwendbar"


def test_an_admin_sees_it_and_a_member_may_not(
    client: TestClient,
    session: Session,
    consultant: Caller,
    admin: Caller,
    organisation: str,
    demo: str,
) -> None:
    assert agenda(client, admin, demo).status_code == 200
    member = make_caller(session, "member@example.org")
    add_member(client, organisation, consultant, member)
    refused = agenda(client, member, demo)
    assert refused.status_code == 403
    assert "consultants and admins" in refused.json()["detail"]
    stranger = make_caller(session, "stranger@example.org")
    assert agenda(client, stranger, demo).status_code == 404


@pytest.mark.parametrize(
    ("query", "named"),
    [("group_by=nope", "'nope'"), ("group_by=industry", "'industry'"), ("limit=0", "limit")],
)
def test_a_grouping_that_is_no_respondent_question_or_a_bad_limit_is_422(
    client: TestClient, consultant: Caller, demo: str, query: str, named: str
) -> None:
    response = agenda(client, consultant, demo, query)
    assert response.status_code == 422
    assert named in response.json()["detail"]


def test_a_study_has_no_workshop(client: TestClient, consultant: Caller, organisation: str) -> None:
    study = client.post(
        f"{API}/organisations/{organisation}/assessments",
        json={"questionnaire_id": "service-check", "name": "Study", "kind": "study"},
        headers=consultant.headers,
    ).json()
    response = agenda(client, consultant, study["id"])
    assert response.status_code == 409
    assert "anonymous study: it has no consensus workshop" in response.json()["detail"]


def test_without_a_department_question_the_agenda_says_why_until_a_grouping_is_chosen(
    client: TestClient, consultant: Caller, organisation: str
) -> None:
    made = client.post(
        f"{API}/organisations/{organisation}/assessments",
        json={"questionnaire_id": "service-check", "name": "Wave 1"},
        headers=consultant.headers,
    ).json()
    header = [*SERVICE_CHECK_COLUMNS, "team"]
    rows = [[f"f{n}", 7, 1, "yes", "board", 4, "yes", 1, "front"] for n in range(3)]
    rows += [[f"b{n}", 2, 5, "no", "nobody", 1, "no", 5, "back"] for n in range(3)]
    imported = client.post(
        f"{API}/assessments/{made['id']}/import",
        content=csv_bytes(header, *rows),
        headers={**consultant.headers, "Content-Type": "text/csv"},
    )
    assert imported.status_code == 201, imported.text
    plain = agenda(client, consultant, made["id"], "lang=de").json()
    assert plain["items"] == []
    assert plain["reason"]["code"] == "no_grouping"
    assert "fragt nicht nach der Abteilung" in plain["reason"]["message"]
    assert plain["groupings"] == ["team", "tenure"]
    grouped = agenda(client, consultant, made["id"], "group_by=team").json()
    assert grouped["reason"] is None
    assert grouped["items"][0]["distance"] == 100.0
    assert {g["name"] for g in grouped["groups"]} == {"Front office", "Back office"}
    assert [g["name"] for g in grouped["hidden_groups"]] == []


def test_one_respondent_leaves_nothing_to_discuss(
    client: TestClient, consultant: Caller, organisation: str
) -> None:
    one = "\n".join(DEMO.splitlines()[:2]) + "\n"
    assessment = assessment_in(client, consultant, organisation, answers=one, close=False)
    body = agenda(client, consultant, assessment).json()
    assert (body["items"], body["reason"]["code"]) == ([], "one_respondent")
    assert body["hidden_groups"][0]["reason"] == "too few to show"
