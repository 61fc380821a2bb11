"""A demo run beside real organisations, in German at a desktop's and a phone's width:
the admin's dashboard lists only the real clients (and says that demo ones are left
out), and a real client's results compare it with real organisations only."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from sqlmodel import Session, select
from typer.testing import CliRunner

from assess.cli.main import app as command
from assess.config import get_settings
from assess.persistence.models.assessments import Assessment
from tests.browser.chromium import DESKTOP, PHONE
from tests.browser.consoles import checked, sign_in
from tests.clients import real_clients
from tests.web.browsing import with_password

Contexts = Callable[..., BrowserContext]
CLIENTS = ("Bäckerei Sonne GmbH", "Muster GmbH", "Nordlicht AG", "Stadtwerke Ost", "Weber KG")


def dashboard_shows_only_the_clients(page: Page) -> None:
    page.goto("/dashboard")
    checked(page, "/dashboard")
    listed = page.locator("main section.card h2")
    expect(listed).to_have_text(list(CLIENTS))
    shown = page.get_by_text("40 Demo-Organisationen dieser Datenbank sind hier nicht")
    expect(shown).to_be_visible()
    expect(page.get_by_text("Demo organisation")).to_have_count(0)


def results_compare_with_the_clients_only(page: Page, path: str) -> None:
    page.goto(path, timeout=60_000)  # the first charts start the rendering processes
    checked(page, path)
    peers = page.locator("section[aria-labelledby=peers]")
    expect(peers).to_contain_text("Vergleichsgruppe")
    expect(peers).to_contain_text("(5 Organisationen)")


def test_a_demo_run_beside_real_clients_stays_off_their_dashboard_and_benchmark(
    new_context: Contexts, session: Session, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_password(session, "admin@example.org", admin=True)
    clients = real_clients(session, *CLIENTS)
    monkeypatch.setenv("ASSESS_DATABASE_URL", database_url)
    get_settings.cache_clear()
    try:
        demo = CliRunner().invoke(
            command,
            [
                *("demo", "generate", "--into-this-database", "--organisations", "40"),
                *("--respondents", "3", "--seed", "11", "--opt-in-share", "1"),
            ],
        )
    finally:
        get_settings.cache_clear()
    assert demo.exit_code == 0, demo.output
    assessment = session.exec(
        select(Assessment).where(Assessment.organisation_id == clients[1].id)
    ).one()
    results = f"/assessments/{assessment.id}/results"

    desk = new_context(viewport=DESKTOP, locale="de-DE").new_page()
    sign_in(desk, "admin@example.org")
    dashboard_shows_only_the_clients(desk)
    expect(desk.get_by_role("link", name="Ergebnisse von CX 2026")).to_have_count(5)
    results_compare_with_the_clients_only(desk, results)

    phone = new_context(viewport=PHONE, locale="de-DE", is_mobile=True, has_touch=True).new_page()
    sign_in(phone, "admin@example.org")
    dashboard_shows_only_the_clients(phone)
    results_compare_with_the_clients_only(phone, results)
