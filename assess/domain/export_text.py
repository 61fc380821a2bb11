"""Export cells as text, as PostgreSQL's COPY writes them in CSV: numbers as float8
prints them, yes/no, and text that spreadsheets would run as a formula defused."""

from __future__ import annotations

import re
from collections.abc import Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what spreadsheets may run as a formula

Cell = str | float | bool | None


def number_text(value: float) -> str:
    """A number as PostgreSQL prints a float8: the shortest digits that read back as the
    same float, no ".0" on whole numbers, exponents from 1e15 and below 1e-4."""
    text = repr(value)
    if "e" in text:
        mantissa, _, exponent = text.partition("e")
        return f"{mantissa}e{exponent[0]}{int(exponent[1:]):02d}"
    if abs(value) >= 1e15:
        whole, _, fraction = text.lstrip("-").partition(".")
        digits = (whole + fraction).rstrip("0")
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{'-' if value < 0 else ''}{mantissa}e+{len(whole) - 1:02d}"
    return text[:-2] if text.endswith(".0") else text


def cell_text(value: Cell) -> str:
    """A cell as CSV text: numbers by `number_text`, yes/no, formula starts defused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return number_text(value)
    return defused(value)


def defused(text: str) -> str:
    """Text a spreadsheet would run as a formula gets a leading apostrophe (OWASP)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


_NEEDS_QUOTES = re.compile(r'[,"\r\n]')


def csv_line(cells: Sequence[Cell]) -> str:
    """One CSV line as PostgreSQL's COPY writes it: quotes only where needed, LF at the end."""
    parts = []
    for cell in cells:
        text = cell_text(cell)
        if _NEEDS_QUOTES.search(text):
            text = '"' + text.replace('"', '""') + '"'
        parts.append(text)
    return ",".join(parts) + "\n"
