"""Questions as a page shows them (in one language, with the answer given so far), and a
page's posted answers read with the same checks as the JSON API's."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from assess.domain.columns import Column, EntryError, TextColumn, importance_column, read_entry
from assess.domain.questionnaire import (
    DK_VALUE,
    NA_VALUE,
    BooleanItem,
    ChoiceItem,
    Dimension,
    Importance,
    ProfileBoolean,
    ProfileChoice,
    ProfileQuestion,
    ProfileScale,
    ProfileText,
    Questionnaire,
    ScaleItem,
    localized,
)

Gettext = Callable[[str], str]
Element = ScaleItem | ChoiceItem | BooleanItem | ProfileQuestion


@dataclass(frozen=True)
class Choice:
    """One radio button: its value, its text and (for scale points) the number."""

    value: str
    label: str
    point: str = ""


@dataclass(frozen=True)
class Question:
    """A question on a page: a radio group or a text field, with its answer so far."""

    id: str
    text: str
    help: str
    kind: Literal["radio", "text", "fixed"]  # fixed: shown, not asked
    choices: tuple[Choice, ...]
    on_scale: bool
    not_applicable: Choice | None
    max_length: int | None
    value: str
    error: str | None = None
    dont_know: Choice | None = None  # "can't judge", where the item offers it
    lead_only: bool = False  # asked of the lead respondent only
    importance: bool = False  # the importance of the page's level

    def answer(self) -> str | None:
        """The answer as the respondent chose it, in words; None when unanswered."""
        if not self.value:
            return None
        if self.kind == "text":
            return self.value
        for choice in (*self.choices, self.not_applicable, self.dont_know):
            if choice is not None and choice.value == self.value:
                return " – ".join(part for part in (choice.point, choice.label) if part)
        return self.value


def form_value(stored: Any) -> str:
    """A stored answer as a form field holds it: 4.0 -> "4", True -> "yes"."""
    if stored is None:
        return ""
    if isinstance(stored, bool):
        return "yes" if stored else "no"
    if isinstance(stored, float) and stored.is_integer():
        return str(int(stored))
    return str(stored)


def question_of(
    questionnaire: Questionnaire,
    element: Element,
    language: str,
    _: Gettext,
    value: str = "",
    error: str | None = None,
) -> Question:
    """A question of the questionnaire as a page shows it."""
    allows_na = getattr(element, "allow_na", False)
    choices: tuple[Choice, ...] = ()
    if isinstance(element, ScaleItem | ProfileScale):
        choices = _scale_points(questionnaire, element, language)
    elif isinstance(element, ChoiceItem | ProfileChoice):
        choices = tuple(Choice(o.value, localized(o.label, language)) for o in element.options)
    elif isinstance(element, BooleanItem | ProfileBoolean):
        choices = (Choice("yes", _("Yes")), Choice("no", _("No")))
    text = isinstance(element, ProfileText)
    return Question(
        id=element.id,
        text=localized(element.text, language),
        help=localized(element.help, language),
        kind="text" if text else "radio",
        choices=choices,
        on_scale=isinstance(element, ScaleItem | ProfileScale),
        not_applicable=Choice(NA_VALUE, _("Not applicable")) if allows_na else None,
        max_length=element.max_length if isinstance(element, ProfileText) else None,
        value=value,
        error=error,
        dont_know=Choice(DK_VALUE, _("Can't judge"))
        if getattr(element, "allow_dont_know", False)
        else None,
        lead_only=getattr(element, "informant", "all") == "lead",
    )


def importance_question(
    importance: Importance,
    dimension: Dimension,
    language: str,
    value: str = "",
    error: str | None = None,
) -> Question:
    """The question how important a level is, on the questionnaire's importance scale."""
    return Question(
        id=importance_column(dimension.id),
        text=localized(importance.text, language),
        help="",
        kind="radio",
        choices=tuple(
            Choice(str(point), localized(importance.labels.get(point), language), str(point))
            for point in range(importance.min, importance.max + 1)
        ),
        on_scale=True,
        not_applicable=None,
        max_length=None,
        value=value,
        error=error,
        importance=True,
    )


def _scale_points(
    questionnaire: Questionnaire, element: ScaleItem | ProfileScale, language: str
) -> tuple[Choice, ...]:
    low, high = questionnaire.scale_of(element)
    labels = element.labels
    if labels is None and element.min is None and element.max is None and questionnaire.scale:
        labels = questionnaire.scale.labels  # the questionnaire's scale, labelled there
    labels = labels or {}
    return tuple(
        Choice(str(point), localized(labels.get(point), language), str(point))
        for point in range(low, high + 1)
    )


@dataclass(frozen=True)
class PageAnswers:
    """What a page sent: answers that fit (empty ones left out) and the questions whose
    answer did not, with the value as sent."""

    answers: dict[str, Any]
    profile: dict[str, Any]
    refused: dict[str, str]


def read_page(
    fields: Mapping[str, str], ids: list[str], columns: Mapping[str, Column]
) -> PageAnswers:
    """The answers of one page's questions, each checked by `read_entry` on its own so
    that a problem stays with its question; fields of other questions are ignored."""
    answers: dict[str, Any] = {}
    profile: dict[str, Any] = {}
    refused: dict[str, str] = {}
    for question in ids:
        raw = fields.get(question, "")
        try:
            given, about = read_entry({question: raw}, columns)
        except EntryError:
            refused[question] = raw
            continue
        answers |= given
        profile |= about
    return PageAnswers(answers, profile, refused)


def refusal(column: Column, sent: str, _: Gettext) -> str:
    """Why an answer was not taken, in the respondent's language."""
    if isinstance(column, TextColumn) and len(sent) > column.max_length:
        return _("Please shorten this to %(limit)s characters; it has %(count)s.") % {
            "limit": column.max_length,
            "count": len(sent),
        }
    if isinstance(column, TextColumn):
        return _("This text holds characters that cannot be saved; please remove them.")
    return _("Please choose one of the answers shown.")


def merged(
    stored: Mapping[str, Any], page: Mapping[str, Any], ids: list[str], refused: Mapping[str, str]
) -> dict[str, Any]:
    """Stored answers with this page's replaced: a question left empty loses its answer,
    one whose answer was refused keeps the stored one."""
    kept = {k: v for k, v in stored.items() if k not in ids or k in refused}
    return kept | dict(page)
