"""Debian's chromium under Playwright, never a downloaded browser. Without chromium the
browser tests skip and say why; with ASSESS_REQUIRE_BROWSER=1 (as in CI) they fail
instead, so a green run means the pages were tried in a browser."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NoReturn

import pytest
from playwright.sync_api import Browser, Playwright

CHROMIUM = Path("/usr/bin/chromium")
# No GPU, no sandbox (the tests may run as root), and none of chromium's own traffic:
# the tests reach nothing but 127.0.0.1, and each refused call of chromium's costs time.
ARGUMENTS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
SETUP = "`make browser` installs it (chromium with apt-get as root, axe-core with npm)"


def unavailable(reason: str) -> NoReturn:
    """Skip the test for a missing browser tool; fail it when ASSESS_REQUIRE_BROWSER=1."""
    if os.environ.get("ASSESS_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (ASSESS_REQUIRE_BROWSER=1: the browser tests must run)")
    pytest.skip(reason)


def launch(playwright: Playwright) -> Browser:
    """Debian's headless chromium; Playwright gives every launch a fresh profile."""
    if not os.access(CHROMIUM, os.X_OK):
        unavailable(f"no browser at {CHROMIUM}: {SETUP}")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGUMENTS, headless=True)
