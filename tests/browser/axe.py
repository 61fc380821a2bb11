"""axe-core in the browser: run it on the page shown and fail on serious or critical
violations, naming each with its rule, impact, elements and how to fix it.

axe-core comes from the npm registry: `make browser` puts the pinned release into the
virtualenv (`axe-core/axe-<version>.min.js`); it is not part of the repository."""

from __future__ import annotations

import sys
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from tests.browser.chromium import SETUP, unavailable

ROOT = Path(__file__).parent.parent.parent
PLACES = (Path(sys.prefix) / "axe-core", ROOT / ".venv" / "axe-core")
FAILING = ("serious", "critical")


@dataclass(frozen=True)
class Violation:
    """A rule of axe-core that elements of a page break."""

    rule: str
    impact: str
    help: str
    help_url: str
    targets: tuple[str, ...]

    def __str__(self) -> str:
        where = ", ".join(self.targets)
        return f"{self.rule} ({self.impact}): {self.help} at {where} [{self.help_url}]"


@cache
def _source() -> str:
    for place in PLACES:
        found = sorted(place.glob("axe-*.min.js"))
        if found:
            return found[-1].read_text(encoding="utf-8")
    unavailable(f"no axe-core in {' or '.join(map(str, PLACES))}: {SETUP}")


def violations(page: Page) -> list[Violation]:
    """Every violation axe-core finds on the page as it is now, of any impact."""
    # Evaluated through the DevTools protocol, axe-core runs despite the pages' CSP,
    # which keeps out any script tag a test might add.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_source())
    found: list[dict[str, Any]] = page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations)"
    )
    return [
        Violation(
            rule=v["id"],
            impact=v["impact"] or "",
            help=v["help"],
            help_url=v["helpUrl"],
            targets=tuple(" >> ".join(map(str, n["target"])) for n in v["nodes"]),
        )
        for v in found
    ]


def assert_accessible(page: Page) -> None:
    """Fail unless axe-core finds nothing serious or critical on the page; milder
    violations are shown as warnings in pytest's summary."""
    found = violations(page)
    failing = [v for v in found if v.impact in FAILING]
    assert not failing, f"axe-core on {page.url}:\n" + "\n".join(f"  {v}" for v in failing)
    for violation in found:
        warnings.warn(f"axe-core on {page.url}: {violation}", stacklevel=2)
