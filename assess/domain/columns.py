"""Converters from raw answers (CSV cells, JSON values) to typed values, one per question."""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from typing import Any, Final, Literal

from assess.domain.questionnaire import (
    DK_VALUE,
    IMPORTANCE_PREFIX,
    LEAD_COLUMN,
    NA_VALUE,
    BooleanItem,
    ChoiceItem,
    ProfileBoolean,
    ProfileChoice,
    ProfileQuestion,
    ProfileScale,
    ProfileText,
    Questionnaire,
    ScaleItem,
)


class NotApplicable:
    """The respondent said the item does not apply; it gets no score (not zero)."""

    # A plain class, not an Enum: its identity hash keeps million-row lookups fast.
    def __repr__(self) -> str:
        return "NA"


class DontKnow:
    """The respondent cannot judge the item; it gets no score, and counts apart from N/A."""

    def __repr__(self) -> str:
        return "DK"


class Skipped:
    """An empty cell: the question was left out."""

    def __repr__(self) -> str:
        return "SKIPPED"


NA: Final = NotApplicable()
DK: Final = DontKnow()
SKIPPED: Final = Skipped()
AnswerValue = float | str | bool | NotApplicable | DontKnow
ColumnKind = Literal["item", "profile", "importance", "lead"]
ProfileValue = float | str | bool

# Unknown keys of one entry (or names of one answers file) that get a "did you mean":
# difflib compares each with every column, some 0.2 ms, and a megabyte of made-up keys
# took seconds of CPU.
HINTED = 5
# Problems of one entry told one by one; past them, how many more there are.
TOLD = 50
_TRUE = {"yes", "true", "ja", "y"}
_FALSE = {"no", "false", "nein", "n"}


class CellError(ValueError):
    """A value does not fit its question; the message says what was expected."""


class Column:
    """Converts raw values of one question; a table of common cells makes CSV fast."""

    def __init__(
        self, question_id: str, kind: ColumnKind, *, na: bool = False, dk: bool = False
    ) -> None:
        self.id = question_id
        self.kind = kind
        self.na, self.dk = na, dk
        self.cells: dict[str, Any] = {"": SKIPPED}
        # 'na' and 'dk' in any case: the answers that are no answer.
        self.specials: dict[str, Any] = {}
        if na:
            self.specials.update({NA_VALUE: NA, "n/a": NA})
        if dk:
            self.specials[DK_VALUE] = DK
        for cell, value in self.specials.items():
            self.cells.update({cell: value, cell.upper(): value})

    def special(self, cell: str) -> Any:
        """NA or DK for a cell that says so where the question allows it, else None."""
        return self.specials.get(cell.lower()) if self.specials else None

    def also(self) -> str:
        """' or 'na'' and the like: the answers that are no answer, for error messages."""
        return "".join(f" or '{v}'" for v, on in ((NA_VALUE, self.na), (DK_VALUE, self.dk)) if on)

    def convert(self, value: object) -> Any:
        """A raw CSV cell or JSON value as a typed answer, `SKIPPED` when left empty."""
        if value is None:
            return SKIPPED
        if isinstance(value, str):
            known = self.cells.get(value)
            if known is not None:
                return known
            stripped = value.strip()
            return self.parse(stripped) if stripped else SKIPPED
        return self.parse_json(value)

    def parse(self, cell: str) -> Any:
        """A trimmed, non-empty CSV cell as a typed answer; `CellError` if it does not fit."""
        raise NotImplementedError

    def parse_json(self, value: object) -> Any:
        """A JSON value that is not text as a typed answer; by default none fits."""
        raise CellError(f"expected {self.expected()}, got {value!r}")

    def expected(self) -> str:
        """What the question takes, as an error message says it."""
        raise NotImplementedError


