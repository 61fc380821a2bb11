"""The research export's table, generated from a questionnaire: its columns, and per
respondent its cells, scored by the scoring engine.

One row per submitted response: a pseudonym of the organisation and of the respondent
(keyed hashes, new for every export, see `Pseudonyms`), the organisation's attributes, the
profile answers (never free text), each item's answer and its status (answered, or why it
is empty), each dimension's score and the overall score. Profile answers given by fewer
than `MIN_GROUP_RESPONDENTS` respondents of an organisation are blanked, and so are all of
a row's where those left pick out fewer than `MIN_GROUP_RESPONDENTS` together: no small
group stands out (the rule of the results' breakdowns within one organisation).
Column names are valid variable names everywhere (see `assess.domain.variables`).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from assess.domain.answers import chunks_of, from_stored
from assess.domain.grouping import MIN_GROUP_RESPONDENTS
from assess.domain.questionnaire import (
    NA_VALUE,
    BooleanItem,
    ChoiceItem,
    ProfileBoolean,
    ProfileChoice,
    ProfileScale,
    ProfileText,
    Questionnaire,
    ScaleItem,
)
from assess.domain.scoring import overall_score, table_from_chunks
from assess.domain.variables import STATUS_SUFFIX, variable_name

ATTRIBUTES = ("industry", "size", "country")
PSEUDONYM_LENGTH = 16  # hex digits: 64 bits, no collision in practice at millions of rows
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what spreadsheets may run as a formula

Kind = Literal["organisation", "respondent", "attribute", "profile", "item", "status", "score"]
Cell = str | float | bool | None


@dataclass(frozen=True)
class ExportColumn:
    """One column: its name, what it holds, its type, and its values with their labels."""

    name: str
    kind: Kind
    label: dict[str, str]
    numeric: bool
    values: tuple[tuple[str, dict[str, str]], ...] = ()
    question: Any = field(default=None, compare=False)
    hidden_below: int | None = None  # blanked where fewer respondents share the answer


def export_columns(questionnaire: Questionnaire) -> list[ExportColumn]:
    """The columns of a research export of this questionnaire, in order."""
    both = dict.fromkeys(("de", "en"), "")
    columns = [
        ExportColumn("organisation", "organisation", both, False),
        ExportColumn("respondent", "respondent", both, False),
    ]
    for name in ATTRIBUTES:
        question = questionnaire.profile_question(name)
        options = _options(question) if isinstance(question, ProfileChoice) else ()
        label = question.text if question is not None else both
        columns.append(ExportColumn(name, "attribute", label, False, options, question))
    for profile in profile_questions(questionnaire):
        numeric = isinstance(profile, ProfileScale)
        values = _options(profile) if isinstance(profile, ProfileChoice) else ()
        if isinstance(profile, ProfileBoolean):
            values = YES_NO
        columns.append(
            ExportColumn(
                profile.id, "profile", profile.text, numeric, values, profile, MIN_GROUP_RESPONDENTS
            )
        )
    for _, item in questionnaire.items():
        values = ()
        if isinstance(item, ChoiceItem):
            values = tuple((o.value, o.label) for o in item.options)
        elif isinstance(item, BooleanItem):
            values = YES_NO
        columns.append(
            ExportColumn(item.id, "item", item.text, isinstance(item, ScaleItem), values, item)
        )
        columns.append(ExportColumn(item.id + STATUS_SUFFIX, "status", item.text, False, (), item))
    for dimension in questionnaire.dimensions:
        columns.append(
            ExportColumn(f"score_{dimension.id}", "score", dimension.name, True, (), dimension)
        )
    columns.append(ExportColumn("score_overall", "score", OVERALL, True))
    return _unique(columns)


YES_NO = (("yes", {"de": "ja", "en": "yes"}), ("no", {"de": "nein", "en": "no"}))
OVERALL = {"de": "Gesamtwert", "en": "Overall score"}


def profile_questions(questionnaire: Questionnaire) -> list[Any]:
    """Profile questions an export holds as answered: every one but free text and the
    organisation attributes (industry, size, country), which come from the organisation."""
    return [
        p
        for p in questionnaire.profile
        if not isinstance(p, ProfileText) and not (p.scope == "organisation" and p.id in ATTRIBUTES)
    ]


def _options(question: ProfileChoice) -> tuple[tuple[str, dict[str, str]], ...]:
    return tuple((o.value, o.label) for o in question.options)


def _unique(columns: list[ExportColumn]) -> list[ExportColumn]:
    """Valid, unique variable names: an item's status is named after the item's name."""
    taken: set[str] = set()
    result: list[ExportColumn] = []
    for column in columns:
        if column.kind == "status":
            name = variable_name(result[-1].name + STATUS_SUFFIX, taken, room=0)
        else:
            name = variable_name(column.name, taken)
        result.append(column if name == column.name else _renamed(column, name))
    return result


def _renamed(column: ExportColumn, name: str) -> ExportColumn:
    return ExportColumn(
        name,
        column.kind,
        column.label,
        column.numeric,
        column.values,
        column.question,
        column.hidden_below,
    )


class Pseudonyms:
    """Keyed hashes of ids under a random 256-bit key made for one export and never kept:
    within an export an id always gets the same pseudonym, across exports never.

    A pseudonym is the first 64 bits of SHA-256(key || the id's 16 bytes). With a secret
    key and messages of one fixed length this is a pseudorandom function (length
    extension needs messages of other lengths and the whole digest), as HMAC would be,
    at one hash per id instead of two: no id can be derived or linked without the key.
    """

    def __init__(self, key: bytes | None = None) -> None:
        self.key = key if key is not None else secrets.token_bytes(32)

    def of(self, identifier: bytes) -> str:
        """The pseudonym of an id (the 16 bytes of a UUID)."""
        return hashlib.sha256(self.key + identifier).hexdigest()[:PSEUDONYM_LENGTH]


@dataclass(frozen=True)
class StoredRow:
    """A response as the export reads it: pseudonyms, attributes, stored answers and
    profile, how many respondents of its organisation share each profile answer, and how
    many share all of them that are shown."""

    organisation: str
    respondent: str
    attributes: tuple[str | None, ...]
    answers: dict[str, Any]
    profile: dict[str, Any]
    shared_by: dict[str, int]
    shown_shared_by: int


def export_rows(questionnaire: Questionnaire, rows: Sequence[StoredRow]) -> Iterator[list[Cell]]:
    """The cells of each row, in the order of `export_columns`; scores by the scoring
    engine (rules 1 to 3); an item's cell None where it has no answer, and then its
    status "na" (not applicable) or "skipped" (else None)."""
    responses = [from_stored(r.respondent, r.answers, r.profile) for r in rows]
    table = table_from_chunks(questionnaire, chunks_of(responses, questionnaire))
    profiles = profile_questions(questionnaire)
    items = [item for _, item in questionnaire.items()]
    for r, row in enumerate(rows):
        dimensions = [None if s != s else float(s) for s in table.dimensions[r].tolist()]
        cells: list[Cell] = [row.organisation, row.respondent]
        cells += [value or None for value in row.attributes]
        # Answers fewer than MIN_GROUP_RESPONDENTS share are left empty; where those shown
        # pick out fewer than that together (team and tenure, say), all of them are.
        together = row.shown_shared_by >= MIN_GROUP_RESPONDENTS
        for question in profiles:
            value = row.profile.get(question.id)
            shown = together and row.shared_by.get(question.id, 0) >= MIN_GROUP_RESPONDENTS
            cells.append(_profile_cell(question, value) if shown else None)
        for item in items:
            cells += _item_cells(item, row.answers.get(item.id))
        cells += dimensions
        cells.append(overall_score(questionnaire, dimensions))
        yield cells


def _profile_cell(question: Any, value: Any) -> Cell:
    if value is None:
        return None
    if isinstance(question, ProfileScale):
        return float(value)
    if isinstance(question, ProfileBoolean):
        return bool(value)
    return str(value)


def _item_cells(item: Any, value: Any) -> tuple[Cell, str | None]:
    """An item's cell and its status (None where it has an answer)."""
    if value is None:
        return None, "skipped"
    if value == NA_VALUE:
        return None, "na"
    if isinstance(item, ScaleItem):
        return float(value), None
    if isinstance(item, BooleanItem):
        return bool(value), None
    return str(value), None


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
