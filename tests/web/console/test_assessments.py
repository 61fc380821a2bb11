"""The pages of those who run assessments: the dashboard, organisations, assessments,
respondents and their links; every form with its token, every refusal in words."""

from __future__ import annotations

import csv
import io
import re
import uuid

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from assess.persistence.models.assessments import Assessment, AssessmentStatus, Invitation
from assess.persistence.models.organisations import Organisation
from assess.persistence.models.responses import ScoreSnapshot
from tests.web.browsing import browser, form_token, post_form, sign_in, with_password
from tests.web.console.consulting import make_assessment, make_organisation


@pytest.fixture
def consultant_browser(app: FastAPI, session: Session, published: object) -> TestClient:
    with_password(session, "consultant@example.org")
    return sign_in(browser(app), "consultant@example.org")


def test_a_consultant_creates_an_organisation_and_an_assessment_and_sees_it_on_the_dashboard(
    consultant_browser: TestClient, session: Session
) -> None:
    organisation = make_organisation(consultant_browser)
    assessment = make_assessment(
        consultant_browser, organisation, wave="2026-Q4", show_own_scores="yes"
    )
    stored = session.get(Assessment, uuid.UUID(assessment))
    assert stored is not None
    assert (stored.name, stored.wave, stored.status) == ("CX 2026", "2026-Q4", "draft")
    assert stored.show_own_scores is True
    dashboard = consultant_browser.get("/dashboard").text
    assert "Muster GmbH" in dashboard
    assert f'href="/assessments/{assessment}"' in dashboard
    assert "No one invited yet" in dashboard


def test_respondents_pasted_in_a_list_get_links_that_work_and_can_be_downloaded(
    consultant_browser: TestClient, session: Session
) -> None:
    assessment = make_assessment(consultant_browser, make_organisation(consultant_browser))
    page = f"/assessments/{assessment}"
    added = post_form(
        consultant_browser,
        page,
        f"{page}/respondents",
        {"respondents": "Anna Berg, Vertrieb\nBen; service\n\nCem\n"},
    )
    assert added.status_code == 303
    shown = consultant_browser.get(added.headers["location"]).text
    assert "3 respondents were added" in shown
    links = re.findall(r">(https://testserver/r/[^<]+)</textarea>", shown)
    assert len(links) == 3
    invitations = session.exec(select(Invitation).order_by(Invitation.label)).all()
    assert [(i.label, i.department) for i in invitations] == [
        ("Anna Berg", "sales"),
        ("Ben", "service"),
        ("Cem", None),
    ]
    download = consultant_browser.get(f"{page}/links.csv")
    assert download.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(download.text.lstrip("\ufeff"))))
    assert [(r["label"], r["status"]) for r in rows] == [
        ("Anna Berg", "not_started"),
        ("Ben", "not_started"),
        ("Cem", "not_started"),
    ]
    assert sorted(r["link"] for r in rows) == sorted(links)
    respondent = TestClient(consultant_browser.app)
    token = rows[0]["link"].rsplit("/", 1)[1]
    assert respondent.get(f"/api/v1/respond/{token}").status_code == 200


def test_a_list_with_problems_adds_no_one_and_names_each_line(
    consultant_browser: TestClient, session: Session
) -> None:
    assessment = make_assessment(consultant_browser, make_organisation(consultant_browser))
    page = f"/assessments/{assessment}"
    text = "Anna, sales\n, sales\nAnna, service\nDora, Buchhaltung\n" + "x" * 201 + "\n"
    refused = post_form(consultant_browser, page, f"{page}/respondents", {"respondents": text})
    assert refused.status_code == 422
    for words in (
        "Line 2:",
        "The name is empty",
        "Line 3:",
        "is in the list twice",
        "There is no department “Buchhaltung”",
        "Line 5:",
    ):
        assert words in refused.text
    assert "Anna, sales" in refused.text  # what was typed stays in the field
    assert session.exec(select(Invitation)).all() == []


