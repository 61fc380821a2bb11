"""The results page's advice: per level the target, gap, priority and rank, importance
and can't-judge share, and the roadmap (horizon, title, owner, why), in both languages."""

from __future__ import annotations

import html
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.conftest import Caller
from tests.web.browsing import signed_in

API = "/api/v1"
ADVICE_CHECK = Path(__file__).parents[2] / "questionnaires" / "advice-check.yaml"


def answered_assessment(client: TestClient, consultant: Caller, admin: Caller) -> str:
    """An advice-check assessment with a target and three submitted responses, the lead's
    saying there is no CX manager; its id."""
    client.post(
        f"{API}/questionnaires",
        content=ADVICE_CHECK.read_bytes(),
        headers={**admin.headers, "Content-Type": "application/yaml"},
    )
    org = client.post(f"{API}/organisations", json={"name": "Us"}, headers=consultant.headers)
    made = client.post(
        f"{API}/organisations/{org.json()['id']}/assessments",
        json={"questionnaire_id": "advice-check", "name": "Advice"},
        headers=consultant.headers,
    ).json()
    url = f"{API}/assessments/{made['id']}"
    client.put(f"{url}/targets", json={"strategy": "passion"}, headers=consultant.headers)
    client.post(f"{url}/open", headers=consultant.headers)
    body = {"invitations": [{"label": "Lena", "lead": True}, {"label": "Otto"}, {"label": "Ute"}]}
    invited = client.post(f"{url}/invitations", json=body, headers=consultant.headers).json()
    for number, invitation in enumerate(invited):
        answers = {"strategy-purpose": 2, "strategy-board-kpis": 2, "importance:strategy": 4}
        if number == 0:
            answers["strategy-cx-lead"] = False
        sent = client.post(
            f"{API}/respond/{invitation['token']}/submit",
            json={"answers": answers, "profile": {"department": "sales"}},
        )
        assert sent.status_code == 200, sent.text
    return str(made["id"])


def test_the_page_shows_targets_priorities_and_the_roadmap_in_both_languages(
    app: FastAPI, client: TestClient, session: Session, consultant: Caller, admin: Caller
) -> None:
    assessment = answered_assessment(client, consultant, admin)
    browser = signed_in(app, session, consultant)
    english = html.unescape(browser.get(f"/assessments/{assessment}/results?lang=en").text)
    assert "Targets and priorities" in english
    assert "<td>Customer passion</td>" in english
    assert "Name a CX lead." in english
    assert "Why: “We have a CX manager.” scores 0.0, below 50" in english
    assert "who: Executive board" in english
    german = html.unescape(browser.get(f"/assessments/{assessment}/results?lang=de").text)
    assert "Ziele und Prioritäten" in german
    assert "Fahrplan" in german
    assert "Benennen Sie eine CX-Verantwortliche." in german
    assert "Warum: die Aussage „Wir haben einen CX-Manager.“ erreicht 0,0, unter 50" in german
