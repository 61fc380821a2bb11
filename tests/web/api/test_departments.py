"""Departments: the one an invitation assigned stays the respondent's unless the
assessment lets them change it; departments too small to be shown are named when
inviting; small departments can be merged into a named group for the results."""

from __future__ import annotations

import pickle
import uuid
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from assess.jobs import reports as report_jobs
from assess.persistence.models.assessments import Assessment
from assess.reporting import workers
from tests.conftest import Caller, make_caller
from tests.web.browsing import browser, form_token, sign_in, with_password

API = "/api/v1"


@pytest.fixture
def assessment(client: TestClient, consultant: Caller, published: object) -> str:
    org = client.post(f"{API}/organisations", json={"name": "Nord"}, headers=consultant.headers)
    created = client.post(
        f"{API}/organisations/{org.json()['id']}/assessments",
        json={"questionnaire_id": "cx-maturity", "name": "CX 2026"},
        headers=consultant.headers,
    )
    assessment: str = created.json()["id"]
    client.post(f"{API}/assessments/{assessment}/open", headers=consultant.headers)
    return assessment


def invite(client: TestClient, caller: Caller, assessment: str, *departments: str) -> list[Any]:
    people = [{"label": f"{d}-{i}", "department": d} for i, d in enumerate(departments)]
    made = client.post(
        f"{API}/assessments/{assessment}/invitations",
        json={"invitations": people},
        headers=caller.headers,
    )
    assert made.status_code == 201, made.text
    invited: list[Any] = made.json()
    return invited


def departments(client: TestClient, caller: Caller, assessment: str, **body: Any) -> Any:
    url = f"{API}/assessments/{assessment}/departments"
    if body:
        return client.put(url, json=body, headers=caller.headers)
    return client.get(url, headers=caller.headers)


def test_a_respondent_keeps_the_department_the_invitation_assigned(
    client: TestClient, consultant: Caller, assessment: str
) -> None:
    [invitation] = invite(client, consultant, assessment, "sales")
    token = invitation["token"]
    changed = client.put(f"{API}/respond/{token}", json={"profile": {"department": "service"}})
    assert changed.status_code == 422
    assert "department is sales" in changed.text
    saved = client.put(f"{API}/respond/{token}", json={"answers": {}})
    assert saved.json()["profile"] == {"department": "sales"}
    page = client.get(f"/r/{token}/profile?lang=de")
    assert "Vertrieb" in page.text
    assert 'name="department"' not in page.text  # shown, not asked
    posted = client.post(
        f"/r/{token}/profile?lang=de",
        data={"department": "service", "form_token": form_token(page.text), "go": "next"},
        follow_redirects=False,
    )
    assert posted.status_code == 303
    state = client.get(f"{API}/respond/{token}").json()["response"]
    assert state["profile"] == {"department": "sales"}


def test_the_assessment_may_let_respondents_change_their_department(
    client: TestClient, consultant: Caller, assessment: str
) -> None:
    [invitation] = invite(client, consultant, assessment, "sales")
    settings = departments(client, consultant, assessment, departments_changeable=True)
    assert settings.json()["departments_changeable"] is True
    token = invitation["token"]
    changed = client.put(f"{API}/respond/{token}", json={"profile": {"department": "service"}})
    assert changed.json()["profile"] == {"department": "service"}
    assert 'name="department"' in client.get(f"/r/{token}/profile?lang=de").text


def test_a_department_with_fewer_invitees_than_k_is_named_with_whom_to_merge_it(
    client: TestClient, consultant: Caller, assessment: str
) -> None:
    invite(client, consultant, assessment, *["sales"] * 3, *["service"] * 3, "management")
    found = departments(client, consultant, assessment).json()
    assert found["invited"] == {"sales": 3, "service": 3, "management": 1}
    [warning] = found["warnings"]
    assert warning["department"] == "management"
    assert warning["merge_with"] == "Sales"
    assert warning["message"] == (
        "Management: 1 invited, fewer than 3 – merge it with Sales, or the results do not show it"
    )
    merged = departments(
        client,
        consultant,
        assessment,
        groups=[{"name": "Leitung und Vertrieb", "departments": ["management", "sales"]}],
    ).json()
    assert merged["groups"] == [
        {
            "name": "Leitung und Vertrieb",
            "departments": ["sales", "management"],
            "key": "sales.management",
        }
    ]
    assert merged["warnings"] == []


