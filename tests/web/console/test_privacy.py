"""The privacy pages: a respondent's data downloaded and erased after a confirmation, an
organisation erased by an admin who types its name, and the audit log for admins."""

from __future__ import annotations

import uuid

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from assess.persistence.models.assessments import Invitation
from assess.persistence.models.audit import AuditEntry
from assess.persistence.models.organisations import Organisation
from assess.persistence.models.responses import Response
from tests.conftest import Caller, add_member, make_caller
from tests.web.browsing import browser, form_token, sign_in, with_password
from tests.web.surveys import Survey, make_survey


@pytest.fixture
def survey(client: TestClient, consultant: Caller, published: object) -> Survey:
    return make_survey(client, consultant)


@pytest.fixture
def consultant_browser(app: FastAPI, session: Session, consultant: Caller) -> TestClient:
    with_password(session, consultant.user.email)
    return sign_in(browser(app), consultant.user.email)


@pytest.fixture
def admin_browser(app: FastAPI, session: Session, admin: Caller) -> TestClient:
    with_password(session, admin.user.email)
    return sign_in(browser(app), admin.user.email)


def respondent_page(survey: Survey, index: int = 0) -> str:
    return f"/assessments/{survey.assessment}/respondents/{survey.invitations[index]['id']}"


def test_the_respondent_list_offers_their_data_and_erasing(
    consultant_browser: TestClient, survey: Survey
) -> None:
    page = consultant_browser.get(f"/assessments/{survey.assessment}").text
    assert f'href="{respondent_page(survey)}/personal-data.json"' in page
    assert f'href="{respondent_page(survey)}/erase"' in page
    download = consultant_browser.get(f"{respondent_page(survey)}/personal-data.json")
    assert download.status_code == 200
    assert download.headers["content-disposition"].startswith("attachment;")
    assert download.json()["invitation"]["label"] == "Anna"
    assert survey.invitations[0]["token"] not in download.text


def test_erasing_a_respondent_asks_first_and_erases_only_once_confirmed(
    consultant_browser: TestClient, session: Session, survey: Survey
) -> None:
    url = f"{respondent_page(survey)}/erase"
    page = consultant_browser.get(url)
    assert page.status_code == 200
    assert "Erase Anna" in page.text
    token = form_token(page.text)
    unconfirmed = consultant_browser.post(url, data={"form_token": token, "erase": "answers"})
    assert unconfirmed.status_code == 422
    assert "Tick the box" in unconfirmed.text
    assert len(session.exec(select(Response)).all()) == 4
    forged = consultant_browser.post(url, data={"form_token": "x", "confirm": "yes"})
    assert forged.status_code == 403
    erased = consultant_browser.post(
        url, data={"form_token": token, "erase": "personal_data", "confirm": "yes"}
    )
    assert erased.status_code == 303
    assert erased.headers["location"] == f"/assessments/{survey.assessment}?done=erased"
    assert "The respondent was erased" in consultant_browser.get(erased.headers["location"]).text
    session.expire_all()
    assert len(session.exec(select(Response)).all()) == 3
    anna = session.get(Invitation, uuid.UUID(survey.invitations[0]["id"]))
    assert anna is not None
    assert anna.email is None
    actions = [e.action for e in session.exec(select(AuditEntry)).all()]
    assert "respondent.erased" in actions


def test_members_and_other_tenants_cannot_reach_a_respondents_data(
    app: FastAPI, client: TestClient, session: Session, consultant: Caller, survey: Survey
) -> None:
    add_member(client, survey.organisation, consultant, make_caller(session, "member@example.org"))
    with_password(session, "member@example.org")
    member = sign_in(browser(app), "member@example.org")
    with_password(session, "stranger@example.org")
    stranger = sign_in(browser(app), "stranger@example.org")
    for path in ("personal-data.json", "erase"):
        assert member.get(f"{respondent_page(survey)}/{path}").status_code == 403
        assert stranger.get(f"{respondent_page(survey)}/{path}").status_code == 404
    assert (
        f"{respondent_page(survey)}/erase"
        not in member.get(f"/assessments/{survey.assessment}").text
    )


def test_an_admin_erases_an_organisation_by_typing_its_name(
    admin_browser: TestClient, consultant_browser: TestClient, session: Session, survey: Survey
) -> None:
    page_url = f"/organisations/{survey.organisation}"
    assert "Erase the organisation" not in consultant_browser.get(page_url).text
    refused = consultant_browser.post(
        f"{page_url}/erase",
        data={"form_token": form_token(consultant_browser.get(page_url).text)},
    )
    assert refused.status_code == 403
    page = admin_browser.get(page_url)
    assert "Erase the organisation" in page.text
    token = form_token(page.text)
    wrong = admin_browser.post(
        f"{page_url}/erase", data={"form_token": token, "confirm_name": "Muster"}
    )
    assert wrong.status_code == 422
    assert "nothing was erased" in wrong.text
    assert session.get(Organisation, uuid.UUID(survey.organisation)) is not None
    erased = admin_browser.post(
        f"{page_url}/erase", data={"form_token": token, "confirm_name": "Muster GmbH"}
    )
    assert erased.status_code == 303
    assert "The organisation was erased" in admin_browser.get(erased.headers["location"]).text
    session.expire_all()
    assert session.get(Organisation, uuid.UUID(survey.organisation)) is None
    assert session.exec(select(Response)).all() == []


def test_the_audit_log_page_is_for_admins_in_pages_and_both_languages(
    admin_browser: TestClient, consultant_browser: TestClient, survey: Survey
) -> None:
    assert 'href="/audit-log"' in admin_browser.get("/dashboard").text
    assert 'href="/audit-log"' not in consultant_browser.get("/dashboard").text
    refused = consultant_browser.get("/audit-log")
    assert refused.status_code == 403
    assert "The audit log is read by the admins" in refused.text
    page = admin_browser.get("/audit-log")
    assert page.status_code == 200
    assert "8 entries" in page.text
    assert page.text.index("Assessment closed") < page.text.index("Assessment opened")
    german = admin_browser.get("/audit-log?lang=de").text
    assert "Erhebung abgeschlossen" in german
    assert "8 Einträge" in german
    filtered = admin_browser.get("/audit-log?action=assessment.opened&lang=en").text
    assert "1 entry" in filtered
    by_day = admin_browser.get("/audit-log?from=2000-01-01&to=2000-01-02").text
    assert "No entries." in by_day


def test_the_audit_log_page_goes_back_in_pages(
    admin_browser: TestClient, session: Session, admin: Caller, client: TestClient
) -> None:
    for i in range(55):
        client.post("/api/v1/organisations", json={"name": f"Org {i}"}, headers=admin.headers)
    first = admin_browser.get("/audit-log?actor=admin@example.org&lang=en").text
    assert "page 1 of 2" in first
    assert ">Org 54</a>" in first  # the log keeps ids; the page shows today's names
    assert 'href="/audit-log?actor=admin%40example.org&amp;page=2" rel="next"' in first
    second = admin_browser.get("/audit-log?actor=admin%40example.org&page=2").text
    assert "page 2 of 2" in second
    assert second.count("Organisation created") == 5 + 1  # 5 rows and the filter's option
