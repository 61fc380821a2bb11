"""A consultant's first day in chromium, in German, at a phone's width and a desktop's:
the first-run command on the sign-in page, a draft that says what to do next instead of
offering empty results, the whole respondent links, the report page's breadcrumb, the
audit log in words, and an icon that never answers 404; axe-core checks every page."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from playwright.sync_api import BrowserContext, Page, expect
from sqlmodel import Session

from assess.persistence.models.jobs import JobKind
from assess.persistence.repository.accounts import get_user_by_email
from assess.persistence.repository.reports import create_report_job, fail_report_job
from tests.browser.chromium import DESKTOP, PHONE
from tests.browser.consoles import checked, sign_in
from tests.web.browsing import with_password

Contexts = Callable[..., BrowserContext]
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def fits(page: Page, selector: str) -> None:
    """Every element matching `selector` shows all of its content: nothing clipped or
    scrolled out of sight, across or down."""
    hidden = page.eval_on_selector_all(
        selector,
        """elements => elements
            .filter(e => e.scrollWidth > e.clientWidth || e.scrollHeight > e.clientHeight + 1)
            .map(e => e.id || e.tagName)""",
    )
    assert page.locator(selector).count() > 0
    assert hidden == [], f"{selector} cut off on {page.url}"


def test_a_consultant_s_first_day_has_no_rough_edges_on_phone_and_desktop(
    new_context: Contexts, session: Session, published: object
) -> None:
    missing: list[str] = []
    pages = []
    for viewport, extra in ((DESKTOP, {}), (PHONE, {"is_mobile": True, "has_touch": True})):
        context = new_context(viewport=viewport, locale="de-DE", **extra)
        context.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
        page = context.new_page()
        page.goto("/sign-in")
        checked(page, "/sign-in")
        expect(page.locator("pre.command")).to_contain_text("user create")
        fits(page, "pre.command")
        pages.append(page)
    desk, phone = pages

    with_password(session, "admin@example.org", admin=True)
    sign_in(desk, "admin@example.org")
    desk.locator("summary", has_text="Organisation hinzufügen").click()
    desk.get_by_label("Name", exact=True).fill("Muster GmbH")
    desk.get_by_role("button", name="Organisation hinzufügen").click()
    checked(desk, "/organisations/[0-9a-f-]+")
    expect(desk.locator("#f-name")).to_have_value(re.compile(r"^Muster GmbH – .*20\d\d$"))
    desk.get_by_label("Fragebogen").select_option(value="cx-maturity@1")
    desk.get_by_role("button", name="Erhebung anlegen").click()
    checked(desk, "/assessments/[0-9a-f-]+")
    draft = re.sub(r"^https?://[^/]+", "", desk.url).split("?")[0]
    expect(desk.locator("p.next-step")).to_contain_text("Fügen Sie unten Befragte hinzu")
    assert desk.locator(f"a[href^='{draft}/results']").count() == 0

    desk.locator("#respondents").fill("Anna, Vertrieb\nBen, Service")
    desk.get_by_role("button", name="Befragte hinzufügen").click()
    expect(desk.locator("p.next-step")).to_contain_text("Öffnen Sie die Erhebung")
    assert desk.locator(f"a[href^='{draft}/results']").count() == 0

    admin = get_user_by_email(session, email="admin@example.org")
    assert admin is not None
    job = create_report_job(
        session,
        user=admin,
        kind=JobKind.report,
        language="de",
        assessment_id=uuid.UUID(draft.rsplit("/", 1)[1]),
    )
    fail_report_job(session, job_id=job.id, error="no submitted responses")

    sign_in(phone, "admin@example.org")
    for page in (desk, phone):
        page.goto(draft)
        checked(page, draft)
        links = page.locator("textarea[id^='link-']")
        expect(links).to_have_count(2)
        assert all(re.search(r"/r/[\w-]{20,}$", links.nth(n).input_value()) for n in (0, 1))
        fits(page, "textarea[id^='link-']")

        page.goto(f"{draft}/reports/{job.id}")
        checked(page, f"{draft}/reports/{job.id}")
        expect(page.locator("p.crumbs")).to_contain_text("Übersicht › Muster GmbH ›")

        page.goto("/audit-log")
        checked(page, "/audit-log")
        log = page.locator("table.audit-log").inner_text()
        assert "Organisation angelegt" in log
        assert "Muster GmbH" in log
        assert not UUID.search(log), log

        icon = page.request.get("/favicon.ico")
        assert icon.status == 200
        assert page.request.get(page.locator("link[rel=icon]").get_attribute("href")).ok
    assert missing == []
