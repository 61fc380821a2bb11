"""German and English for reports: gettext catalogues read with Babel straight from the
.po files (no compile step), and numbers, percentages and dates in the reader's format
(60,6 · 1.234 · 25 % in German, 60.6 · 1,234 · 25% in English)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from babel.numbers import format_decimal, format_percent
from babel.support import NullTranslations

from assess.domain.formatting import PERCENT, date_text
from assess.domain.gettext_po import translations_of
from assess.domain.questionnaire import Stage, localized

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("de", "en")  # English is the language of the message ids
# The reports' English is British ("organisation"): so are its dates.


@dataclass(frozen=True)
class Translator:
    """Texts and numbers in one language."""

    language: str
    translations: NullTranslations

    def gettext(self, message: str) -> str:
        """A message in this language."""
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """A message in this language, singular or plural as `n` asks."""
        return self.translations.ngettext(singular, plural, n)

    def number(self, value: float | None, digits: int = 1) -> str:
        """A score as the report prints it: one decimal, "–" for none."""
        if value is None:
            return "–"
        return format_decimal(value, format="#,##0." + "0" * digits, locale=self.language)

    def count(self, value: int) -> str:
        """A whole number as the report prints it: 1.234 (German), 1,234 (English)."""
        return format_decimal(value, format="#,##0", locale=self.language)

    def signed(self, value: float | None) -> str:
        """A change, with its sign."""
        if value is None:
            return "–"
        text = self.number(abs(value))
        return ("+" if value >= 0 else "−") + text

    def percent(self, value: float | None) -> str:
        """A share (0.37) as a percentage in this language: "37 %" (German), "37%"
        (English)."""
        if value is None:
            return "–"
        return format_percent(value, format=PERCENT[self.language], locale=self.language)

    def day(self, value: date) -> str:
        """A date as the text around it spells: "6 December 2026", "6. Dezember 2026"."""
        return date_text(value, self.language)


@cache
def translator(language: str) -> Translator:
    """The translator of a report language (de or en)."""
    if language not in LANGUAGES:
        raise ValueError(f"reports are in {' or '.join(LANGUAGES)}, not '{language}'")
    return Translator(language, _catalogue(language))


def _catalogue(language: str) -> NullTranslations:
    return translations_of(LOCALE_DIR, language)


def template_helpers(words: Translator, language: str) -> dict[str, Any]:
    """What the report's template (and the results page) call: figures as `words` writes
    them, questionnaire texts and stage names in `language`."""

    def text(value: dict[str, str] | None) -> str:
        return localized(value, language) if value else ""

    def stage_name(stage: Stage | None) -> str:
        return localized(stage.name, language) if stage else "–"

    return {
        "num": words.number,
        "count": words.count,
        "signed": words.signed,
        "pct": words.percent,
        "text": text,
        "stage_name": stage_name,
    }
