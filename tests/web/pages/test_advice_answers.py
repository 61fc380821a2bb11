"""The respondent's pages for a questionnaire that gives advice: each level asks its
importance, "can't judge" is offered where an item allows it, and the items asked of the
lead are shown to the lead alone (advice-check questionnaire, JavaScript off)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from assess.persistence.models.assessments import Invitation
from assess.persistence.models.responses import Response as StoredResponse
from tests.conftest import Caller
from tests.web.answering import form_token, new_link, open_assessment, post

ADVICE_CHECK = Path(__file__).parents[2] / "questionnaires" / "advice-check.yaml"


@pytest.fixture
def assessment(client: TestClient, admin: Caller, consultant: Caller) -> dict:
    """An open assessment of the advice-check questionnaire."""
    published = client.post(
        "/api/v1/questionnaires",
        content=ADVICE_CHECK.read_bytes(),
        headers={**admin.headers, "Content-Type": "application/yaml"},
    )
    assert published.status_code == 201, published.text
    return open_assessment(client, consultant, "advice-check", "Advice 2026")


@pytest.fixture
def token(client: TestClient, consultant: Caller, assessment: dict) -> str:
    """A respondent who is not the lead."""
    return new_link(client, consultant, assessment, "Anna")


@pytest.fixture
def lead_token(client: TestClient, consultant: Caller, assessment: dict, session: Session) -> str:
    """The lead respondent of the assessment."""
    made = new_link(client, consultant, assessment, "Lena")
    invitation = session.exec(select(Invitation).where(Invitation.label == "Lena")).one()
    invitation.lead = True
    session.add(invitation)
    session.commit()
    return made


def answers(session: Session) -> dict | None:
    """The answers saved so far; None before the first save."""
    session.expire_all()
    response = session.exec(select(StoredResponse)).one_or_none()
    return None if response is None else response.answers


def group(page: str, name: str) -> str:
    """The markup of one radio group of a page."""
    found = re.search(rf'<fieldset[^>]*id="q-{re.escape(name)}".*?</fieldset>', page, re.S)
    assert found, name
    return found.group(0)


def test_each_level_asks_its_importance_once_saved_under_its_key_and_shown_again(
    client: TestClient, token: str, session: Session
) -> None:
    page = client.get(f"/r/{token}/level/1?lang=de").text
    importance = group(page, "importance:strategy")
    assert page.count('name="importance:strategy"') == 5
    assert "<legend>Wie wichtig ist diese Ebene für Ihr Unternehmen" in importance
    assert "entscheidend" in importance
    assert "unwichtig" in importance
    assert "importance:orchestration" not in page  # another level's on its own page

    sent = post(client, token, "level/1", {"strategy-purpose": "4", "importance:strategy": "5"})
    assert sent.status_code == 303
    assert answers(session) == {"strategy-purpose": 4.0, "importance:strategy": 5.0}
    again = group(client.get(f"/r/{token}/level/1?lang=en").text, "importance:strategy")
    assert 'value="5" checked' in again
    assert "How important is this level for your organisation" in again

    review = client.get(f"/r/{token}/review?lang=en").text
    assert "<dd>5 – critical</dd>" in review


def test_an_importance_outside_its_scale_is_refused_and_nothing_else_is_lost(
    client: TestClient, token: str, session: Session
) -> None:
    post(client, token, "level/2", {"importance:orchestration": "2"})
    sent = post(client, token, "level/2", {"importance:orchestration": "9", "orch-data": "3"})
    assert sent.status_code == 422
    assert 'href="#f-importance:orchestration"' in sent.text
    assert answers(session) == {"importance:orchestration": 2.0, "orch-data": 3.0}


def test_cant_judge_is_offered_only_where_the_item_allows_it_and_saved_as_dk(
    client: TestClient, token: str, session: Session
) -> None:
    strategy = client.get(f"/r/{token}/level/1?lang=de").text
    purpose = group(strategy, "strategy-purpose")
    assert 'value="dk"' in purpose
    assert "Kann ich nicht beurteilen" in purpose
    assert 'value="na"' in purpose
    assert "Nicht anwendbar" in purpose
    culture = client.get(f"/r/{token}/level/3?lang=de").text
    assert 'value="dk"' not in group(culture, "culture-stories")  # no can't judge, no N/A
    assert 'value="na"' not in group(culture, "culture-stories")
    assert 'value="dk"' in group(culture, "culture-reward")

    post(client, token, "level/1", {"strategy-purpose": "dk", "strategy-board-kpis": "na"})
    assert answers(session) == {"strategy-purpose": "dk", "strategy-board-kpis": "na"}
    again = group(client.get(f"/r/{token}/level/1").text, "strategy-purpose")
    assert re.search(r'value="dk" checked', again)
    review = client.get(f"/r/{token}/review?lang=de").text
    assert "<dd>Kann ich nicht beurteilen</dd>" in review
    assert "<dd>Nicht anwendbar</dd>" in review
    assert "<dd>Can&#39;t judge</dd>" in client.get(f"/r/{token}/review?lang=en").text

    refused = post(client, token, "level/3", {"culture-stories": "dk", "culture-reward": "dk"})
    assert refused.status_code == 422
    assert 'id="e-culture-stories"' in refused.text
    assert answers(session) == {
        "strategy-purpose": "dk", "strategy-board-kpis": "na", "culture-reward": "dk",
    }  # fmt: skip


def test_another_respondent_does_not_see_the_leads_items_nor_is_asked_for_them(
    client: TestClient, token: str
) -> None:
    assert "strategy-cx-lead" not in client.get(f"/r/{token}/level/1").text
    assert "orch-owner" not in client.get(f"/r/{token}/level/2").text
    welcome = client.get(f"/r/{token}/welcome?lang=en").text
    assert "6 statements about your organisation" in welcome  # 8 less the lead's 2
    assert "how important it is for your organisation" in welcome
    assert "choose “Can't judge”" in welcome
    pages = {
        "profile": {"department": "sales"},
        "level/1": {"strategy-purpose": "3", "strategy-board-kpis": "4",
                    "importance:strategy": "3"},
        "level/2": {"orch-journeys": "2", "orch-data": "4", "importance:orchestration": "4"},
        "level/3": {"culture-stories": "5", "culture-reward": "dk", "importance:culture": "2"},
    }  # fmt: skip
    for page, data in pages.items():
        assert post(client, token, page, data).status_code == 303
    resumed = client.get(f"/r/{token}", follow_redirects=False)
    assert resumed.headers["location"].startswith(f"/r/{token}/review")
    review = client.get(f"/r/{token}/review?lang=en").text
    assert "You have answered every question." in review
    assert "CX manager" not in review


def test_a_crafted_answer_to_a_leads_item_is_refused_and_nothing_of_it_is_saved(
    client: TestClient, token: str, session: Session
) -> None:
    post(client, token, "level/1", {"strategy-purpose": "2"})
    crafted = {"strategy-purpose": "5", "strategy-cx-lead": "yes", "importance:strategy": "4"}
    for lang, words in (
        ("en", "only the lead respondent answers this question"),
        ("de", "Diese Frage beantwortet für Ihr Unternehmen nur die Hauptansprechperson."),
    ):
        refused = post(client, token, "level/1", crafted, lang=lang)
        assert refused.status_code == 422
        assert 'role="alert"' in refused.text
        assert words in refused.text
        assert 'value="2" checked' in refused.text  # the page as saved before
    assert answers(session) == {"strategy-purpose": 2.0}


def test_the_lead_sees_the_leads_items_marked_as_theirs_and_saves_them(
    client: TestClient, lead_token: str, session: Session
) -> None:
    german = client.get(f"/r/{lead_token}/level/1?lang=de").text
    item = group(german, "strategy-cx-lead")
    assert "Diese Frage beantworten nur Sie für Ihr Unternehmen." in item
    assert 'aria-describedby="l-strategy-cx-lead"' in item
    assert "beantworten nur Sie" not in group(german, "strategy-purpose")
    english = client.get(f"/r/{lead_token}/level/2?lang=en").text
    assert "Only you answer this for your organisation." in group(english, "orch-owner")
    assert "8 statements" in client.get(f"/r/{lead_token}/welcome?lang=en").text

    post(client, lead_token, "level/1", {"strategy-cx-lead": "yes"})
    post(client, lead_token, "level/2", {"orch-owner": "cx-lead"})
    assert answers(session) == {"strategy-cx-lead": True, "orch-owner": "cx-lead"}
    review = client.get(f"/r/{lead_token}/review?lang=en")
    assert "<dd>A CX lead</dd>" in review.text
    assert form_token(review)