class NumberColumn(Column):
    """A question answered with a number from `low` to `high`, perhaps 'na' or 'dk'."""

    def __init__(
        self,
        question_id: str,
        kind: ColumnKind,
        low: int,
        high: int,
        na: bool,
        *,
        dk: bool = False,
    ) -> None:
        super().__init__(question_id, kind, na=na, dk=dk)
        self.low, self.high = low, high
        self.cells.update({str(v): float(v) for v in range(low, high + 1)})

    def parse(self, cell: str) -> Any:
        """A number in the range, or 'na'/'dk' where the question allows it."""
        if (special := self.special(cell)) is not None:
            return special
        try:
            number = float(cell)
        except ValueError:
            raise CellError(f"expected {self.expected()}, got {cell!r}") from None
        return self.parse_json(number)

    def parse_json(self, value: object) -> Any:
        """A JSON number in the range."""  # 'na' and 'dk' arrive as text, through parse
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = float(value)
            if math.isfinite(number) and self.low <= number <= self.high:
                return number
        raise CellError(f"expected {self.expected()}, got {value!r}")

    def expected(self) -> str:
        """The range, and 'na'/'dk' where the question allows them."""
        return f"a number from {self.low} to {self.high}" + self.also()


class OptionColumn(Column):
    """A question answered with one of its options, perhaps 'na' or 'dk'."""

    def __init__(
        self,
        question_id: str,
        kind: ColumnKind,
        values: list[str],
        na: bool,
        *,
        dk: bool = False,
    ) -> None:
        super().__init__(question_id, kind, na=na, dk=dk)
        self.values = values
        self.folded = {v.lower(): v for v in values}
        self.cells.update({v: v for v in values})

    def parse(self, cell: str) -> Any:
        """One of the options in any case, or 'na'/'dk'; a near miss is named in the error."""
        if (special := self.special(cell)) is not None:
            return special
        if cell.lower() in self.folded:
            return self.folded[cell.lower()]
        close = difflib.get_close_matches(cell, self.values, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise CellError(f"expected {self.expected()}, got {cell!r}{hint}")

    def parse_json(self, value: object) -> Any:
        """A JSON number taken as the option it spells (options may be numbers)."""
        if isinstance(value, int | float) and not isinstance(value, bool):
            return self.parse(str(value))
        raise CellError(f"expected {self.expected()}, got {value!r}")

    def expected(self) -> str:
        """The options (the first twelve), and 'na'/'dk' where the question allows them."""
        listed = ", ".join(self.values[:12]) + (", …" if len(self.values) > 12 else "")
        return f"one of: {listed}" + "".join(
            f", {v}" for v, on in ((NA_VALUE, self.na), (DK_VALUE, self.dk)) if on
        )


class YesNoColumn(Column):
    """A question answered with yes or no, perhaps 'na' or 'dk'."""

    def __init__(self, question_id: str, kind: ColumnKind, na: bool, *, dk: bool = False) -> None:
        super().__init__(question_id, kind, na=na, dk=dk)
        self.cells.update({"yes": True, "no": False, "true": True, "false": False})

    def parse(self, cell: str) -> Any:
        """Yes or no in English or German (yes/ja/true/y, no/nein/false/n), or 'na'/'dk'."""
        lowered = cell.lower()
        if (special := self.special(cell)) is not None:
            return special
        if lowered in _TRUE or lowered in _FALSE:
            return lowered in _TRUE
        raise CellError(f"expected {self.expected()}, got {cell!r}")

    def parse_json(self, value: object) -> Any:
        """A JSON true or false."""
        if isinstance(value, bool):
            return value
        raise CellError(f"expected {self.expected()}, got {value!r}")

    def expected(self) -> str:
        """Yes or no, and 'na'/'dk' where the question allows them."""
        return "yes or no" + self.also()


class TextColumn(Column):
    """A profile question answered with free text of a limited length."""

    def __init__(self, question_id: str, max_length: int) -> None:
        super().__init__(question_id, "profile")
        self.max_length = max_length

    def parse(self, cell: str) -> Any:
        """The text, if it is short enough and holds no NUL character."""
        if len(cell) > self.max_length or "\x00" in cell:
            raise CellError(f"expected {self.expected()}, got {len(cell)} characters")
        return cell

    def expected(self) -> str:
        """The longest text allowed."""
        return f"text of at most {self.max_length} characters"


def importance_column(dimension_id: str) -> str:
    """The reserved column that holds a respondent's importance of a dimension."""
    return IMPORTANCE_PREFIX + dimension_id


def columns_of(questionnaire: Questionnaire, *, lead: bool = False) -> dict[str, Column]:
    """One column converter per profile question, item and (where the questionnaire asks
    it) dimension importance, by id; with `lead`, the lead column of answers files too."""
    columns: dict[str, Column] = {}
    for question in questionnaire.profile:
        columns[question.id] = _profile_column(questionnaire, question)
    for _, item in questionnaire.items():
        na, dk = item.allow_na, item.allow_dont_know
        if isinstance(item, ScaleItem):
            low, high = questionnaire.scale_of(item)
            columns[item.id] = NumberColumn(item.id, "item", low, high, na, dk=dk)
        elif isinstance(item, ChoiceItem):
            values = [o.value for o in item.options]
            columns[item.id] = OptionColumn(item.id, "item", values, na, dk=dk)
        elif isinstance(item, BooleanItem):
            columns[item.id] = YesNoColumn(item.id, "item", na, dk=dk)
    if questionnaire.importance is not None:
        low, high = questionnaire.importance.min, questionnaire.importance.max
        for dimension in questionnaire.dimensions:
            name = importance_column(dimension.id)
            columns[name] = NumberColumn(name, "importance", low, high, False)
    if lead:
        columns[LEAD_COLUMN] = YesNoColumn(LEAD_COLUMN, "lead", False)
    return columns


def unknown_column(
    name: str, columns: Mapping[str, Column], questionnaire: Questionnaire, *, suggest: bool = True
) -> str:
    """Why a column or key is not one of the questionnaire's, and (with `suggest`, see
    HINTED) what it may have meant."""
    if name.startswith(IMPORTANCE_PREFIX):
        if questionnaire.importance is None:
            return f"'{name}'; this questionnaire does not ask how important a level is"
        dimension = name.removeprefix(IMPORTANCE_PREFIX)
        known = ", ".join(d.id for d in questionnaire.dimensions)
        return f"'{name}'; '{dimension}' is not a level of this questionnaire ({known})"
    close = difflib.get_close_matches(name, [*columns, "respondent"], n=1) if suggest else []
    if close:
        return f"'{name}'; did you mean '{close[0]}'?"
    return f"'{name}'; it is neither an item nor a profile question of this questionnaire"


def _profile_column(questionnaire: Questionnaire, question: ProfileQuestion) -> Column:
    if isinstance(question, ProfileChoice):
        return OptionColumn(question.id, "profile", [o.value for o in question.options], False)
    if isinstance(question, ProfileScale):
        low, high = questionnaire.scale_of(question)
        return NumberColumn(question.id, "profile", low, high, False)
    if isinstance(question, ProfileBoolean):
        return YesNoColumn(question.id, "profile", False)
    assert isinstance(question, ProfileText)
    return TextColumn(question.id, question.max_length)


def read_entry(
    entry: Mapping[str, object], columns: Mapping[str, Column]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """One respondent's answers, as a web form or an API client sends them, checked and
    typed: (answers, profile) ready to store, "na" for not applicable, "dk" for can't
    judge, importance under its `importance:<dimension>` key, empty ones left out.

    Raises EntryError with one message per key that does not fit its question.
    """
    answers: dict[str, Any] = {}
    profile: dict[str, Any] = {}
    problems: list[str] = []
    unknown = 0
    for key, value in entry.items():
        column = columns.get(key)
        if column is None:
            unknown += 1
            close = difflib.get_close_matches(key, list(columns), n=1) if unknown <= HINTED else []
            hint = f"; did you mean '{close[0]}'?" if close else ""
            problems.append(f"'{key}' is not a question of this questionnaire{hint}")
            continue
        try:
            typed = column.convert(value)
        except CellError as exc:
            problems.append(f"'{key}': {exc}")
            continue
        if typed is not SKIPPED:
            (profile if column.kind == "profile" else answers)[key] = stored_value(typed)
    if problems:
        raise EntryError(_told(problems))
    return answers, profile


def _told(problems: list[str]) -> list[str]:
    """The first TOLD problems, and how many more there are."""
    if len(problems) <= TOLD:
        return problems
    return [*problems[:TOLD], f"… and {len(problems) - TOLD} more problems"]


def stored_value(typed: Any) -> Any:
    """A typed answer as JSON stores it: "na" for not applicable, "dk" for can't judge."""
    if typed is NA:
        return NA_VALUE
    if typed is DK:
        return DK_VALUE
    return typed


class EntryError(ValueError):
    """Every answer of one respondent that does not fit its question."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems
