"""A consultant in chromium, in German, after a workshop where sales and service
disagreed: records two consensus answers on the consensus page (the statement chosen
first, then its answers offered), and the results page switches to "Nach dem Workshop"
with the agreed answers counted. axe-core checks every page."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from playwright.sync_api import BrowserContext, Page, expect
from sqlmodel import Session

from tests.browser.chromium import DESKTOP
from tests.browser.consoles import agree, checked, sign_in
from tests.conftest import Caller
from tests.web.browsing import with_password
from tests.web.workshop import workshop_assessment

Contexts = Callable[..., BrowserContext]


def record(page: Page, path: str, item: str, answer: str, rationale: str) -> None:
    """Choose the item, then its answer, give the rationale and record it."""
    page.goto(path)
    page.get_by_label("Aussage oder Frage").select_option(item)
    page.get_by_role("button", name="Antworten anzeigen").click()
    checked(page, path)
    agree(page, answer, rationale)


def test_two_consensus_answers_switch_the_results_to_after_the_workshop(
    new_context: Contexts, client: TestClient, session: Session, consultant: Caller, admin: Caller
) -> None:
    made = workshop_assessment(client, consultant, admin)
    with_password(session, consultant.user.email)
    assessment = f"/assessments/{made['id']}"
    desk = new_context(viewport=DESKTOP, locale="de-DE").new_page()
    sign_in(desk, consultant.user.email)

    desk.goto(f"{assessment}/results", timeout=90_000)  # the first charts start a renderer
    # d1: sales (100 + 50) / 2, service (0 + 50) / 2 -> 50; d2 (the lead's fact, 100, lent
    # to all): sales 100, service (0 + 0 + 100) / 3 -> 66.7; overall 58.3
    expect(desk.locator(".big-score .value")).to_have_text("58,3")
    expect(desk.get_by_role("link", name="Nach dem Workshop")).to_have_count(0)

    desk.goto(assessment)
    desk.get_by_role("link", name="Konsensantworten des Workshops").click()
    consensus = f"{assessment}/workshop/consensus"
    checked(desk, consensus)
    record(desk, consensus, "s1", "4", "Vertrieb und Service einigen sich auf 4.")
    record(desk, consensus, "b1", "Ja", "Service kannte es nur nicht.")
    rows = desk.locator("table.consensus tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(1)).to_contain_text("Ja")
    expect(rows.nth(1)).to_contain_text("Service kannte es nur nicht.")
    checked(desk, consensus)

    desk.goto(f"{assessment}/results")
    expect(desk.locator("nav.views [aria-current=page]")).to_have_text("Wie beantwortet")
    desk.get_by_role("link", name="Nach dem Workshop").click()
    expect(desk.locator("nav.views [aria-current=page]")).to_have_text("Nach dem Workshop")
    # d1: every respondent (75 + 50) / 2 = 62.5; d2: sales 100, service (0 + 100 + 100) / 3.
    expect(desk.locator(".big-score .value")).to_have_text("72,9")
    checked(desk, f"{assessment}/results")
