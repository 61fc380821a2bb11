"""Numbers as people read them: one decimal, with a decimal comma in German."""

from __future__ import annotations


def score_text(value: float | None, language: str, missing: str = "–") -> str:
    """A score with one decimal (60.6 / 60,6); `missing` where there is no score."""
    if value is None:
        return missing
    text = f"{value:.1f}"
    return text.replace(".", ",") if language == "de" else text
