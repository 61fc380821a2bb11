"""An admin in chromium: signs in, creates an organisation and an assessment, adds three
respondents, opens it, and once they have answered sees the results and downloads the
PDF, then looks at the questionnaires and uploads a broken one; axe-core checks every
page on the way, at a desktop's width and a phone's."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from playwright.sync_api import expect
from sqlmodel import Session

from tests.browser.chromium import DESKTOP, PHONE
from tests.browser.consoles import Contexts, answers, checked, sign_in
from tests.web.browsing import with_password


def test_an_admin_runs_an_assessment_and_downloads_the_pdf_after_three_answer(
    new_context: Contexts, client: TestClient, session: Session, published: object
) -> None:
    with_password(session, "admin@example.org", admin=True)
    desk = new_context(viewport=DESKTOP, locale="en-GB", accept_downloads=True).new_page()
    sign_in(desk, "admin@example.org")
    checked(desk, "/dashboard")

    desk.get_by_text("Add an organisation").click()
    desk.get_by_label("Name", exact=True).fill("Muster GmbH")
    desk.get_by_role("button", name="Add the organisation").click()
    checked(desk, "/organisations/[0-9a-f-]+")
    desk.get_by_label("Questionnaire").select_option(value="cx-maturity@1")
    desk.locator("#f-name").fill("CX-Check 2026")
    desk.get_by_role("button", name="Create the assessment").click()
    checked(desk, "/assessments/[0-9a-f-]+")

    desk.get_by_label(re.compile("One respondent per line")).fill(
        "Anna, Sales\nBen, Service\nCem, Marketing"
    )
    desk.get_by_role("button", name="Add respondents").click()
    expect(desk.get_by_role("status").first).to_contain_text("3 respondents were added")
    checked(desk, "/assessments/[0-9a-f-]+")
    links = [desk.locator(f"#link-{n}").input_value() for n in (1, 2, 3)]
    assert all("/r/" in link for link in links)
    desk.get_by_role("button", name="Open for answers").click()
    expect(desk.locator(".status.open").first).to_be_visible()

    for offset, link in enumerate(links):  # each respondent, through the JSON API
        token = link.rsplit("/r/", 1)[1]
        saved = client.put(f"/api/v1/respond/{token}", json={"answers": answers(offset)})
        assert saved.status_code == 200, saved.text
        submitted = client.post(f"/api/v1/respond/{token}/submit")
        assert submitted.status_code == 200, submitted.text
    desk.reload()
    expect(desk.get_by_text("3 of 3 submitted")).to_be_visible()

    desk.get_by_role("link", name="See the results").click()
    checked(desk, "/assessments/[0-9a-f-]+/results")
    desk.get_by_role("radio", name="Deutsch").check()
    desk.get_by_role("button", name="Prepare the PDF").click()
    download_link = desk.get_by_role("link", name="Download the PDF").first
    expect(download_link).to_be_visible(timeout=90_000)  # the page refreshes itself
    checked(desk, "/assessments/[0-9a-f-]+/reports/[0-9a-f-]+")
    with desk.expect_download() as pending:
        download_link.click()
    pdf = pending.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")

    for path in ("/questionnaires", "/questionnaires/cx-maturity"):
        desk.goto(path)
        checked(desk, path)
    desk.goto("/questionnaires")
    desk.locator("textarea").first.fill("id: cx-maturity\nversion: 9\ndimensions: []\n")
    desk.locator("form[action='/questionnaires'] button[type=submit]").first.click()
    expect(desk.locator(".error-summary")).to_be_visible()
    checked(desk, "/questionnaires")

    phone = new_context(viewport=PHONE, locale="de-DE", is_mobile=True, has_touch=True).new_page()
    sign_in(phone, "admin@example.org")
    results = re.sub(r"^https?://[^/]+", "", desk.url.split("/reports/")[0]) + "/results"
    for path in ("/dashboard", results, "/questionnaires"):
        phone.goto(path)
        checked(phone, path)
