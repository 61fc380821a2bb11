"""The newest bundled questionnaire through the service: a new assessment of cx-maturity
gets version 2, takes its demo answers (lead, importance, can't judge, N/A) and gives
results with version 2's advice, in words on the console's results page."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from assess.domain.validation import load_questionnaire
from tests.conftest import QUESTIONNAIRES, ROOT, Caller

API = "/api/v1"
DEMO = (ROOT / "examples" / "answers-demo.csv").read_text()
NEWEST = load_questionnaire(QUESTIONNAIRES / "cx-maturity-v2.yaml")


def _assessment(client: TestClient, caller: Caller) -> dict:
    organisation = client.post(
        f"{API}/organisations", json={"name": "Muster GmbH"}, headers=caller.headers
    )
    made = client.post(
        f"{API}/organisations/{organisation.json()['id']}/assessments",
        json={"questionnaire_id": "cx-maturity", "name": "CX 2026", "wave": "2026"},
        headers=caller.headers,
    )
    assert made.status_code == 201, made.text
    return made.json()


def test_a_new_assessment_gets_version_2_and_its_advice(
    client: TestClient, admin: Caller, published_newest: dict
) -> None:
    assessment = _assessment(client, admin)
    assert assessment["questionnaire_version"] == 2
    imported = client.post(
        f"{API}/assessments/{assessment['id']}/import",
        content=DEMO.encode(),
        headers={**admin.headers, "Content-Type": "text/csv"},
    )
    assert imported.status_code == 201, imported.text
    closed = client.post(f"{API}/assessments/{assessment['id']}/close", headers=admin.headers)
    assert closed.status_code == 200, closed.text
    results = client.get(f"{API}/assessments/{assessment['id']}/results", headers=admin.headers)
    assert results.status_code == 200, results.text
    figures = results.json()
    assert figures["questionnaire"] == {"id": "cx-maturity", "version": 2}
    ids = {r.id for d in NEWEST.dimensions for r in d.recommendations}
    chosen = [r["id"] for r in figures["recommendations"]]
    assert chosen
    assert set(chosen) <= ids
    # the lead's fact stands for the organisation: one answer, its option's score
    assert figures["items"]["orchestration-inventory"]["score"] == 30.0


def test_the_results_page_of_version_2_shows_no_raw_answer_value(
    client: TestClient, admin: Caller, published_newest: dict
) -> None:
    assessment = _assessment(client, admin)
    client.post(
        f"{API}/assessments/{assessment['id']}/import",
        content=DEMO.encode(),
        headers={**admin.headers, "Content-Type": "text/csv"},
    )
    client.post(f"{API}/assessments/{assessment['id']}/close", headers=admin.headers)
    page = client.get(f"/assessments/{assessment['id']}/results?lang=de", headers=admin.headers)
    assert page.status_code == 200, page.text
    text = re.sub(r"<[^>]+>", " ", page.text)
    raw = {o.value for _d, i in NEWEST.items() for o in getattr(i, "options", None) or []}
    raw |= {"dk", "na", "yes", "no"}
    words = set(re.findall(r"[\w-]+", text))
    assert not (words & raw), sorted(words & raw)
