"""The results page says what the answers mean, in German and English: every answer by its
label, never a raw value; statements in their reading; questions as facts; the first
step of each chosen recommendation."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.conftest import Caller
from tests.web.assessments import open_assessment_of
from tests.web.browsing import signed_in
from tests.wording import OPTION_VALUES, raw_answers_in, visible, worded_questionnaire_data

API = "/api/v1"
# What five respondents answer (the first is the lead): yes/no, can't judge, N/A.
ANSWERS: list[dict[str, Any]] = [
    {"s-talk": 4, "s-myth": 1, "s-data": "na", "q-owner": OPTION_VALUES[0], "q-role": True},
    {"s-talk": 5, "s-myth": 2, "s-data": "dk", "q-role": False},
    {"s-talk": 4, "s-myth": 1, "s-data": 3, "q-role": True},
    {"s-talk": 3, "s-myth": 2, "s-data": 2, "q-role": "dk"},
    {"s-talk": 4, "s-myth": 1, "s-data": 4, "q-role": "na"},
]


@pytest.fixture
def assessment(client: TestClient, consultant: Caller, admin: Caller) -> str:
    """An assessment of the worded questionnaire with five submitted responses."""
    source = yaml.safe_dump(worded_questionnaire_data()).encode()
    made = open_assessment_of(client, consultant, admin, source, "Worte")
    url = f"{API}/assessments/{made['id']}"
    labels = [{"label": f"R{n}", "lead": n == 0} for n in range(len(ANSWERS))]
    invited = client.post(
        f"{url}/invitations", json={"invitations": labels}, headers=consultant.headers
    ).json()
    for invitation, answers in zip(invited, ANSWERS, strict=True):
        sent = client.post(
            f"{API}/respond/{invitation['token']}/submit",
            json={"answers": answers, "profile": {"department": "sales"}},
        )
        assert sent.status_code == 200, sent.text
    return str(made["id"])


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_results_page_shows_no_raw_answer_value(
    app: FastAPI, session: Session, consultant: Caller, assessment: str, language: str
) -> None:
    page = signed_in(app, session, consultant).get(
        f"/assessments/{assessment}/results?lang={language}"
    )
    assert page.status_code == 200
    assert raw_answers_in(visible(page.text), language) == []


def test_the_german_results_page_puts_the_answers_in_words(
    app: FastAPI, session: Session, consultant: Caller, assessment: str
) -> None:
    page = signed_in(app, session, consultant).get(f"/assessments/{assessment}/results?lang=de")
    text = visible(page.text)
    assert "CX-Verantwortung: Bei einer CX-Leitung" in text
    assert "Gibt es eine CX-Rolle? Ja 2 · Nein 1 · Kann ich nicht beurteilen 1" in text
    assert "Ja: 2 · Nein: 1 · Kann ich nicht beurteilen: 1 · Nicht anwendbar: 1" in text
    assert "Abgelehnt: „Kundenorientierung ist vor allem Software.“ (90,0)" in text
    assert "Erster Schritt: Laden Sie am Montag drei Kunden ein." in text


def test_the_english_results_page_puts_the_answers_in_words(
    app: FastAPI, session: Session, consultant: Caller, assessment: str
) -> None:
    page = signed_in(app, session, consultant).get(f"/assessments/{assessment}/results?lang=en")
    text = visible(page.text)
    assert "CX responsibility: With a CX lead" in text
    assert "Yes: 2 · No: 1 · Can't judge: 1 · Not applicable: 1" in text
    assert "Rejected: “Customer orientation is mainly software.” (90.0)" in text
    assert "First step: Invite three customers on Monday." in text


def test_the_response_rate_is_a_percentage_as_each_language_writes_it(
    app: FastAPI,
    client: TestClient,
    session: Session,
    consultant: Caller,
    assessment: str,
) -> None:
    client.post(
        f"{API}/assessments/{assessment}/invitations",
        json={"invitations": [{"label": "Late"}]},
        headers=consultant.headers,
    )
    browser = signed_in(app, session, consultant)
    german = visible(browser.get(f"/assessments/{assessment}?lang=de").text)
    english = visible(browser.get(f"/assessments/{assessment}?lang=en").text)
    assert "5 von 6 abgeschickt (83 %)" in german
    assert "5 of 6 submitted (83%)" in english
