"""Consensus answers of a workshop: the one answer an assessment's groups settle on for an
item, with the reason. After the workshop it counts as every respondent's answer to the
item, as a lead's answer does (rule 6); the answers respondents gave stay as they are.
Here: which answers an item takes as a consensus answer, checked, and said in words."""

from __future__ import annotations

import math
from dataclasses import dataclass

from assess.domain.answer_words import answer_label
from assess.domain.questionnaire import (
    DK_VALUE,
    NA_VALUE,
    BooleanItem,
    ChoiceItem,
    Questionnaire,
    ScaleItem,
)

# A rationale is a sentence or two said in the workshop, not a minute of it.
MAX_RATIONALE = 1000

Answer = int | str | bool
Item = ScaleItem | ChoiceItem | BooleanItem


class ConsensusError(ValueError):
    """A consensus answer or rationale that cannot be kept; the message names the item and
    what it takes, `reason` says which (pages word it in their language): unknown_item,
    lead_item, answer, no_rationale, long_rationale."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Consensus:
    """One item's consensus answer (as a response stores an answer) and why it was agreed."""

    item: str
    answer: Answer
    rationale: str


def settled_items(questionnaire: Questionnaire) -> list[Item]:
    """The items a workshop may settle, in questionnaire order: every one but the facts
    asked of the lead, which have one answer already."""
    return [item for _, item in questionnaire.items() if item.informant != "lead"]


def item_to_settle(questionnaire: Questionnaire, item_id: str) -> Item:
    """The item a consensus answer is for; ConsensusError for an id the questionnaire
    lacks or a fact asked of the lead."""
    item = questionnaire.item(item_id)
    if item is None:
        raise ConsensusError(
            f"{item_id!r} is not an item of questionnaire {questionnaire.id} version "
            f"{questionnaire.version}; name one of its items",
            "unknown_item",
        )
    if item.informant == "lead":
        raise ConsensusError(
            f"{item_id} is a fact asked of the lead respondent: it has one answer "
            "already, there is nothing to settle",
            "lead_item",
        )
    return item


def takes(questionnaire: Questionnaire, item: Item) -> str:
    """What an item takes as a consensus answer, as an error message says it."""
    if isinstance(item, ScaleItem):
        low, high = questionnaire.scale_of(item)
        return f"a whole number from {low} to {high}"
    if isinstance(item, ChoiceItem):
        return "one of: " + ", ".join(option.value for option in item.options)
    return "true or false"


def checked_answer(questionnaire: Questionnaire, item_id: str, answer: object) -> Answer:
    """The answer as a response stores it (a scale point, an option's value, true or
    false); ConsensusError naming the item and what it takes. "Not applicable" and
    "can't judge" settle nothing and are refused like any other answer outside it."""
    item = item_to_settle(questionnaire, item_id)
    kept = _fitting(questionnaire, item, answer)
    if kept is None:
        raise ConsensusError(
            f"{item_id} takes {takes(questionnaire, item)}; got {_shown(answer)}"
            + _no_answer_note(answer),
            "answer",
        )
    return kept


def answer_from_text(questionnaire: Questionnaire, item_id: str, text: str) -> Answer:
    """A consensus answer as a form sends it ("4", an option's value, "yes" or "no"),
    checked as `checked_answer` checks it."""
    item = item_to_settle(questionnaire, item_id)
    value: object = text.strip()
    # isdecimal, not isdigit: "²" is a digit that int() does not read.
    if isinstance(item, ScaleItem) and text.strip().lstrip("-").isdecimal():
        value = int(text.strip())
    elif isinstance(item, BooleanItem) and text.strip() in ("yes", "no"):
        value = text.strip() == "yes"
    return checked_answer(questionnaire, item_id, value)


def checked_rationale(text: str) -> str:
    """The rationale, trimmed; ConsensusError when it is empty or too long."""
    rationale = text.strip()
    if not rationale:
        raise ConsensusError(
            "say in a sentence why the workshop agreed on this answer", "no_rationale"
        )
    if len(rationale) > MAX_RATIONALE:
        raise ConsensusError(
            f"the rationale has {len(rationale)} characters; shorten it to at most {MAX_RATIONALE}",
            "long_rationale",
        )
    return rationale


def answer_value(item: Item, answer: Answer) -> str:
    """A consensus answer as a form field and an answers file write it: "4", an option's
    value, "yes" or "no"."""
    if isinstance(item, BooleanItem):
        return "yes" if answer else "no"
    return str(answer)


def consensus_label(item: Item, answer: Answer, language: str) -> str:
    """A consensus answer by its label in `language`: a scale point by its number, an
    option by its label, Ja or Nein."""
    return answer_label(item, answer_value(item, answer), language)


def _fitting(questionnaire: Questionnaire, item: Item, answer: object) -> Answer | None:
    if isinstance(item, BooleanItem):
        return answer if isinstance(answer, bool) else None
    if isinstance(answer, bool):
        return None
    if isinstance(item, ChoiceItem):
        # Options may be numbers (`value: 3`); a JSON number names the option it spells.
        spelt = str(answer) if isinstance(answer, int | str) else None
        return spelt if spelt in {option.value for option in item.options} else None
    if isinstance(answer, float) and math.isfinite(answer) and answer.is_integer():
        answer = int(answer)
    low, high = questionnaire.scale_of(item)
    return answer if isinstance(answer, int) and low <= answer <= high else None


def _shown(answer: object) -> str:
    """An answer as JSON writes it: 'text', 7, true, null."""
    if answer is None:
        return "null"
    return repr(answer) if isinstance(answer, str) else str(answer).lower()


def _no_answer_note(answer: object) -> str:
    if answer == NA_VALUE:
        return " (not applicable settles nothing)"
    if answer == DK_VALUE:
        return " (can't judge settles nothing)"
    return ""
