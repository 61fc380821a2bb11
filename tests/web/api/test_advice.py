"""Advice in the API: an assessment's targets, its lead, the respond routes' refusals for
what only the lead answers, and the results' new figures (advice-check questionnaire)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from tests.conftest import Caller
from tests.web.assessments import open_assessment_of

API = "/api/v1"
ADVICE_CHECK = Path(__file__).parents[2] / "questionnaires" / "advice-check.yaml"


@pytest.fixture
def assessment(client: TestClient, consultant: Caller, admin: Caller) -> dict:
    """An open assessment of advice-check in a new organisation."""
    return open_assessment_of(client, consultant, admin, ADVICE_CHECK.read_bytes(), "Advice")


def put_targets(client: TestClient, caller: Caller, assessment: dict, body: dict) -> Response:
    return client.put(
        f"{API}/assessments/{assessment['id']}/targets", json=body, headers=caller.headers
    )


def test_targets_set_are_shown_with_the_assessment(
    client: TestClient, consultant: Caller, assessment: dict
) -> None:
    set_ = put_targets(client, consultant, assessment, {"strategy": "passion"})
    assert set_.status_code == 200, set_.text
    assert set_.json()["targets"] == {"strategy": "passion"}
    shown = client.get(f"{API}/assessments/{assessment['id']}", headers=consultant.headers)
    assert shown.json()["targets"] == {"strategy": "passion"}


def test_all_sets_every_dimension_and_null_clears_one(
    client: TestClient, consultant: Caller, assessment: dict
) -> None:
    body = {"all": "established", "culture": "passion", "orchestration": None}
    set_ = put_targets(client, consultant, assessment, body)
    assert set_.json()["targets"] == {"strategy": "established", "culture": "passion"}
    cleared = put_targets(client, consultant, assessment, {})
    assert cleared.json()["targets"] == {}


def test_unknown_stage_or_dimension_is_422_naming_it_and_nothing_changes(
    client: TestClient, consultant: Caller, assessment: dict
) -> None:
    put_targets(client, consultant, assessment, {"strategy": "passion"})
    bad = put_targets(client, consultant, assessment, {"strategy": "heaven", "people": "passion"})
    assert bad.status_code == 422
    assert bad.headers["content-type"] == "application/problem+json"
    assert "unknown stage 'heaven'" in bad.json()["detail"]
    assert "unknown dimension 'people'" in bad.json()["detail"]
    shown = client.get(f"{API}/assessments/{assessment['id']}", headers=consultant.headers)
    assert shown.json()["targets"] == {"strategy": "passion"}


def test_setting_targets_is_in_the_audit_log(
    client: TestClient, consultant: Caller, admin: Caller, assessment: dict
) -> None:
    put_targets(client, consultant, assessment, {"strategy": "passion"})
    log = client.get(f"{API}/audit-log?action=assessment.targets_set", headers=admin.headers)
    [entry] = log.json()
    assert entry["detail"]["after"] == {"strategy": "passion"}


def invite_all(client: TestClient, caller: Caller, assessment: dict, *invitees: dict) -> Response:
    return client.post(
        f"{API}/assessments/{assessment['id']}/invitations",
        json={"invitations": list(invitees)},
        headers=caller.headers,
    )


def test_an_invitation_made_as_the_lead_shows_it(
    client: TestClient, consultant: Caller, assessment: dict
) -> None:
    made = invite_all(
        client, consultant, assessment, {"label": "Anna", "lead": True}, {"label": "Ben"}
    )
    assert made.status_code == 201, made.text
    assert [(i["label"], i["lead"]) for i in made.json()] == [("Anna", True), ("Ben", False)]


def test_a_second_lead_is_422_naming_the_first_and_nothing_is_made(
    client: TestClient, consultant: Caller, assessment: dict
) -> None:
    invite_all(client, consultant, assessment, {"label": "Anna", "lead": True})
    second = invite_all(client, consultant, assessment, {"label": "Ben", "lead": True})
    assert second.status_code == 422
    assert "'Anna' is already the lead" in second.json()["detail"]
    assert "remove that first" in second.json()["detail"]
    both = invite_all(
        client,
        consultant,
        assessment,
        {"label": "Cem", "lead": True},
        {"label": "Dan", "lead": True},
    )
    assert both.status_code == 422
    listed = client.get(
        f"{API}/assessments/{assessment['id']}/invitations", headers=consultant.headers
    )
    assert [i["label"] for i in listed.json()] == ["Anna"]


def test_the_lead_is_marked_and_unmarked_by_a_change(
    client: TestClient, consultant: Caller, assessment: dict
) -> None:
    anna, ben = invite_all(
        client, consultant, assessment, {"label": "Anna"}, {"label": "Ben"}
    ).json()
    url = f"{API}/assessments/{assessment['id']}/invitations"
    marked = client.patch(f"{url}/{anna['id']}", json={"lead": True}, headers=consultant.headers)
    assert marked.status_code == 200, marked.text
    assert marked.json()["lead"] is True
    refused = client.patch(f"{url}/{ben['id']}", json={"lead": True}, headers=consultant.headers)
    assert refused.status_code == 422
    assert "'Anna' is already the lead" in refused.json()["detail"]
    client.patch(f"{url}/{anna['id']}", json={"lead": False}, headers=consultant.headers)
    moved = client.patch(f"{url}/{ben['id']}", json={"lead": True}, headers=consultant.headers)
    assert moved.json()["lead"] is True
    leads = [i["label"] for i in client.get(url, headers=consultant.headers).json() if i["lead"]]
    assert leads == ["Ben"]


def test_a_csv_list_marks_the_lead_and_two_marked_rows_are_named(
    client: TestClient, consultant: Caller, assessment: dict
) -> None:
    url = f"{API}/assessments/{assessment['id']}/invitations"
    headers = {**consultant.headers, "Content-Type": "text/csv"}
    two = client.post(url, content=b"label,lead\nAnna,ja\nBen,\nCem,yes\n", headers=headers)
    assert two.status_code == 422
    assert "Rows 2, 4" in two.json()["detail"]
    assert client.get(url, headers=consultant.headers).json() == []
    one = client.post(url, content=b"label,lead\nAnna,nein\nBen,true\n", headers=headers)
    assert one.status_code == 201, one.text
    assert [(i["label"], i["lead"]) for i in one.json()] == [("Anna", False), ("Ben", True)]


def tokens(client: TestClient, caller: Caller, assessment: dict) -> tuple[str, str]:
    """The link tokens of a lead (Lena) and of another respondent (Otto)."""
    lena, otto = invite_all(
        client, caller, assessment, {"label": "Lena", "lead": True}, {"label": "Otto"}
    ).json()
    return lena["token"], otto["token"]


def test_a_lead_item_from_anyone_but_the_lead_is_422_naming_it_and_nothing_is_saved(
    client: TestClient, consultant: Caller, assessment: dict
) -> None:
    _, otto = tokens(client, consultant, assessment)
    client.put(f"{API}/respond/{otto}", json={"answers": {"strategy-purpose": 2}})
    refused = client.put(
        f"{API}/respond/{otto}",
        json={"answers": {"strategy-purpose": 4, "strategy-cx-lead": True}},
    )
    assert refused.status_code == 422
    assert "'strategy-cx-lead' is asked of the lead only" in refused.json()["detail"]
    state = client.get(f"{API}/respond/{otto}").json()["response"]
    assert state["answers"] == {"strategy-purpose": 2.0}
    submitted = client.post(
        f"{API}/respond/{otto}/submit", json={"answers": {"orch-owner": "nobody"}}
    )
    assert submitted.status_code == 422
    assert "'orch-owner' is asked of the lead only" in submitted.json()["detail"]


def test_the_lead_answers_lead_items_and_only_the_lead_is_shown_them(
    client: TestClient, consultant: Caller, assessment: dict
) -> None:
    lena, otto = tokens(client, consultant, assessment)
    saved = client.put(f"{API}/respond/{lena}", json={"answers": {"strategy-cx-lead": True}})
    assert saved.status_code == 200, saved.text
    assert saved.json()["answers"] == {"strategy-cx-lead": True}

    def items(token: str) -> list[str]:
        form = client.get(f"{API}/respond/{token}").json()["questionnaire"]
        return [i["id"] for d in form["dimensions"] for i in d["items"]]

    assert "strategy-cx-lead" in items(lena)
    assert "strategy-cx-lead" not in items(otto)
    assert "strategy-purpose" in items(otto)


def test_dk_where_the_item_does_not_allow_it_is_422_naming_the_item(
    client: TestClient, consultant: Caller, assessment: dict
) -> None:
    _, otto = tokens(client, consultant, assessment)
    allowed = client.put(f"{API}/respond/{otto}", json={"answers": {"strategy-purpose": "dk"}})
    assert allowed.json()["answers"] == {"strategy-purpose": "dk"}
    refused = client.put(f"{API}/respond/{otto}", json={"answers": {"culture-stories": "dk"}})
    assert refused.status_code == 422
    assert "'culture-stories'" in refused.json()["detail"]
    assert client.get(f"{API}/respond/{otto}").json()["response"]["answers"] == {
        "strategy-purpose": "dk"
    }


def test_importance_is_saved_under_its_key_and_outside_its_scale_is_422(
    client: TestClient, consultant: Caller, assessment: dict
) -> None:
    _, otto = tokens(client, consultant, assessment)
    form = client.get(f"{API}/respond/{otto}").json()["questionnaire"]
    assert form["dimensions"][0]["importance"]["id"] == "importance:strategy"
    saved = client.put(f"{API}/respond/{otto}", json={"answers": {"importance:strategy": 5}})
    assert saved.json()["answers"] == {"importance:strategy": 5.0}
    refused = client.put(f"{API}/respond/{otto}", json={"answers": {"importance:culture": 9}})
    assert refused.status_code == 422
    detail = refused.json()["detail"]
    assert "'importance:culture'" in detail
    assert "a number from 1 to 5" in detail


def test_results_carry_the_advice_figures_the_items_and_the_roadmap(
    client: TestClient, consultant: Caller, assessment: dict
) -> None:
    put_targets(client, consultant, assessment, {"strategy": "passion"})
    lena, otto = tokens(client, consultant, assessment)
    [ute] = [
        i["token"] for i in invite_all(client, consultant, assessment, {"label": "Ute"}).json()
    ]
    given = {
        lena: {"strategy-cx-lead": False, "orch-owner": "nobody", "importance:strategy": 5},
        otto: {"strategy-purpose": "dk", "importance:strategy": 3},
        ute: {"importance:strategy": 4},
    }
    for token, answers in given.items():
        base = {"strategy-purpose": 2, "strategy-board-kpis": 2, "orch-journeys": 3}
        body = {"answers": {**base, **answers}, "profile": {"department": "sales"}}
        sent = client.post(f"{API}/respond/{token}/submit", json=body)
        assert sent.status_code == 200, sent.text
    results = client.get(
        f"{API}/assessments/{assessment['id']}/results", headers=consultant.headers
    )
    assert results.status_code == 200, results.text
    output = results.json()
    strategy = output["dimensions"]["strategy"]
    assert strategy["importance_mean"] == 4.0
    assert strategy["importance_weight"] == 0.75
    assert strategy["target"] == "passion"
    assert strategy["dont_know_share"] == pytest.approx(1 / 7)
    assert {"gap", "priority", "rank", "quadrant"} <= set(strategy)
    assert output["items"]["strategy-cx-lead"] == {"score": 0.0, "n": 1, "dont_know": 0}
    roadmap = {r["id"]: r for r in output["recommendations"]}
    assert roadmap["strategy-cx-lead"]["because"] == [
        {"condition": "items.strategy-cx-lead.below", "bound": 50, "value": 0.0}
    ]
    assert roadmap["strategy-purpose"]["horizon"] == "now"
