"""The pages' languages: which one a visitor gets, their gettext catalogues (read with
Babel straight from the .po files, English being the language of the message ids) and a
Jinja2 environment per language."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from pathlib import Path

from babel.core import negotiate_locale
from babel.support import NullTranslations
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from assess.domain.formatting import date_text, number_text, percent_text
from assess.domain.gettext_po import translations_of

LANGUAGES = ("de", "en")
NAMES = {"de": "Deutsch", "en": "English"}
LOCALE_DIR = Path(__file__).parent.parent / "locale"
TEMPLATES_DIR = Path(__file__).parent.parent / "templates"
MAX_ACCEPT_LANGUAGE = 500  # longer headers are read no further


def choose_language(
    requested: str | None,
    accept_language: str | None,
    fallback: str,
    offered: Sequence[str] = LANGUAGES,
) -> str:
    """`?lang=` if it names one of the `offered` languages of the pages, else the
    browser's preference (Accept-Language) among them, else `fallback`."""
    if requested is not None and requested in offered:
        return requested
    preferred = _preferences(accept_language or "")
    chosen = negotiate_locale(preferred, list(offered), sep="-") if preferred else None
    if chosen is not None and chosen in offered:
        return chosen
    return fallback if fallback in LANGUAGES else "en"


def _preferences(header: str) -> list[str]:
    """Languages of an Accept-Language header, the most wanted first (q=0 left out)."""
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header[:MAX_ACCEPT_LANGUAGE].split(",")):
        name, _, parameters = part.strip().partition(";")
        quality = 1.0
        if parameters.strip().startswith("q="):
            try:
                quality = float(parameters.strip()[2:])
            except ValueError:
                quality = 0.0
        if name and name != "*" and quality > 0:
            weighted.append((-quality, position, name.lower()))
    preferred = [name for _, _, name in sorted(weighted)]
    # "de-AT" alone should still find "de"
    return preferred + [name.split("-")[0] for name in preferred if "-" in name]


@cache
def translations(language: str) -> NullTranslations:
    """The gettext catalogue of a language (English needs none)."""
    return translations_of(LOCALE_DIR, language)


@cache
def environment(language: str) -> Environment:
    """Templates that speak `language`; everything inserted is escaped."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        # The templates ship with the code and change only with it: checking their files
        # for changes on every page (a stat call for each of three) would only cost time.
        auto_reload=False,
        autoescape=select_autoescape(["html", "j2"]),
        extensions=["jinja2.ext.i18n", "jinja2.ext.do"],
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.globals["language_names"] = NAMES
    env.filters["moment"] = lambda value: moment(value, language)
    env.filters["number"] = lambda value: number_text(value, language)  # 1,5 · 1.234
    env.filters["percent"] = lambda share: percent_text(share, language)  # 25 % · 25%
    return env


def moment(value: datetime, language: str) -> str:
    """The day of a moment as people of `language` write it ("25. November 2026")."""
    return date_text(value.date(), language)
