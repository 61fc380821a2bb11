"""The lead respondent answers a level page of the advice-check questionnaire in chromium
with the keyboard alone: its statements, "can't judge", the lead's own item and the
level's importance, each a labelled radio group; axe-core finds nothing on the page."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import BrowserContext, Page, expect
from sqlmodel import Session, select

from assess.persistence.models.assessments import Invitation
from assess.persistence.models.responses import Response
from tests.browser.axe import violations
from tests.browser.chromium import DESKTOP
from tests.conftest import Caller

ADVICE_CHECK = Path(__file__).parents[1] / "questionnaires" / "advice-check.yaml"
Contexts = Callable[..., BrowserContext]


@pytest.fixture
def lead_token(client: TestClient, admin: Caller, consultant: Caller, session: Session) -> str:
    """The link of the lead respondent of an open assessment of advice-check."""
    published = client.post(
        "/api/v1/questionnaires",
        content=ADVICE_CHECK.read_bytes(),
        headers={**admin.headers, "Content-Type": "application/yaml"},
    )
    assert published.status_code == 201, published.text
    headers = consultant.headers
    org = client.post("/api/v1/organisations", json={"name": "Muster GmbH"}, headers=headers)
    assessment = client.post(
        f"/api/v1/organisations/{org.json()['id']}/assessments",
        json={"questionnaire_id": "advice-check", "name": "Beratung 2026"},
        headers=headers,
    ).json()
    client.post(f"/api/v1/assessments/{assessment['id']}/open", headers=headers)
    invited = client.post(
        f"/api/v1/assessments/{assessment['id']}/invitations",
        json={"invitations": [{"label": "Lena"}]},
        headers=headers,
    )
    assert invited.status_code == 201, invited.text
    invitation = session.exec(select(Invitation)).one()
    invitation.lead = True
    session.add(invitation)
    session.commit()
    token: str = invited.json()[0]["token"]
    return token


def choose_with_keyboard(page: Page, steps: int) -> str:
    """Tab into the next question, then choose its answer `steps` down with the arrow keys
    (Space for the first); the value chosen."""
    page.keyboard.press("Tab")
    for _ in range(steps):
        page.keyboard.press("ArrowDown")
    if steps == 0:
        page.keyboard.press("Space")
    focused = page.locator("input:focus")
    expect(focused).to_be_checked()
    return focused.get_attribute("value") or ""


def assert_no_violations(page: Page) -> None:
    """axe-core finds nothing at all on the page, of any impact."""
    found = violations(page)
    assert not found, f"axe-core on {page.url}:\n" + "\n".join(f"  {v}" for v in found)


def test_a_level_page_is_answered_by_keyboard_alone_with_cant_judge_and_importance(
    new_context: Contexts, lead_token: str, session: Session
) -> None:
    page = new_context(locale="de-DE", viewport=DESKTOP).new_page()
    # The page's own form saves it: the autosave through the JSON API (tested with the
    # API) is kept out, so that none of its requests can land after the form's.
    page.route("**/api/v1/respond/**", lambda route: route.abort())
    page.goto(f"/r/{lead_token}/level/1")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    assert_no_violations(page)

    # What a screen reader announces: each group by its question, each answer by its words.
    purpose = page.get_by_role("group", name="Unser Purpose leitet Entscheidungen.")
    expect(purpose.get_by_role("radio", name="Kann ich nicht beurteilen")).to_have_value("dk")
    expect(purpose.get_by_role("radio", name="Nicht anwendbar")).to_have_value("na")
    lead_item = page.get_by_role("group", name="Wir haben einen CX-Manager.")
    expect(lead_item).to_have_accessible_description(
        "Diese Frage beantworten nur Sie für Ihr Unternehmen."
    )
    importance = page.get_by_role("group", name=re.compile("^Wie wichtig ist diese Ebene"))
    expect(importance.get_by_role("radio")).to_have_count(5)

    page.get_by_role("heading", level=1).click()
    chosen = {
        "strategy-purpose": choose_with_keyboard(page, 6),  # 1 to 5, N/A, then can't judge
        "strategy-board-kpis": choose_with_keyboard(page, 3),
        "strategy-cx-lead": choose_with_keyboard(page, 0),
        "importance:strategy": choose_with_keyboard(page, 4),
    }
    assert chosen == {
        "strategy-purpose": "dk",
        "strategy-board-kpis": "4",
        "strategy-cx-lead": "yes",
        "importance:strategy": "5",
    }
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/r/{lead_token}/level/2(\?lang=de)?$"))

    session.expire_all()
    assert session.exec(select(Response)).one().answers == {
        "strategy-purpose": "dk",
        "strategy-board-kpis": 4.0,
        "strategy-cx-lead": True,
        "importance:strategy": 5.0,
    }

    # Back on the page, the answers are shown as chosen; still nothing for axe-core.
    page.goto(f"/r/{lead_token}/level/1")
    expect(purpose.get_by_role("radio", name="Kann ich nicht beurteilen")).to_be_checked()
    expect(importance.get_by_role("radio", name=re.compile("^5"))).to_be_checked()
    assert_no_violations(page)
