"""A consultant in chromium, in German, runs a consensus workshop from start to end: the
agenda lists what sales and service see differently, the largest difference first; from
it, two consensus answers are recorded; the results switch to "Nach dem Workshop"; and
the PDF made in that view says so and lists both answers with their rationale. axe-core
checks every page."""

from __future__ import annotations

import io
from collections.abc import Callable

from fastapi.testclient import TestClient
from playwright.sync_api import BrowserContext, expect
from pypdf import PdfReader
from sqlmodel import Session

from tests.browser.chromium import DESKTOP
from tests.browser.consoles import agree, checked, sign_in
from tests.conftest import Caller
from tests.web.browsing import with_password
from tests.web.workshop import workshop_assessment

Contexts = Callable[..., BrowserContext]

# Three in sales, three in service (groups of 3 may be shown), far apart on s1, c1 and
# b1, alike on s2; r1 is the lead and says yes to the fact f1.
ANSWERS = (
    "respondent,lead,department,s1,s2,c1,b1,f1\n"
    "r1,yes,sales,5,3,board,yes,yes\n"
    "r2,,sales,5,3,board,yes,\n"
    "r3,,sales,4,3,project,yes,\n"
    "r4,,service,1,3,none,no,\n"
    "r5,,service,1,3,none,no,\n"
    "r6,,service,2,3,project,no,\n"
)


def test_a_workshop_from_its_agenda_to_the_report_after_it(
    new_context: Contexts, client: TestClient, session: Session, consultant: Caller, admin: Caller
) -> None:
    made = workshop_assessment(client, consultant, admin, ANSWERS)
    with_password(session, consultant.user.email)
    assessment = f"/assessments/{made['id']}"
    desk = new_context(viewport=DESKTOP, locale="de-DE", accept_downloads=True).new_page()
    sign_in(desk, consultant.user.email)

    # d1: 75, 75, 62.5, 25, 25, 37.5 -> 50; d2 (f1 lent): 100, 100, 83.3, 33.3, 33.3, 50
    # -> 66.7; overall 58.3
    desk.goto(f"{assessment}/results", timeout=90_000)  # the first charts start a renderer
    expect(desk.locator(".big-score .value")).to_have_text("58,3")

    desk.goto(f"{assessment}/workshop")
    checked(desk, f"{assessment}/workshop")
    # b1 100 points apart (sales all yes, service all no), s1 83.3, c1 66.7; s2 alike
    headings = desk.locator("#agenda article h2")
    expect(headings).to_have_count(3)
    expect(headings.nth(0)).to_contain_text("b1")
    expect(headings.nth(1)).to_contain_text("s1")
    expect(headings.nth(2)).to_contain_text("c1")

    desk.get_by_role("link", name="Konsens festhalten").nth(0).click()
    agree(desk, "Ja", "Service kannte die Regel nur nicht.")
    desk.goto(f"{assessment}/workshop")
    desk.get_by_role("link", name="Konsens festhalten").nth(1).click()
    agree(desk, "4", "Beide Seiten einigen sich auf eher zutreffend.")
    checked(desk, f"{assessment}/workshop/consensus")

    desk.goto(f"{assessment}/results")
    desk.get_by_role("link", name="Nach dem Workshop").click()
    expect(desk.locator("nav.views [aria-current=page]")).to_have_text("Nach dem Workshop")
    # d1: everyone (75 + 50) / 2 = 62.5; d2: 100, 100, 83.3, 66.7, 66.7, 83.3 -> 83.3
    expect(desk.locator(".big-score .value")).to_have_text("72,9")
    checked(desk, f"{assessment}/results")

    desk.get_by_role("button", name="PDF erstellen").click()
    link = desk.get_by_role("link", name="PDF herunterladen")
    expect(link).to_be_visible(timeout=120_000)  # the page looks again by itself
    with desk.expect_download() as pending:
        link.click()
    reader = PdfReader(io.BytesIO(pending.value.path().read_bytes()))
    text = " ".join((page.extract_text() or "") for page in reader.pages)
    words = " ".join(text.split())
    assert "Nach dem Workshop" in words
    assert "Konsensantworten des Workshops" in words
    assert "Service kannte die Regel nur nicht." in words
    assert "Beide Seiten einigen sich auf eher zutreffend." in words
