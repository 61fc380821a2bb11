"""What the browser tests of the consoles share: signing in, checking each page, and the
answers respondents give."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import BrowserContext, Page, expect

from assess.domain.questionnaire import BooleanItem, ChoiceItem
from assess.domain.validation import load_questionnaire
from tests.browser.axe import assert_accessible
from tests.conftest import QUESTIONNAIRES
from tests.web.browsing import PASSWORD

Contexts = Callable[..., BrowserContext]
DEFAULT = load_questionnaire(QUESTIONNAIRES / "cx-maturity.yaml")


def checked(page: Page, path: str) -> None:
    """The page is at `path`, fits the window's width and has nothing serious for axe."""
    expect(page).to_have_url(re.compile(rf"{path}(\?.*)?$"))
    wide = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert wide <= 0, f"{page.url} is {wide} px wider than the window"
    assert_accessible(page)


def answers(offset: int) -> dict[str, object]:
    """Every item of the default questionnaire answered, differently per respondent."""
    given: dict[str, object] = {}
    for position, (_, item) in enumerate(DEFAULT.items()):
        if isinstance(item, ChoiceItem):
            given[item.id] = item.options[(position + offset) % len(item.options)].value
        elif isinstance(item, BooleanItem):
            given[item.id] = (position + offset) % 2 == 0
        else:
            low, high = DEFAULT.scale_of(item)
            given[item.id] = low + (position + offset) % (high - low + 1)
    return given


def sign_in(page: Page, email: str) -> None:
    """Sign in as `email` from the sign-in page a console page sends one to."""
    page.goto("/dashboard")
    checked(page, "/sign-in")
    page.locator("#email").fill(email)  # by id: the page speaks the browser's language
    page.locator("#password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()


def agree(page: Page, answer: str, rationale: str) -> None:
    """On the consensus page with its item chosen: choose the answer, give the rationale,
    record it, and see it recorded."""
    page.get_by_role("radio", name=answer, exact=True).check()
    page.get_by_label("Begründung").fill(rationale)
    page.get_by_role("button", name="Konsensantwort erfassen").click()
    expect(page.get_by_role("status").first).to_contain_text("Die Konsensantwort ist erfasst")