def test_a_csv_upload_with_header_and_semicolons_adds_respondents(
    consultant_browser: TestClient, session: Session
) -> None:
    assessment = make_assessment(consultant_browser, make_organisation(consultant_browser))
    page = f"/assessments/{assessment}"
    upload = "label;department\r\nJürgen;Marketing\r\n=cmd|' /C calc'!A0;\r\n".encode("cp1252")
    added = post_form(
        consultant_browser,
        page,
        f"{page}/respondents",
        {"respondents": ""},
        files={"file": ("team.csv", upload, "text/csv")},
    )
    assert added.status_code == 303, added.text
    labels = sorted(i.label for i in session.exec(select(Invitation)).all())
    assert labels == ["=cmd|' /C calc'!A0", "Jürgen"]
    rows = list(csv.reader(io.StringIO(consultant_browser.get(f"{page}/links.csv").text)))
    assert rows[1][:3] == ["'=cmd|' /C calc'!A0", "", "not_started"]


def test_a_new_link_replaces_the_old_one_and_keeps_the_answers(
    consultant_browser: TestClient, session: Session
) -> None:
    assessment = make_assessment(consultant_browser, make_organisation(consultant_browser))
    page = f"/assessments/{assessment}"
    post_form(consultant_browser, page, f"{page}/respondents", {"respondents": "Anna"})
    [old] = re.findall(r"/r/([\w-]+)", consultant_browser.get(page).text)
    invitation = session.exec(select(Invitation)).one()
    renewed = post_form(
        consultant_browser, page, f"{page}/respondents/{invitation.id}/new-link", {}
    )
    assert renewed.status_code == 303
    [new] = re.findall(r"/r/([\w-]+)", consultant_browser.get(page).text)
    assert new != old
    respondent = TestClient(consultant_browser.app)
    assert respondent.get(f"/api/v1/respond/{old}").status_code == 404
    assert respondent.get(f"/api/v1/respond/{new}").status_code == 200


def test_opening_and_closing_keeps_a_snapshot_and_closing_needs_a_tick(
    consultant_browser: TestClient, session: Session
) -> None:
    assessment = make_assessment(consultant_browser, make_organisation(consultant_browser))
    page = f"/assessments/{assessment}"
    post_form(consultant_browser, page, f"{page}/open", {})
    unconfirmed = post_form(consultant_browser, page, f"{page}/close", {})
    assert unconfirmed.headers["location"].endswith("done=confirm_close")
    stored = session.get(Assessment, uuid.UUID(assessment))
    session.refresh(stored)
    assert stored.status == AssessmentStatus.open
    post_form(consultant_browser, page, f"{page}/close", {"confirm": "yes"})
    session.refresh(stored)
    assert stored.status == AssessmentStatus.closed
    assert session.exec(select(ScoreSnapshot)).one().assessment_id == stored.id
    assert "The assessment is closed" in consultant_browser.get(f"{page}?done=closed").text
    late = consultant_browser.post(
        f"{page}/respondents",
        data={"respondents": "Late", "form_token": form_token(consultant_browser.get(page).text)},
    )
    assert late.status_code == 409
    assert "no one can be added" in late.text
    assert session.exec(select(Invitation)).all() == []


def test_every_form_without_its_token_is_refused_and_changes_nothing(
    consultant_browser: TestClient, session: Session
) -> None:
    organisation = make_organisation(consultant_browser)
    assessment = make_assessment(consultant_browser, organisation)
    page = f"/assessments/{assessment}"
    for action, data in (
        ("/organisations", {"name": "Other"}),
        (f"/organisations/{organisation}/assessments", {"questionnaire": "cx-maturity@1"}),
        (f"{page}/respondents", {"respondents": "Eve"}),
        (f"{page}/open", {}),
        (f"{page}/close", {"confirm": "yes"}),
        ("/sign-out", {}),
    ):
        for token in (None, "0" * 64):
            sent = data if token is None else {**data, "form_token": token}
            refused = consultant_browser.post(action, data=sent)
            assert refused.status_code == 403, action
            assert "This form could not be sent" in refused.text
    assert len(session.exec(select(Organisation)).all()) == 1
    assert session.exec(select(Invitation)).all() == []
    assert session.get(Assessment, uuid.UUID(assessment)).status == AssessmentStatus.draft
    assert consultant_browser.get("/dashboard").status_code == 200  # still signed in


