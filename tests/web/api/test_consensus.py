"""Consensus answers in the API: recorded (201), replaced (200), removed (204), listed;
every answer an item does not take refused with 422 naming it; members, other tenants
and studies refused; every change in the audit log."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from assess.persistence.models.assessments import ConsensusAnswer
from tests.conftest import Caller, add_member, make_caller
from tests.web.workshop import API, put_consensus, workshop_assessment


@pytest.fixture
def assessment(client: TestClient, consultant: Caller, admin: Caller) -> dict:
    return workshop_assessment(client, consultant, admin)


def listed(client: TestClient, caller: Caller, assessment: dict) -> list[dict]:
    found = client.get(f"{API}/assessments/{assessment['id']}/consensus", headers=caller.headers)
    assert found.status_code == 200, found.text
    return list(found.json())


def test_recording_is_201_replacing_200_and_the_list_shows_the_latest(
    client: TestClient, consultant: Caller, assessment: dict
) -> None:
    first = put_consensus(client, consultant, assessment, "s1", 4, "Both agreed on 4.")
    assert first.status_code == 201, first.text
    assert first.json()["answer"] == 4
    assert first.json()["recorded_by"] == consultant.user.email
    again = put_consensus(client, consultant, assessment, "s1", 3, "On reflection, 3.")
    assert again.status_code == 200, again.text
    put_consensus(client, consultant, assessment, "b1", False, "Only a plan so far.")
    put_consensus(client, consultant, assessment, "c1", "project", "One project owns it.")
    shown = listed(client, consultant, assessment)
    assert [(c["item"], c["answer"], c["rationale"]) for c in shown] == [
        ("b1", False, "Only a plan so far."),
        ("c1", "project", "One project owns it."),
        ("s1", 3, "On reflection, 3."),
    ]


def test_removing_is_204_and_removing_again_is_404(
    client: TestClient, consultant: Caller, assessment: dict
) -> None:
    put_consensus(client, consultant, assessment, "s1", 4, "Both agreed on 4.")
    url = f"{API}/assessments/{assessment['id']}/consensus/s1"
    assert client.delete(url, headers=consultant.headers).status_code == 204
    assert listed(client, consultant, assessment) == []
    again = client.delete(url, headers=consultant.headers)
    assert again.status_code == 404
    assert "s1 has no consensus answer" in again.json()["detail"]


@pytest.mark.parametrize(
    ("item", "answer", "message"),
    [
        ("s1", 7, "s1 takes a whole number from 1 to 5; got 7"),
        ("s1", 0, "s1 takes a whole number from 1 to 5; got 0"),
        ("s1", 3.5, "s1 takes a whole number from 1 to 5; got 3.5"),
        ("s1", "4", "s1 takes a whole number from 1 to 5; got '4'"),
        ("s1", True, "s1 takes a whole number from 1 to 5; got true"),
        ("s1", "dk", "got 'dk' (can't judge settles nothing)"),
        ("s2", "na", "got 'na' (not applicable settles nothing)"),
        ("c1", "everyone", "c1 takes one of: none, project, board; got 'everyone'"),
        ("b1", "yes", "b1 takes true or false; got 'yes'"),
        ("b1", 1, "b1 takes true or false; got 1"),
        ("nope", 3, "'nope' is not an item of questionnaire workshop-test version 1"),
        ("f1", True, "f1 is a fact asked of the lead respondent"),
    ],
)
def test_an_answer_the_item_does_not_take_is_422_naming_it_and_nothing_is_kept(
    client: TestClient,
    consultant: Caller,
    assessment: dict,
    item: str,
    answer: object,
    message: str,
) -> None:
    put_consensus(client, consultant, assessment, "s2", 2, "Kept as it was.")
    refused = put_consensus(client, consultant, assessment, item, answer, "Because.")
    assert refused.status_code == 422, refused.text
    assert message in refused.json()["detail"]
    assert [(c["item"], c["answer"]) for c in listed(client, consultant, assessment)] == [("s2", 2)]


def test_a_rationale_is_required(client: TestClient, consultant: Caller, assessment: dict) -> None:
    blank = put_consensus(client, consultant, assessment, "s1", 4, "   ")
    assert blank.status_code == 422
    assert "why the workshop agreed" in blank.json()["detail"]
    long = put_consensus(client, consultant, assessment, "s1", 4, "x" * 1001)
    assert long.status_code == 422
    assert listed(client, consultant, assessment) == []


def test_a_member_is_refused_and_another_tenant_sees_nothing(
    client: TestClient, consultant: Caller, session: Session, assessment: dict
) -> None:
    member = make_caller(session, "member@example.org")
    add_member(client, assessment["organisation_id"], consultant, member)
    stranger = make_caller(session, "stranger@example.org")
    assert put_consensus(client, member, assessment, "s1", 4, "Me.").status_code == 403
    assert put_consensus(client, stranger, assessment, "s1", 4, "Me.").status_code == 404
    url = f"{API}/assessments/{assessment['id']}/consensus"
    assert client.get(url, headers=member.headers).status_code == 403
    assert client.get(url, headers=stranger.headers).status_code == 404
    assert client.delete(f"{url}/s1", headers=member.headers).status_code == 403
    assert listed(client, consultant, assessment) == []


def test_a_closed_assessment_takes_consensus_answers(
    client: TestClient, consultant: Caller, assessment: dict
) -> None:
    client.post(f"{API}/assessments/{assessment['id']}/close", headers=consultant.headers)
    assert put_consensus(client, consultant, assessment, "s1", 4, "Later.").status_code == 201


def test_a_study_and_a_draft_are_refused(
    client: TestClient, consultant: Caller, admin: Caller, assessment: dict
) -> None:
    organisation = assessment["organisation_id"]
    draft = client.post(
        f"{API}/organisations/{organisation}/assessments",
        json={"questionnaire_id": "workshop-test", "name": "Not yet"},
        headers=consultant.headers,
    ).json()
    refused = put_consensus(client, consultant, draft, "s1", 4, "Too early.")
    assert refused.status_code == 409
    assert "draft" in refused.json()["detail"]
    study = client.post(
        f"{API}/organisations/{organisation}/assessments",
        json={"questionnaire_id": "workshop-test", "name": "Open study", "kind": "study"},
        headers=consultant.headers,
    )
    assert study.status_code == 201, study.text
    in_study = put_consensus(client, consultant, study.json(), "s1", 4, "Nobody.")
    assert in_study.status_code == 409
    assert "anonymous study" in in_study.json()["detail"]


def test_recording_replacing_and_removing_are_in_the_audit_log(
    client: TestClient, consultant: Caller, admin: Caller, assessment: dict
) -> None:
    put_consensus(client, consultant, assessment, "s1", 4, "Both agreed on 4.")
    put_consensus(client, consultant, assessment, "s1", 3, "On reflection, 3.")
    client.delete(f"{API}/assessments/{assessment['id']}/consensus/s1", headers=consultant.headers)
    entries = client.get(f"{API}/audit-log?target_id={assessment['id']}", headers=admin.headers)
    details = {
        e["action"]: e["detail"] for e in entries.json() if e["action"].startswith("consensus.")
    }
    assert details["consensus.recorded"] == {
        "item": "s1",
        "answer": 4,
        "rationale": "Both agreed on 4.",
        "via": "api",
    }
    assert details["consensus.replaced"]["answer"] == 3
    assert details["consensus.replaced"]["before"] == {
        "answer": 4,
        "rationale": "Both agreed on 4.",
    }
    assert details["consensus.removed"]["rationale"] == "On reflection, 3."


def test_erasing_the_organisation_erases_its_consensus_answers(
    client: TestClient, consultant: Caller, admin: Caller, session: Session, assessment: dict
) -> None:
    put_consensus(client, consultant, assessment, "s1", 4, "Both agreed on 4.")
    erased = client.delete(
        f"{API}/organisations/{assessment['organisation_id']}",
        params={"confirm": "Us"},
        headers=admin.headers,
    )
    assert erased.status_code == 200, erased.text
    assert erased.json()["deleted"]["consensus_answers"] == 1
    assert session.exec(select(ConsensusAnswer)).all() == []
