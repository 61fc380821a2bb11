"""What the browser tests of the respondents' pages share: a German phone, visiting a page
and choosing an answer."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.chromium import PHONE

GERMAN = {"locale": "de-DE", "viewport": PHONE, "is_mobile": True, "has_touch": True}


def visited(page: Page, path: str, language: str) -> None:
    """The page shows `path` in `language`, fits the window's width (no scrolling
    sideways) and has nothing serious for axe-core."""
    expect(page).to_have_url(re.compile(rf"{re.escape(path)}(\?lang={language})?$"))
    expect(page.locator("html")).to_have_attribute("lang", language)
    wide = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert wide <= 0, f"{page.url} is {wide} px wider than the window"
    assert_accessible(page)


def choose(group: Locator, index: int) -> str:
    """Choose the answer at `index` of a question (wrapping round) by clicking it; its
    value."""
    radios = group.get_by_role("radio")
    radio = radios.nth(index % radios.count())
    radio.check()
    return radio.get_attribute("value") or ""
