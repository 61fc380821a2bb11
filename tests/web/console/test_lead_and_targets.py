"""The assessment's page: target stages per dimension, and who is the lead (marked in the
list of respondents or by a column of an uploaded list)."""

from __future__ import annotations

import uuid

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from assess.persistence.models.assessments import Assessment, Invitation
from tests.web.browsing import browser, post_form, sign_in, with_password
from tests.web.console.consulting import make_assessment, make_organisation


@pytest.fixture
def consultant_browser(app: FastAPI, session: Session, published: object) -> TestClient:
    with_password(session, "consultant@example.org")
    return sign_in(browser(app), "consultant@example.org")


@pytest.fixture
def page(consultant_browser: TestClient) -> str:
    """The page of a draft assessment of the default questionnaire."""
    assessment = make_assessment(consultant_browser, make_organisation(consultant_browser))
    return f"/assessments/{assessment}"


def stored(session: Session, page: str) -> Assessment:
    session.expire_all()
    found = session.get(Assessment, uuid.UUID(page.rsplit("/", 1)[1]))
    assert found is not None
    return found


def test_targets_chosen_in_the_form_are_kept_and_shown_selected(
    consultant_browser: TestClient, session: Session, page: str
) -> None:
    shown = consultant_browser.get(page).text
    assert 'name="target-strategy"' in shown
    assert "Next stage (default)" in shown
    chosen = {"target-strategy": "integrated", "target-culture": ""}
    saved = post_form(consultant_browser, page, f"{page}/targets", chosen)
    assert saved.status_code == 303
    assert stored(session, page).targets == {"strategy": "integrated"}
    again = consultant_browser.get(saved.headers["location"]).text
    assert "The target stages were saved" in again
    assert '<option value="integrated" selected>' in again


def test_a_stage_the_questionnaire_lacks_is_refused_in_words_in_both_languages(
    consultant_browser: TestClient, session: Session, page: str
) -> None:
    bad = post_form(consultant_browser, page, f"{page}/targets", {"target-strategy": "heaven"})
    assert bad.status_code == 422
    assert "There is no stage “heaven” in this questionnaire" in bad.text
    assert stored(session, page).targets is None
    consultant_browser.get(f"{page}?lang=de")
    german = post_form(consultant_browser, page, f"{page}/targets", {"target-strategy": "heaven"})
    assert "Dieser Fragebogen hat keine Stufe „heaven“" in german.text
    assert "Zielstufen" in consultant_browser.get(page).text


def test_the_lead_is_marked_in_the_list_and_a_second_is_refused(
    consultant_browser: TestClient, session: Session, page: str
) -> None:
    post_form(consultant_browser, page, f"{page}/respondents", {"respondents": "Anna\nBen\n"})
    anna, ben = session.exec(select(Invitation).order_by(Invitation.label)).all()
    marked = post_form(
        consultant_browser, page, f"{page}/respondents/{anna.id}/lead", {"lead": "yes"}
    )
    assert marked.status_code == 303
    shown = consultant_browser.get(marked.headers["location"]).text
    assert '<strong class="lead-mark">Lead</strong>' in shown
    assert "Remove as lead" in shown
    second = post_form(
        consultant_browser, page, f"{page}/respondents/{ben.id}/lead", {"lead": "yes"}
    )
    assert second.status_code == 422
    assert "Anna is already the lead; remove that first." in second.text
    post_form(consultant_browser, page, f"{page}/respondents/{anna.id}/lead", {"lead": "no"})
    post_form(consultant_browser, page, f"{page}/respondents/{ben.id}/lead", {"lead": "yes"})
    session.expire_all()
    leads = session.exec(select(Invitation.label).where(Invitation.lead)).all()
    assert leads == ["Ben"]


def test_an_uploaded_list_marks_the_lead_and_two_marked_lines_are_named(
    consultant_browser: TestClient, session: Session, page: str
) -> None:
    two = "label;lead\nAnna;ja\nBen;\nCem;yes\n"
    refused = post_form(consultant_browser, page, f"{page}/respondents", {"respondents": two})
    assert refused.status_code == 422
    assert "Lines 2, 4 are each marked as the lead" in refused.text
    assert session.exec(select(Invitation)).all() == []
    one = "label,lead\nAnna,nein\nBen,true\n"
    files = {"file": ("list.csv", one.encode(), "text/csv")}
    added = post_form(consultant_browser, page, f"{page}/respondents", {}, files=files)
    assert added.status_code == 303
    invited = session.exec(select(Invitation.label, Invitation.lead).order_by(Invitation.label))
    assert list(invited) == [("Anna", False), ("Ben", True)]
    another = post_form(
        consultant_browser, page, f"{page}/respondents", {"respondents": "label,lead\nCem,yes\n"}
    )
    assert another.status_code == 422
    assert "Ben is already the lead; remove that first." in another.text
