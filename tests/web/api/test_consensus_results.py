"""Results after the workshop: each consensus answer counts as every respondent's answer
to its item, for those who run the assessment and for members who see its release; the
figures as answered stay as they were, and so does a closed assessment's snapshot."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from assess.persistence.models.assessments import Assessment
from assess.persistence.models.responses import ScoreSnapshot
from assess.results.reports import report_facts
from tests.conftest import Caller, add_member, make_caller
from tests.web.assessments import finished, words_of
from tests.web.workshop import API, put_consensus, workshop_assessment


@pytest.fixture
def assessment(client: TestClient, consultant: Caller, admin: Caller) -> dict:
    """The workshop assessment with two consensus answers: s1 agreed at 4, b1 yes."""
    made = workshop_assessment(client, consultant, admin)
    put_consensus(client, consultant, made, "s1", 4, "Both departments settled on 4.")
    put_consensus(client, consultant, made, "b1", True, "Service had not heard of it.")
    return made


def results(client: TestClient, caller: Caller, assessment: dict, **query: str) -> dict:
    found = client.get(
        f"{API}/assessments/{assessment['id']}/results", params=query, headers=caller.headers
    )
    assert found.status_code == 200, found.text
    return dict(found.json())


def test_after_the_workshop_the_agreed_answers_count_for_everyone(
    client: TestClient, consultant: Caller, assessment: dict
) -> None:
    after = results(client, consultant, assessment, view="workshop")
    assert after["view"] == "workshop"
    assert after["consensus"] == [
        {"item": "s1", "answer": 4, "rationale": "Both departments settled on 4."},
        {"item": "b1", "answer": True, "rationale": "Service had not heard of it."},
    ]
    # s1 scores 75 for all four, s2 50: every respondent (75 + 50) / 2 on d1.
    assert after["dimensions"]["d1"]["score"] == 62.5
    assert after["dimensions"]["d1"]["sd"] == 0.0
    assert after["items"]["s1"] == {"score": 75.0, "n": 1, "dont_know": 0}
    # d2: sales (100 + 100 + 100) / 3, service (0 + 100 + 100) / 3 with c1 as answered.
    assert after["dimensions"]["d2"]["score"] == pytest.approx((100 + 200 / 3) / 2)


def test_as_answered_the_figures_are_those_given(
    client: TestClient, consultant: Caller, assessment: dict
) -> None:
    answered = results(client, consultant, assessment)
    assert answered == results(client, consultant, assessment, view="answered")
    assert answered["view"] == "answered"
    assert "consensus" not in answered
    # s1: sales 5 (100), service 1 (0); s2 50: 75 in sales, 25 in service.
    assert answered["dimensions"]["d1"]["score"] == 50.0
    assert answered["items"]["s1"] == {"score": 50.0, "n": 4, "dont_know": 0}
    assert answered["dimensions"]["d2"]["score"] == pytest.approx((100 + 100 / 3) / 2)


def test_a_member_sees_the_release_after_the_workshop_too(
    client: TestClient, consultant: Caller, session: Session, assessment: dict
) -> None:
    member = make_caller(session, "member@example.org")
    add_member(client, assessment["organisation_id"], consultant, member)
    answered = results(client, member, assessment)
    after = results(client, member, assessment, view="workshop")
    assert answered["release"]["respondents"] == after["release"]["respondents"] == 4
    assert answered["dimensions"]["d1"]["score"] == 50.0
    assert after["dimensions"]["d1"]["score"] == 62.5
    assert [c["item"] for c in after["consensus"]] == ["s1", "b1"]
    # one agreed answer is the organisation's, not one person's: it stays in the release
    assert after["items"]["s1"] == {"score": 75.0, "n": 1, "dont_know": 0}


def test_a_closed_assessments_kept_scores_stay_as_answered(
    client: TestClient, consultant: Caller, admin: Caller, session: Session
) -> None:
    made = workshop_assessment(client, consultant, admin)
    client.post(f"{API}/assessments/{made['id']}/close", headers=consultant.headers)
    put_consensus(client, consultant, made, "s1", 4, "Settled after closing.")
    assert results(client, consultant, made)["dimensions"]["d1"]["score"] == 50.0
    assert results(client, consultant, made, view="workshop")["dimensions"]["d1"]["score"] == 62.5
    kept = session.exec(
        select(ScoreSnapshot).where(ScoreSnapshot.assessment_id == uuid.UUID(made["id"]))
    ).one()
    assert kept.result["dimensions"]["d1"]["score"] == 50.0


def test_an_unknown_view_is_422(client: TestClient, consultant: Caller, assessment: dict) -> None:
    refused = client.get(
        f"{API}/assessments/{assessment['id']}/results",
        params={"view": "hopeful"},
        headers=consultant.headers,
    )
    assert refused.status_code == 422
    assert "view" in refused.json()["detail"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("view", "said"),
    [
        ("workshop", "After the workshop: each consensus answer counts"),
        ("answered", "As answered, without the workshop’s consensus answers"),
    ],
)
def test_a_report_says_its_view_and_after_the_workshop_lists_the_consensus_answers(
    client: TestClient, consultant: Caller, assessment: dict, view: str, said: str
) -> None:
    asked = client.post(
        f"{API}/assessments/{assessment['id']}/reports",
        json={"language": "en", "view": view},
        headers=consultant.headers,
    )
    assert asked.status_code == 202, asked.text
    assert asked.json()["view"] == view
    state = finished(client, asked.json()["status_url"], consultant.headers)
    assert state["status"] == "done", state
    words = words_of(client.get(state["download_url"], headers=consultant.headers).content)
    assert said in words
    listed = "Both departments settled on 4." in words
    assert listed is (view == "workshop")


def test_a_reports_release_after_the_workshop_keeps_the_agreed_items_score_as_results_do(
    client: TestClient, consultant: Caller, session: Session, assessment: dict
) -> None:
    made = session.get(Assessment, uuid.UUID(assessment["id"]))
    assert made is not None
    facts = report_facts(session, made, benchmark_k=5, view="workshop")
    # one agreed answer is the organisation's, not one person's (n 1): it stays
    assert facts.scores.result.items["s1"].score == 75.0
    assert facts.scores.result.items["s1"].n == 1
    answered = report_facts(session, made, benchmark_k=5)
    assert answered.scores.result.items["s1"].score == 50.0
