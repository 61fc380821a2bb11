"""A consultant's branding and portfolio, a researcher's home, and the API docs, in
chromium: in German, at a desktop's width and a phone's, with axe-core on every page."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from playwright.sync_api import BrowserContext, Page, Route, expect
from sqlmodel import Session

from assess.persistence.repository.accounts import create_user
from assess.persistence.repository.brandings import branding_of
from tests.browser.chromium import DESKTOP, PHONE
from tests.browser.consoles import checked, sign_in
from tests.conftest import Caller
from tests.factories import png
from tests.research.conftest import add_organisation, service_check
from tests.web.assessments import new_organisation
from tests.web.browsing import with_password

Contexts = Callable[..., BrowserContext]


def german(new_context: Contexts, viewport: dict[str, int]) -> Page:
    return new_context(viewport=viewport, locale="de-DE", accept_downloads=True).new_page()


def test_a_consultant_previews_a_logo_and_colour_and_saves_them(
    new_context: Contexts,
    session: Session,
    consultant: Caller,
    client: TestClient,
    published: object,
    tmp_path: Path,
) -> None:
    new_organisation(client, consultant, "Muster GmbH")
    with_password(session, consultant.user.email)
    broken, logo = tmp_path / "kaputt.png", tmp_path / "logo.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    logo.write_bytes(png())
    for viewport in (DESKTOP, PHONE):
        page = german(new_context, viewport)
        sign_in(page, consultant.user.email)
        page.get_by_role("link", name="Ihr Erscheinungsbild").click()
        checked(page, "/branding")
        page.locator("#f-logo").set_input_files(broken)
        page.get_by_role("button", name="Vorschau zeigen").click()
        expect(page.get_by_role("alert")).to_contain_text("Das Bild kann nicht gelesen werden")
        checked(page, "/branding/preview")
        page.locator("#f-logo").set_input_files(logo)
        page.get_by_label("Akzentfarbe").fill("#0a7f5c")
        page.get_by_role("button", name="Vorschau zeigen").click()
        preview = page.get_by_role("img", name=re.compile("Akzentfarbe #0a7f5c"))
        expect(preview).to_be_visible()
        # the sample loaded (waited for: the image may still be on its way after the page)
        page.wait_for_function("img => img.complete", arg=preview.element_handle())
        assert preview.evaluate("img => img.naturalWidth") > 0
        checked(page, "/branding")
        page.get_by_role("button", name="Dieses Erscheinungsbild speichern").click()
        expect(page.get_by_role("status")).to_contain_text("gespeichert")
        checked(page, "/branding")
    saved = branding_of(session, user_id=consultant.user.id)
    assert saved is not None
    assert saved.accent == "#0a7f5c"


def test_a_consultant_makes_a_portfolio_of_chosen_clients_and_downloads_it(
    new_context: Contexts,
    session: Session,
    consultant: Caller,
    client: TestClient,
    published: object,
) -> None:
    # Clients without closed assessments: the ZIP holds the overview alone, made quickly
    # (the page tests check the reports in it).
    new_organisation(client, consultant, "Alpha GmbH")
    new_organisation(client, consultant, "Beta AG")
    with_password(session, consultant.user.email)
    phone = german(new_context, PHONE)
    sign_in(phone, consultant.user.email)
    phone.get_by_role("link", name="Portfolio Ihrer Kunden").click()
    checked(phone, "/portfolio")
    desk = german(new_context, DESKTOP)
    sign_in(desk, consultant.user.email)
    desk.goto("/portfolio")
    desk.get_by_label("Beta AG").check()
    desk.get_by_label("Sprache der Berichte").select_option("de")
    desk.get_by_role("button", name="Portfolio erstellen").click()
    link = desk.get_by_role("link", name="ZIP-Datei herunterladen")
    expect(link).to_be_visible(timeout=120_000)  # the page looks again by itself
    checked(desk, "/portfolio")
    with desk.expect_download() as pending:
        link.click()
    archive = zipfile.ZipFile(io.BytesIO(pending.value.path().read_bytes()))
    assert archive.namelist() == ["0-overview.pdf", "contents.csv"]


def test_a_researcher_sees_the_pool_and_downloads_an_export(
    new_context: Contexts, session: Session, published: object
) -> None:
    add_organisation(session, service_check(session), respondents=6)
    user = create_user(session, email="ria@example.org", is_researcher=True)
    with_password(session, user.email)
    phone = german(new_context, PHONE)
    sign_in(phone, user.email)
    checked(phone, "/research")
    desk = german(new_context, DESKTOP)
    sign_in(desk, user.email)
    checked(desk, "/research")
    expect(desk.get_by_role("heading", name="Fragebögen im Vergleichspool")).to_be_visible()
    desk.get_by_label("Format").select_option("csv")
    desk.get_by_role("button", name="Export starten").click()
    link = desk.get_by_role("link", name=re.compile("herunterladen"))
    expect(link).to_be_visible(timeout=60_000)
    checked(desk, "/research")
    with desk.expect_download() as pending:
        link.click()
    assert pending.value.path().read_bytes().count(b"\n") == 7  # header and six responses


def test_the_api_docs_list_the_operations_without_any_network(
    new_context: Contexts, base_url: str
) -> None:
    page = new_context(viewport=DESKTOP).new_page()
    elsewhere: list[str] = []

    def local_only(route: Route) -> None:
        if route.request.url.startswith(base_url):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", local_only)
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    page.goto("/docs")
    expect(page.locator(".opblock").first).to_be_visible(timeout=20_000)
    assert page.locator(".opblock").count() > 20
    page.goto("/redoc")
    expect(
        page.get_by_role(
            "heading", name=re.compile("List questionnaires|questionnaires", re.I)
        ).first
    ).to_be_visible(timeout=20_000)
    assert elsewhere == []
    # ReDoc's footer shows its maker's logo from their site: the policy blocks it, and
    # nothing the pages need (their scripts and styles) may be refused.
    assert [m for m in refused if "script" in m or "style" in m] == [], refused
