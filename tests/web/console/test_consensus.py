"""The workshop's consensus page: choosing an item offers its answers, a good answer is
recorded (post/redirect/get) and listed by its label, a bad one is named beside its
field with what was typed kept and nothing saved; removing one; members refused."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from assess.persistence.models.assessments import ConsensusAnswer
from tests.conftest import Caller, add_member, make_caller
from tests.web.browsing import post_form, signed_in
from tests.web.workshop import workshop_assessment


@pytest.fixture
def page(client: TestClient, consultant: Caller, admin: Caller) -> str:
    made = workshop_assessment(client, consultant, admin)
    return f"/assessments/{made['id']}/workshop/consensus"


@pytest.fixture
def browser(app: FastAPI, session: Session, consultant: Caller) -> TestClient:
    return signed_in(app, session, consultant)


def kept(session: Session) -> list[tuple[str, object, str]]:
    session.expire_all()
    return [(c.item_id, c.answer, c.rationale) for c in session.exec(select(ConsensusAnswer))]


def test_choosing_an_item_offers_its_answers_and_leaves_out_the_lead_facts(
    browser: TestClient, page: str
) -> None:
    first = browser.get(page)
    assert first.status_code == 200
    assert '<option value="s1">' in first.text
    assert 'value="f1"' not in first.text  # a fact asked of the lead: nothing to settle
    assert 'name="answer"' not in first.text
    chosen = browser.get(f"{page}?item=b1", headers={"Accept-Language": "de"}).text
    assert 'type="radio" name="answer" value="yes"> Ja' in chosen
    assert 'type="radio" name="answer" value="no"> Nein' in chosen


def test_a_consensus_answer_is_recorded_and_listed_by_its_label(
    browser: TestClient, session: Session, page: str
) -> None:
    data = {"item": "c1", "answer": "project", "rationale": "One project owns it."}
    saved = post_form(browser, f"{page}?item=c1", page, data)
    assert saved.status_code == 303
    assert saved.headers["location"].endswith("/workshop/consensus?done=recorded")
    assert kept(session) == [("c1", "project", "One project owns it.")]
    shown = browser.get(saved.headers["location"]).text
    assert "The consensus answer is recorded" in shown
    assert "<td>project</td>" in shown
    assert "One project owns it." in shown
    again = post_form(browser, f"{page}?item=c1", page, {**data, "answer": "board"})
    assert again.headers["location"].endswith("done=replaced")
    assert kept(session) == [("c1", "board", "One project owns it.")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"item": "s1", "answer": "9", "rationale": "Kept."}, "Choose one of the answers"),
        ({"item": "s1", "answer": "", "rationale": "Kept."}, "Choose one of the answers"),
        ({"item": "s1", "answer": "na", "rationale": "Kept."}, "Choose one of the answers"),
        ({"item": "s1", "answer": "4", "rationale": "  "}, "Say in a sentence why"),
        ({"item": "zz", "answer": "4", "rationale": "Kept."}, "Choose one of the statements"),
        ({"item": "f1", "answer": "yes", "rationale": "Kept."}, "fact asked of the lead"),
    ],
)
def test_a_bad_answer_is_named_beside_its_field_and_nothing_is_saved(
    browser: TestClient, session: Session, page: str, data: dict, message: str
) -> None:
    refused = post_form(browser, page, page, data)
    assert refused.status_code == 422
    assert message in refused.text
    assert "Nothing was recorded" in refused.text
    if data["rationale"].strip():
        assert "Kept." in refused.text
    assert kept(session) == []


def test_the_typed_answer_stays_chosen_when_the_rationale_is_missing(
    browser: TestClient, page: str
) -> None:
    refused = post_form(browser, page, page, {"item": "s1", "answer": "4", "rationale": ""})
    assert 'name="answer" value="4" checked' in refused.text


def test_removing_a_consensus_answer(browser: TestClient, session: Session, page: str) -> None:
    post_form(browser, page, page, {"item": "s1", "answer": "4", "rationale": "Agreed."})
    removed = post_form(browser, page, f"{page}/s1/remove", {})
    assert removed.status_code == 303
    assert removed.headers["location"].endswith("done=removed")
    assert kept(session) == []


def test_a_member_may_not_record(
    app: FastAPI, client: TestClient, session: Session, consultant: Caller, page: str
) -> None:
    member = make_caller(session, "member@example.org")
    organisation = client.get(
        f"/api/v1/assessments/{page.split('/')[2]}", headers=consultant.headers
    ).json()["organisation_id"]
    add_member(client, organisation, consultant, member)
    as_member = signed_in(app, session, member)
    assert as_member.get(page).status_code == 403
    assert kept(session) == []


def test_the_assessment_page_links_to_the_consensus_answers(browser: TestClient, page: str) -> None:
    assessment = page.removesuffix("/workshop/consensus")
    assert f'href="{page}"' in browser.get(assessment).text


def test_the_results_page_switches_to_after_the_workshop_once_there_are_consensus_answers(
    browser: TestClient, page: str
) -> None:
    results = page.replace("/workshop/consensus", "/results")
    assert "After the workshop" not in browser.get(results).text
    post_form(browser, page, page, {"item": "s1", "answer": "4", "rationale": "Agreed."})
    answered = browser.get(results).text
    assert '<a href="?view=workshop">After the workshop</a>' in answered
    after = browser.get(f"{results}?view=workshop").text
    assert '<strong aria-current="page">After the workshop</strong>' in after
    # d1 as answered: 50.0; after s1 is agreed at 4 for all: 62.5.
    assert '<span class="value">50.0</span>' not in after
    assert "62.5" in after
    assert "62.5" not in answered
