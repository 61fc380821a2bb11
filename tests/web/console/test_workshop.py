"""The consensus workshop's page: the agenda in order with its bars, answers and questions
for the discussion, a link to record each consensus, why there is nothing to discuss, and
only for those who run the assessment."""

from __future__ import annotations

import html
import re

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.conftest import Caller, add_member, make_caller
from tests.web.assessments import API, DEMO, assessment_in, new_organisation
from tests.web.browsing import signed_in


def test_the_page_lists_the_agenda_of_the_api_with_bars_answers_and_questions(
    app: FastAPI, client: TestClient, session: Session, consultant: Caller, published: object
) -> None:
    assessment = assessment_in(client, consultant, new_organisation(client, consultant))
    expected = client.get(
        f"{API}/assessments/{assessment}/workshop?lang=de", headers=consultant.headers
    ).json()
    page = signed_in(app, session, consultant).get(f"/assessments/{assessment}/workshop?lang=de")
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert "Agenda für einen Konsens-Workshop" in text
    headings = re.findall(r'<h2 id="item-\d+">([^<]+)</h2>', text)
    assert headings == [item["text"] for item in expected["items"]]
    first = expected["items"][0]
    assert first["question"] in text
    assert text.count("<meter") == sum(len(item["groups"]) for item in expected["items"])
    for answer in first["groups"][0]["distribution"]:
        assert f'<th scope="col" class="num">{answer["label"]}</th>' in text
    link = f"/assessments/{assessment}/workshop/consensus?item={first['id']}"
    assert f'href="{link}"' in page.text
    assert "Konsens festhalten" in text


def test_the_assessment_and_results_pages_link_the_workshop_for_those_who_run_it(
    app: FastAPI, client: TestClient, session: Session, consultant: Caller, published: object
) -> None:
    organisation = new_organisation(client, consultant)
    assessment = assessment_in(client, consultant, organisation)
    browsing = signed_in(app, session, consultant)
    link = f'href="/assessments/{assessment}/workshop"'
    assert link in browsing.get(f"/assessments/{assessment}").text
    assert link in browsing.get(f"/assessments/{assessment}/results").text
    member = make_caller(session, "member@example.org")
    add_member(client, organisation, consultant, member)
    as_member = signed_in(app, session, member)
    assert link not in as_member.get(f"/assessments/{assessment}").text
    assert as_member.get(f"/assessments/{assessment}/workshop").status_code == 403


def test_one_respondent_gets_a_page_that_says_why_there_is_nothing_to_discuss(
    app: FastAPI, client: TestClient, session: Session, consultant: Caller, published: object
) -> None:
    one = "\n".join(DEMO.splitlines()[:2]) + "\n"
    organisation = new_organisation(client, consultant)
    assessment = assessment_in(client, consultant, organisation, answers=one, close=False)
    page = signed_in(app, session, consultant).get(f"/assessments/{assessment}/workshop?lang=en")
    assert page.status_code == 200
    assert 'id="nothing"' in page.text
    assert "Only one respondent has answered so far" in html.unescape(page.text)
    assert 'id="agenda"' not in page.text
    assert "too few to show" in page.text


def test_a_study_has_no_workshop_page(
    app: FastAPI, client: TestClient, session: Session, consultant: Caller, published: object
) -> None:
    study = client.post(
        f"{API}/organisations/{new_organisation(client, consultant)}/assessments",
        json={"questionnaire_id": "service-check", "name": "Study", "kind": "study"},
        headers=consultant.headers,
    ).json()
    page = signed_in(app, session, consultant).get(f"/assessments/{study['id']}/workshop?lang=de")
    assert page.status_code == 409
    assert "Nicht in einer Studie" in page.text
