"""Numbers and dates as people read them: one decimal, with a decimal comma in German;
dates written out as each language's readers expect them."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from babel.dates import format_date

# English text here is British: "6 December 2026", not "December 6, 2026".
DATE_LOCALES = {"de": "de_DE", "en": "en_GB"}


def score_text(value: float | None, language: str, missing: str = "–") -> str:
    """A score with one decimal (60.6 / 60,6); `missing` where there is no score."""
    if value is None:
        return missing
    text = f"{value:.1f}"
    return text.replace(".", ",") if language == "de" else text


def date_text(value: date, language: str) -> str:
    """A date written out in `language` (de: 6. Dezember 2026, en: 6 December 2026)."""
    return format_date(value, format="long", locale=DATE_LOCALES.get(language, language))


def slug(text: str) -> str:
    """Plain ASCII letters, digits and hyphens, for file names any system accepts."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower()[:60]
