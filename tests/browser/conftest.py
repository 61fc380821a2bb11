"""Browser tests: the application on 127.0.0.1 (on the suite's test database, emptied
after each test as for any other test), Debian's chromium, and fresh browser contexts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, BrowserContext, sync_playwright

from tests.browser.chromium import launch
from tests.browser.server import serve


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Debian's headless chromium, shared by the browser tests and closed after them (so
    that no browser, nor Playwright's event loop, lingers through the rest of the suite)."""
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def base_url(app: FastAPI) -> Iterator[str]:
    """The address of the application served on 127.0.0.1 for this test."""
    with serve(app) as url:
        yield url


@pytest.fixture
def new_context(browser: Browser, base_url: str) -> Iterator[Callable[..., BrowserContext]]:
    """Open a browser context (a new visitor: no cookies, no storage) with Playwright's
    options, relative addresses resolved against the server; all closed after the test."""
    opened: list[BrowserContext] = []

    def open_context(**options: Any) -> BrowserContext:
        context = browser.new_context(base_url=base_url, **options)
        context.set_default_timeout(10_000)
        opened.append(context)
        return context

    yield open_context
    for context in opened:
        context.close()