def test_another_tenants_assessment_is_not_found_and_members_only_look(
    app: FastAPI, consultant_browser: TestClient, session: Session
) -> None:
    assessment = make_assessment(consultant_browser, make_organisation(consultant_browser))
    with_password(session, "stranger@example.org")
    stranger = sign_in(browser(app), "stranger@example.org")
    for path in (f"/assessments/{assessment}", f"/assessments/{assessment}/links.csv"):
        assert stranger.get(path).status_code == 404
    missing = stranger.get(f"/assessments/{uuid.uuid4()}")
    assert missing.status_code == 404
    assert "belongs to an organisation you do not serve" in missing.text


def test_invalid_fields_are_shown_next_to_them_and_nothing_is_made(
    consultant_browser: TestClient, session: Session
) -> None:
    organisation = make_organisation(consultant_browser)
    page = f"/organisations/{organisation}"
    refused = post_form(
        consultant_browser,
        page,
        f"{page}/assessments",
        {"questionnaire": "nope@1", "name": "", "closes_on": "31.12.2026", "kind": "assessment"},
    )
    assert refused.status_code == 422
    assert 'aria-invalid="true"' in refused.text
    for words in ("Please choose one.", "Please fill this in.", "Enter a date as year-month-day"):
        assert words in refused.text
    assert session.exec(select(Assessment)).all() == []


def test_text_from_users_is_shown_as_text(consultant_browser: TestClient) -> None:
    script = "<script>alert(1)</script>"
    organisation = make_organisation(consultant_browser, name=script)
    assessment = make_assessment(consultant_browser, organisation, name=f"<b>{script}</b>")
    page = f"/assessments/{assessment}"
    post_form(consultant_browser, page, f"{page}/respondents", {"respondents": script})
    for path in ("/dashboard", f"/organisations/{organisation}", page):
        text = consultant_browser.get(path).text
        assert "<script>alert" not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_the_pages_speak_german_after_switching(consultant_browser: TestClient) -> None:
    german = consultant_browser.get("/dashboard?lang=de")
    assert '<html lang="de">' in german.text
    assert "Abmelden" in german.text
    again = consultant_browser.get("/dashboard")
    assert '<html lang="de">' in again.text


def test_the_dashboard_shows_organisations_a_page_at_a_time_and_finds_them_by_name(
    consultant_browser: TestClient,
) -> None:
    for number in range(23):
        make_organisation(consultant_browser, name=f"Firma {number:02d}")
    make_organisation(consultant_browser, name="100% Kunde_n")
    first = consultant_browser.get("/dashboard").text
    assert "24 organisations" in first
    assert "page 1 of 2" in first
    assert "Firma 00" in first
    assert "Firma 20" not in first
    second = consultant_browser.get("/dashboard?page=2").text
    assert "Firma 20" in second
    assert "Firma 00" not in second
    found = consultant_browser.get("/dashboard?q=0%25 K").text
    assert "100% Kunde_n" in found
    assert "Firma" not in found.split("<h1>")[1]
    assert "No organisation's name holds" in consultant_browser.get("/dashboard?q=_x").text


def test_many_respondents_are_listed_in_pages_of_200(consultant_browser: TestClient) -> None:
    assessment = make_assessment(consultant_browser, make_organisation(consultant_browser))
    page = f"/assessments/{assessment}"
    names = "\n".join(f"R{n:03}" for n in range(201))
    added = post_form(consultant_browser, page, f"{page}/respondents", {"respondents": names})
    assert added.status_code == 303
    first = consultant_browser.get(page).text
    assert first.count('<th scope="row">') == 200
    assert f'href="{page}?page=2" rel="next"' in first
    second = consultant_browser.get(f"{page}?page=2").text
    assert re.findall(r'<th scope="row">([^<]+)</th>', second) == ["R200"]
    assert f'href="{page}?page=1" rel="prev"' in second
    assert consultant_browser.get(f"{page}?page=99").text.count('<th scope="row">') == 1
