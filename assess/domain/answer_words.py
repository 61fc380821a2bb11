"""Answers as people read them, in the reader's language: a choice by its option's label,
yes and no, "not applicable" and "can't judge" in the glossary's words, a scale point by
its number. Reports, pages, the terminal and exports say answers this way and never
show the values an answers file holds (`cx-lead`, `yes`, `na`, `dk`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from assess.domain.questionnaire import (
    DK_VALUE,
    NA_VALUE,
    BooleanItem,
    ChoiceItem,
    ScaleItem,
    localized,
)

ANSWER_WORDS: dict[str, dict[str, str]] = {
    "yes": {"de": "Ja", "en": "Yes"},
    "no": {"de": "Nein", "en": "No"},
    NA_VALUE: {"de": "Nicht anwendbar", "en": "Not applicable"},
    DK_VALUE: {"de": "Kann ich nicht beurteilen", "en": "Can't judge"},
}
NO_ANSWER = {"de": "keine Antwort", "en": "no answer"}

Item = ScaleItem | ChoiceItem | BooleanItem


def answer_label(item: Item, value: str, language: str) -> str:
    """One answer to `item` (as an answers file writes it) in `language`'s words."""
    if value in (NA_VALUE, DK_VALUE):
        return localized(ANSWER_WORDS[value], language)
    if isinstance(item, ChoiceItem):
        option = next((o for o in item.options if o.value == value), None)
        return localized(option.label, language) if option else value
    if isinstance(item, BooleanItem) and value in ("yes", "no"):
        return localized(ANSWER_WORDS[value], language)
    return value  # a scale point says itself: 1, 2, …


def answers_text(
    item: Item,
    counts: Mapping[str, int],
    language: str,
    count: Callable[[int], str] = str,
    *,
    between: str = ": ",
) -> str:
    """How often each answer was given, in words and in the order given: "Ja: 6 · Nein: 6"
    (`between` " " for "Ja 6 · Nein 6"); `count` writes the numbers."""
    return " · ".join(
        f"{answer_label(item, value, language)}{between}{count(n)}" for value, n in counts.items()
    )


def question_label(item: Item, language: str) -> str:
    """The few words that name an item where its answers are stated: its `label`, else
    its text without the closing full stop."""
    if item.label:
        return localized(item.label, language)
    return localized(item.text, language).strip().rstrip(".").strip()


def fact_label(item: Item, score: float | None, language: str) -> str | None:
    """The lead's answer to a fact (`informant: lead`) read back from the organisation's
    item score, which is that one answer's score: a choice by the option that scores it,
    yes or no by 100 or 0. None for any other item, or where no single option fits."""
    if score is None or getattr(item, "informant", "all") != "lead":
        return None
    if isinstance(item, ChoiceItem):
        fits = [o for o in item.options if o.score == score]
        return localized(fits[0].label, language) if len(fits) == 1 else None
    if isinstance(item, BooleanItem) and score in (0.0, 100.0):
        return localized(ANSWER_WORDS["yes" if score == 100.0 else "no"], language)
    return None
