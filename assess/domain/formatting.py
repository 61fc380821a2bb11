"""Numbers and dates as people read them: one decimal, with a decimal comma in German
(60,6; 1.234; 25 %), and English as British readers write it (60.6; 1,234; 25%); dates
written out as each language's readers expect them (7. Dezember 2026, 7 December 2026)."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime

from babel.dates import format_date, format_time
from babel.numbers import format_decimal, format_percent

# English text here is British: "6 December 2026", not "December 6, 2026".
DATE_LOCALES = {"de": "de_DE", "en": "en_GB"}
PERCENT = {"de": "#,##0 %", "en": "#,##0%"}  # whole percentages, each language's way


def score_text(value: float | None, language: str, missing: str = "–") -> str:
    """A score with one decimal (60.6 / 60,6); `missing` where there is no score."""
    if value is None:
        return missing
    text = f"{value:.1f}"
    return text.replace(".", ",") if language == "de" else text


def date_text(value: date, language: str) -> str:
    """A date written out in `language` (de: 6. Dezember 2026, en: 6 December 2026)."""
    return format_date(value, format="long", locale=DATE_LOCALES.get(language, language))


def number_text(value: float, language: str) -> str:
    """A number as written in `language`, with the decimals it has (1,5; 1.234)."""
    return format_decimal(value, locale=_locale(language))


def percent_text(share: float, language: str) -> str:
    """A share (0.25) as a whole percentage: "25 %" in German, "25%" in English."""
    return format_percent(
        share, format=PERCENT.get(language, PERCENT["en"]), locale=_locale(language)
    )


def moment_text(value: datetime, language: str, *, seconds: bool = False) -> str:
    """A moment in UTC, its day written out and its time on the 24-hour clock:
    "7. Dezember 2026, 14:05" or "7 December 2026, 14:05"."""
    moment = value.astimezone(UTC) if value.tzinfo else value
    clock = format_time(moment, "HH:mm:ss" if seconds else "HH:mm", locale=_locale(language))
    return f"{date_text(moment.date(), language)}, {clock}"


def _locale(language: str) -> str:
    return DATE_LOCALES.get(language, language)


def slug(text: str) -> str:
    """Plain ASCII letters, digits and hyphens, for file names any system accepts."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower()[:60]
