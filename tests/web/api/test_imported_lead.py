"""An answers file's lead imported through the API: its facts count for everyone, and an
assessment keeps one lead at most, whether marked on an invitation or in a file
(advice-check questionnaire)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from tests.conftest import Caller
from tests.web.assessments import open_assessment_of

API = "/api/v1"
ADVICE_CHECK = Path(__file__).parents[2] / "questionnaires" / "advice-check.yaml"
HEADER = "respondent,lead,strategy-purpose,strategy-cx-lead,orch-owner\n"
WITH_LEAD = HEADER + "Lena,yes,4,no,department\nOtto,,2,,\n"
WITHOUT_LEAD = HEADER + "Lena,,4,,\nOtto,,2,,\n"


@pytest.fixture
def assessment(client: TestClient, consultant: Caller, admin: Caller) -> dict:
    """An open assessment of advice-check in a new organisation."""
    return open_assessment_of(client, consultant, admin, ADVICE_CHECK.read_bytes(), "Advice")


def send(client: TestClient, caller: Caller, assessment: dict, source: str) -> Response:
    return client.post(
        f"{API}/assessments/{assessment['id']}/import",
        content=source.encode(),
        headers={**caller.headers, "Content-Type": "text/csv"},
    )


def invite(client: TestClient, caller: Caller, assessment: dict, *invitees: dict) -> Response:
    return client.post(
        f"{API}/assessments/{assessment['id']}/invitations",
        json={"invitations": list(invitees)},
        headers=caller.headers,
    )


def items(client: TestClient, caller: Caller, assessment: dict) -> dict:
    results = client.get(f"{API}/assessments/{assessment['id']}/results", headers=caller.headers)
    assert results.status_code == 200, results.text
    return results.json()["items"]


def test_an_imported_lead_answers_the_lead_items_for_everyone(
    client: TestClient, consultant: Caller, assessment: dict
) -> None:
    imported = send(client, consultant, assessment, WITH_LEAD)
    assert imported.status_code == 201, imported.text
    scored = items(client, consultant, assessment)
    assert scored["strategy-cx-lead"] == {"score": 0.0, "n": 1, "dont_know": 0}
    assert scored["orch-owner"]["score"] == 50.0


def test_an_import_with_a_lead_where_an_invitation_is_the_lead_is_409_and_imports_nothing(
    client: TestClient, consultant: Caller, assessment: dict
) -> None:
    invite(client, consultant, assessment, {"label": "Anna", "lead": True})
    refused = send(client, consultant, assessment, WITH_LEAD)
    assert refused.status_code == 409
    assert "'Anna' is already the lead" in refused.json()["detail"]
    assert "'Lena'" in refused.json()["detail"]
    # Nothing was kept: the same labels import once the file marks no lead.
    assert send(client, consultant, assessment, WITHOUT_LEAD).json() == {"imported": 2}


def test_a_second_imported_lead_is_409_naming_the_first_and_imports_nothing(
    client: TestClient, consultant: Caller, assessment: dict
) -> None:
    send(client, consultant, assessment, WITH_LEAD)
    second = HEADER + "Paul,,3,,\nMia,yes,1,yes,cx-lead\n"
    refused = send(client, consultant, assessment, second)
    assert refused.status_code == 409
    assert "'Lena' is already the lead" in refused.json()["detail"]
    scored = items(client, consultant, assessment)
    assert scored["strategy-cx-lead"]["score"] == 0.0  # still Lena's answer
    assert scored["strategy-purpose"]["n"] == 2
    assert send(client, consultant, assessment, HEADER + "Paul,,3,,\n").status_code == 201


def test_an_invitation_cannot_become_the_lead_while_an_imported_response_is(
    client: TestClient, consultant: Caller, assessment: dict
) -> None:
    send(client, consultant, assessment, WITH_LEAD)
    made = invite(client, consultant, assessment, {"label": "Anna", "lead": True})
    assert made.status_code == 422
    assert "'Lena' is already the lead" in made.json()["detail"]
    [ben] = invite(client, consultant, assessment, {"label": "Ben"}).json()
    url = f"{API}/assessments/{assessment['id']}/invitations"
    marked = client.patch(f"{url}/{ben['id']}", json={"lead": True}, headers=consultant.headers)
    assert marked.status_code == 422
    assert "'Lena' is already the lead" in marked.json()["detail"]
    listed = client.get(url, headers=consultant.headers).json()
    assert [(i["label"], i["lead"]) for i in listed] == [("Ben", False)]


def test_a_file_without_a_lead_imports_beside_an_invited_lead(
    client: TestClient, consultant: Caller, assessment: dict
) -> None:
    invite(client, consultant, assessment, {"label": "Anna", "lead": True})
    assert send(client, consultant, assessment, WITHOUT_LEAD).json() == {"imported": 2}


def test_erasing_a_respondent_keeps_the_imported_leads_facts(
    client: TestClient, consultant: Caller, assessment: dict
) -> None:
    send(client, consultant, assessment, WITH_LEAD)
    [ute] = invite(client, consultant, assessment, {"label": "Ute"}).json()
    sent = client.post(
        f"{API}/respond/{ute['token']}/submit", json={"answers": {"strategy-purpose": 5}}
    )
    assert sent.status_code == 200, sent.text
    assert items(client, consultant, assessment)["strategy-purpose"]["n"] == 3
    erased = client.delete(
        f"{API}/assessments/{assessment['id']}/invitations/{ute['id']}/personal-data",
        headers=consultant.headers,
    )
    assert erased.status_code == 200, erased.text
    assert erased.json()["responses"] == 1
    scored = items(client, consultant, assessment)
    assert scored["strategy-purpose"]["n"] == 2
    assert scored["strategy-cx-lead"]["score"] == 0.0
