"""The e-mail parts of the pages in chromium: a consultant sends invitations, sees one
refused and one sent, and edits the wording; axe-core finds nothing serious on either
page, at a desktop's width and a phone's, in English and German."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from playwright.sync_api import BrowserContext, expect
from sqlmodel import Session

from tests.browser.chromium import DESKTOP, PHONE
from tests.browser.consoles import checked, sign_in
from tests.conftest import application
from tests.mail.conftest import Inbox, inbox, mail_settings, send_all
from tests.web.browsing import with_password

__all__ = ["inbox"]  # the local SMTP server's fixture, used here too
Contexts = Callable[..., BrowserContext]


@pytest.fixture
def app(database_url: str, inbox: Inbox) -> Iterator[FastAPI]:
    """The application sending through the local SMTP server."""
    yield from application(database_url, **mail_settings(inbox.port))


def test_sending_invitations_and_editing_the_wording_in_the_browser(
    new_context: Contexts, app: FastAPI, session: Session, published: object, inbox: Inbox
) -> None:
    inbox.refuse["ben@example.org"] = "550 5.1.1 no such mailbox"
    with_password(session, "consultant@example.org")
    desk = new_context(viewport=DESKTOP, locale="en-GB").new_page()
    sign_in(desk, "consultant@example.org")
    desk.get_by_text("Add an organisation").click()
    desk.get_by_label("Name", exact=True).fill("Muster GmbH")
    desk.get_by_role("button", name="Add the organisation").click()
    desk.get_by_label("Questionnaire").select_option(value="cx-maturity@1")
    desk.locator("#f-name").fill("CX-Check 2026")
    desk.get_by_role("button", name="Create the assessment").click()
    desk.get_by_label(re.compile("One respondent per line")).fill(
        "Anna, Sales, anna@example.org, de\nBen, Service, ben@example.org\nCem"
    )
    desk.get_by_role("button", name="Add respondents").click()
    desk.get_by_role("button", name="Open for answers").click()
    desk.get_by_role("button", name="Send invitations").click()
    expect(desk.get_by_role("status").first).to_contain_text("2 e-mails are on their way")
    send_all(app)
    desk.reload()
    expect(desk.get_by_text("The mail server refused this address.")).to_be_visible()
    expect(desk.get_by_text(re.compile(r"Invitation:\s*sent"))).to_be_visible()
    assessment = re.sub(r"^https?://[^/]+", "", desk.url.split("?")[0])
    checked(desk, assessment)

    desk.get_by_role("link", name="Edit the wording of the e-mails").click()
    checked(desk, f"{assessment}/mail-texts")
    desk.locator("#subject-invitation-en").fill("Hello {name}")
    desk.locator("#subject-invitation-en").locator("xpath=ancestor::form").get_by_role(
        "button", name="Save for this assessment"
    ).click()
    expect(desk.get_by_role("alert")).to_contain_text("unknown placeholder {name}")
    checked(desk, f"{assessment}/mail-texts")

    phone = new_context(viewport=PHONE, locale="de-DE", is_mobile=True, has_touch=True).new_page()
    sign_in(phone, "consultant@example.org")
    for path in (assessment, f"{assessment}/mail-texts"):
        phone.goto(path)
        checked(phone, path)
    expect(phone.get_by_text("Der Mailserver hat diese Adresse abgelehnt.")).to_have_count(0)
    phone.goto(assessment)
    expect(phone.get_by_text("Der Mailserver hat diese Adresse abgelehnt.")).to_be_visible()