def test_a_merge_of_unknown_or_taken_departments_is_refused_with_the_choices(
    client: TestClient, consultant: Caller, assessment: str
) -> None:
    refused = departments(
        client,
        consultant,
        assessment,
        groups=[
            {"name": "Eins", "departments": ["sales", "finance"]},
            {"name": "Zwei", "departments": ["sales", "service"]},
        ],
    )
    assert refused.status_code == 422
    problems = refused.json()["problems"]
    assert any("unknown department finance; use one of: marketing, sales" in p for p in problems)
    assert any("sales is merged into 'Eins' already" in p for p in problems)
    assert departments(client, consultant, assessment).json()["groups"] == []


def test_only_those_who_run_the_assessment_see_or_set_its_departments(
    client: TestClient, session: Session, assessment: str
) -> None:
    stranger = make_caller(session, "stranger@example.org")
    assert departments(client, stranger, assessment).status_code == 404
    assert departments(client, stranger, assessment, departments_changeable=True).status_code == 404


def test_the_released_report_compares_the_merged_group_by_its_name(
    app: FastAPI, client: TestClient, consultant: Caller, session: Session, assessment: str
) -> None:
    departments(
        client,
        consultant,
        assessment,
        groups=[{"name": "Leitung und Vertrieb", "departments": ["sales", "management"]}],
    )
    for invitation in invite(client, consultant, assessment, *["sales"] * 3, *["service"] * 3):
        assert client.post(f"{API}/respond/{invitation['token']}/submit").is_success
    [last] = invite(client, consultant, assessment, "management")
    assert client.post(f"{API}/respond/{last['token']}/submit").is_success
    made = session.get(Assessment, uuid.UUID(assessment))
    assert made is not None
    settings = app.state.settings
    inputs = report_jobs.inputs_of(session, made, "de", settings=settings)  # as in the PDF
    report = pickle.loads(pickle.dumps(workers.report_content(inputs)))
    (view,) = report.groups
    assert view.groups == {"Leitung und Vertrieb": 4, "Service": 3}
    assert report.missing_comparison is None


def test_the_console_keeps_what_was_typed_and_says_in_german_what_to_change(
    app: FastAPI, client: TestClient, consultant: Caller, session: Session, assessment: str
) -> None:
    invite(client, consultant, assessment, *["sales"] * 3, "management")
    with_password(session, consultant.user.email)
    page = sign_in(browser(app), consultant.user.email)
    shown = page.get(f"/assessments/{assessment}?lang=de")
    assert "Geschäftsleitung: 1 eingeladen, weniger als 3 – mit Vertrieb zusammenfassen" in (
        shown.text
    )
    form = page.get(f"/assessments/{assessment}/departments?lang=de")
    refused = page.post(
        f"/assessments/{assessment}/departments/groups",
        data={"name": "Leitung", "department": "management", "form_token": form_token(form.text)},
    )
    assert refused.status_code == 422
    assert "Wählen Sie mindestens zwei Abteilungen zum Zusammenfassen." in refused.text
    assert 'value="Leitung"' in refused.text
    assert 'value="management" checked' in refused.text
    merged = page.post(
        f"/assessments/{assessment}/departments/groups",
        data={
            "name": "Leitung und Vertrieb",
            "department": ["management", "sales"],
            "form_token": form_token(form.text),
        },
    )
    assert merged.status_code == 303
    groups = departments(client, consultant, assessment).json()["groups"]
    assert [g["key"] for g in groups] == ["sales.management"]
    assert "mit Vertrieb zusammenfassen" not in page.get(f"/assessments/{assessment}").text


def test_the_results_page_says_why_departments_are_not_compared(
    app: FastAPI, client: TestClient, consultant: Caller, session: Session, assessment: str
) -> None:
    people = invite(client, consultant, assessment, *["sales"] * 3, *["service"] * 3, "management")
    for invitation in people:
        assert client.post(f"{API}/respond/{invitation['token']}/submit").is_success
    with_password(session, consultant.user.email)
    page = sign_in(browser(app), consultant.user.email)
    shown = page.get(f"/assessments/{assessment}/results?lang=de")
    assert shown.status_code == 200
    assert (
        "Der Vergleich nach Abteilungen fehlt, weil sich aus den Abteilungen nebeneinander die "
        "Antworten von weniger als 3 Befragten herauslesen ließen."
    ) in shown.text
    assert f'href="/assessments/{assessment}/departments"' in shown.text
