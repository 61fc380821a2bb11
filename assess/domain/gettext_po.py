"""Translations read straight from a gettext `.po` file, so no compiled `.mo` file is
kept in the repository beside its source."""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations


def translations_of(locale_dir: Path, language: str) -> NullTranslations:
    """The catalogue `locale_dir/<language>/LC_MESSAGES/messages.po`; none: no translation."""
    po = locale_dir / language / "LC_MESSAGES" / "messages.po"
    if not po.exists():
        return NullTranslations()
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)
