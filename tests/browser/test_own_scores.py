"""A respondent who may see their own scores, in chromium and in German: they answer on a
phone, read each level's stage, its description and two recommendations, download their
one-page PDF, close the browser, and days later open their link on a desktop to find
their scores again. Every page checked with axe-core."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from playwright.sync_api import BrowserContext, Page, expect
from pypdf import PdfReader

from tests.browser.chromium import DESKTOP
from tests.browser.respondents import GERMAN, choose, visited
from tests.conftest import Caller

Contexts = Callable[..., BrowserContext]
LEVELS = 4
# The second answer of every question ("trifft eher nicht zu", or its like): a stage on
# which the questionnaire recommends at least two steps for every level.
LOW = 1


def invited(client: TestClient, caller: Caller) -> str:
    """The link of a respondent of an open assessment that shows their own scores."""
    headers = caller.headers
    org = client.post("/api/v1/organisations", json={"name": "Muster GmbH"}, headers=headers)
    assessment = client.post(
        f"/api/v1/organisations/{org.json()['id']}/assessments",
        json={"questionnaire_id": "cx-maturity", "name": "CX-Check 2026", "show_own_scores": True},
        headers=headers,
    ).json()
    client.post(f"/api/v1/assessments/{assessment['id']}/open", headers=headers)
    sent = client.post(
        f"/api/v1/assessments/{assessment['id']}/invitations",
        json={"invitations": [{"label": "Anna"}]},
        headers=headers,
    )
    assert sent.status_code == 201, sent.text
    token: str = sent.json()[0]["token"]
    return token


def own_scores_shown(page: Page) -> list[str]:
    """The thank-you page shows every level with a stage, its description and two
    recommendations; the stage of each level, in order."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Vielen Dank!")
    expect(page.get_by_role("heading", level=2, name="Ihre eigenen Werte")).to_be_visible()
    levels = page.get_by_role("region")
    expect(levels).to_have_count(LEVELS)
    stages = []
    for position in range(LEVELS):
        level = levels.nth(position)
        expect(level.get_by_text(re.compile(r"^\d+,\d von 100 · Stufe: .+"))).to_be_visible()
        expect(level.locator(".stage-description")).not_to_be_empty()
        expect(level.get_by_role("heading", level=4)).to_have_text("Was als Nächstes hilft")
        expect(level.get_by_role("listitem")).to_have_count(2)
        stages.append(level.locator(".own-score strong").nth(1).inner_text())
    return stages


def test_a_respondent_reads_their_own_scores_downloads_them_and_finds_them_again_later(
    new_context: Contexts, client: TestClient, consultant: Caller, published: object
) -> None:
    token = invited(client, consultant)
    phone = new_context(**GERMAN).new_page()

    phone.goto(f"/r/{token}")
    visited(phone, f"/r/{token}/welcome", "de")
    phone.get_by_role("link", name="Beginnen").click()
    visited(phone, f"/r/{token}/profile", "de")
    phone.get_by_role("button", name="Weiter").click()
    for number in range(1, LEVELS + 1):
        expect(phone).to_have_url(re.compile(rf"/r/{token}/level/{number}\?lang=de$"))
        groups = phone.get_by_role("group")
        for position in range(groups.count()):
            choose(groups.nth(position), LOW)
        next_page = "Antworten prüfen" if number == LEVELS else "Weiter"
        phone.get_by_role("button", name=next_page).click()
    visited(phone, f"/r/{token}/review", "de")
    phone.get_by_role("button", name="Antworten abschicken").click()

    visited(phone, f"/r/{token}/thanks", "de")
    stages = own_scores_shown(phone)
    # The first PDF of a test run may wait for the rendering processes to start.
    with phone.expect_download(timeout=90_000) as download:
        phone.get_by_role("link", name="Ihre Werte als PDF herunterladen (eine Seite)").click()
    assert download.value.suggested_filename == "cx-check-2026-ihre-eigenen-werte.pdf"
    path = download.value.path()
    pdf = PdfReader(io.BytesIO(path.read_bytes()))
    assert len(pdf.pages) == 1
    words = " ".join(pdf.pages[0].extract_text().split())
    assert all(stage in words for stage in stages)
    phone.context.close()

    # Days later, on a desktop without cookies: the link leads to the scores again.
    desktop = new_context(locale="de-DE", viewport=DESKTOP).new_page()
    desktop.goto(f"/r/{token}")
    visited(desktop, f"/r/{token}/thanks", "de")
    assert own_scores_shown(desktop) == stages
