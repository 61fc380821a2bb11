"""Answers files (CSV and JSON): one respondent per row, every cell checked.

CSV is read in chunks of rows and converted column by column: each column looks its
cells up in a table of the values it has seen, and only cells it does not know are
parsed one by one. A file with any bad cell is refused whole, with every problem.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from assess.domain.columns import (
    NA,
    SKIPPED,
    AnswerValue,
    CellError,
    Column,
    NotApplicable,
    ProfileValue,
    columns_of,
)
from assess.domain.questionnaire import Questionnaire

__all__ = [
    "NA",
    "SKIPPED",
    "AnswerValue",
    "AnswersError",
    "Chunk",
    "Convert",
    "NotApplicable",
    "ProfileValue",
    "Response",
    "chunks_of",
    "iter_answers",
    "iter_chunks",
    "read_answers",
    "typed",
]

MAX_ERRORS = 50
# Small chunks keep the rows in the CPU cache while they are transposed: measured
# fastest around 500 rows (bench/scoring.py).
CHUNK_ROWS = 512


@dataclass(frozen=True)
class Response:
    """One respondent's answers: item id -> value, profile id -> value; skipped ids absent."""

    respondent: str
    answers: dict[str, AnswerValue] = field(default_factory=dict)
    profile: dict[str, ProfileValue] = field(default_factory=dict)


Convert = Callable[[str, Any], Any]
"""What a reader's caller wants of each typed value: (question id, typed value) -> result."""


def typed(question: str, value: Any) -> Any:
    """The identity conversion: keep the typed values (SKIPPED where left empty)."""
    return value


@dataclass(frozen=True)
class Chunk:
    """Consecutive respondents as columns of converted values, one list per question.

    Readers convert each distinct cell once and map whole columns through the result,
    so a million rows cost a dictionary lookup a cell, not a parse.
    """

    respondents: list[str]
    values: dict[str, list[Any]]

    def responses(self, questionnaire: Questionnaire) -> Iterator[Response]:
        """One response per respondent; for chunks read with the `typed` conversion."""
        profile_ids = {q.id for q in questionnaire.profile}
        for r, name in enumerate(self.respondents):
            answers: dict[str, AnswerValue] = {}
            profile: dict[str, ProfileValue] = {}
            for question, values in self.values.items():
                value = values[r]
                if value is SKIPPED:
                    continue
                if question in profile_ids:
                    profile[question] = value
                else:
                    answers[question] = value
            yield Response(name, answers, profile)


class AnswersError(Exception):
    """Every problem found in an answers file; nothing of it was accepted."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = problems[:MAX_ERRORS]
        more = len(problems) - len(shown)
        super().__init__("\n".join(shown) + (f"\n… and {more} more problems" if more else ""))


def read_answers(
    raw: bytes, questionnaire: Questionnaire, *, file: str = "answers", kind: str | None = None
) -> list[Response]:
    """All responses of a CSV or JSON answers file, or AnswersError with every problem."""
    return list(iter_answers(raw, questionnaire, file=file, kind=kind))


def iter_answers(
    raw: bytes, questionnaire: Questionnaire, *, file: str = "answers", kind: str | None = None
) -> Iterator[Response]:
    """Responses one by one; raises AnswersError (at the latest at the end) if any is wrong."""
    for chunk in iter_chunks(raw, questionnaire, file=file, kind=kind):
        yield from chunk.responses(questionnaire)


def iter_chunks(
    raw: bytes,
    questionnaire: Questionnaire,
    *,
    file: str = "answers",
    kind: str | None = None,
    convert: Convert = typed,
) -> Iterator[Chunk]:
    """Validated chunks of a CSV or JSON answers file (JSON detected by its first character)."""
    text = _decode(raw, file)
    if not text.strip():
        raise AnswersError(
            [f"{file}: the file is empty; expected a header row starting with 'respondent'"]
        )
    if kind == "json" or (kind is None and text.lstrip()[:1] in "[{"):
        return _json_chunks(text, questionnaire, file, convert)
    return _csv_chunks(text, questionnaire, file, convert)


def _decode(raw: bytes, file: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise AnswersError(
            [
                f"{file}: line {line} is not UTF-8 text (byte 0x{raw[exc.start]:02x}); "
                "save the file as UTF-8 (in Excel: 'CSV UTF-8')"
            ]
        ) from None


def _resolve_columns(names: Sequence[str], columns: dict[str, Column], file: str) -> list[Column]:
    """Header names as columns, in file order, without the respondent column."""
    problems = []
    resolved: list[Column] = []
    seen: set[str] = set()
    for position, raw_name in enumerate(names, start=1):
        name = raw_name.strip()
        if name in seen:
            problems.append(f"{file}: column {position} '{name}' appears twice")
        seen.add(name)
        if name in columns:
            resolved.append(columns[name])
        elif name != "respondent":
            close = difflib.get_close_matches(name, [*columns, "respondent"], n=1)
            hint = (
                f"; did you mean '{close[0]}'?"
                if close
                else ("; it is neither an item nor a profile question of this questionnaire")
            )
            problems.append(f"{file}: unknown column {position} '{name}'{hint}")
    if "respondent" not in seen:
        problems.append(f"{file}: the header row needs a 'respondent' column")
    if problems:
        raise AnswersError(problems)
    return resolved


def _csv_chunks(
    text: str, questionnaire: Questionnaire, file: str, convert: Convert
) -> Iterator[Chunk]:
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header = next(reader)
    columns = _resolve_columns(header, columns_of(questionnaire), file)
    respondent_at = [h.strip() for h in header].index("respondent")
    data_at = [i for i in range(len(header)) if i != respondent_at]
    problems: list[str] = []
    seen: set[str] = set()
    luts: dict[str, dict[Hashable, Any]] = {
        c.id: {cell: convert(c.id, value) for cell, value in c.cells.items()} for c in columns
    }
    line = 2
    while len(problems) <= MAX_ERRORS:
        try:
            rows = list(islice(reader, CHUNK_ROWS))
        except csv.Error as exc:
            problems.append(f"{file}: row {reader.line_num} is not valid CSV ({exc})")
            break
        if not rows:
            break
        lines = list(range(line, line + len(rows)))
        line += len(rows)
        if len(set(map(len, rows))) != 1 or len(rows[0]) != len(header):
            lines, rows = _complete_rows(lines, rows, len(header), file, problems)
        cells = list(zip(*rows, strict=True)) if rows else [()] * len(header)
        names = list(map(str.strip, cells[respondent_at]))
        _check_names(names, lines, seen, file, problems)
        values = {
            column.id: _column_values(
                column, luts[column.id], cells[at], convert, (lines, names, file, problems)
            )
            for column, at in zip(columns, data_at, strict=True)
        }
        if not problems:
            yield Chunk(names, values)
    if problems:
        raise AnswersError(problems)


def _complete_rows(
    lines: list[int], rows: list[list[str]], width: int, file: str, problems: list[str]
) -> tuple[list[int], list[list[str]]]:
    """Rows of the header's width; blank lines dropped, short or long rows reported."""
    kept_lines, kept = [], []
    for line, row in zip(lines, rows, strict=True):
        if len(row) == width:
            kept_lines.append(line)
            kept.append(row)
        elif any(cell.strip() for cell in row):
            problems.append(f"{file}: row {line} has {len(row)} cells; the header has {width}")
    return kept_lines, kept


def _check_names(
    names: list[str], lines: list[int], seen: set[str], file: str, problems: list[str]
) -> None:
    before = len(seen)
    seen.update(names)
    if len(seen) - before == len(names) and all(names):
        return
    seen.difference_update(names)
    for line, name in zip(lines, names, strict=True):
        if not name:
            problems.append(
                f"{file}: row {line}: 'respondent' is empty; give every row a unique label"
            )
        elif name in seen:
            problems.append(f"{file}: row {line}: respondent '{name}' appears twice")
        seen.add(name)


def _column_values(
    column: Column,
    lut: dict[Hashable, Any],
    cells: Sequence[Any],
    convert: Convert,
    context: tuple[Sequence[int | str], list[str], str, list[str]],
) -> list[Any]:
    """Map a column through its table of known cells; parse or report the cells it lacks."""
    try:
        return list(map(lut.__getitem__, cells))
    except KeyError:
        pass
    lines, names, file, problems = context
    for cell in set(cells).difference(lut):
        try:
            lut[cell] = convert(column.id, column.convert(cell))
        except CellError:
            continue
        column.cells.setdefault(cell, lut[cell])
    for r, cell in enumerate(cells):
        if cell not in lut:
            try:
                column.convert(cell)
            except CellError as exc:
                problems.append(
                    f"{file}: {_where(lines[r])}, column '{column.id}' "
                    f"(respondent {names[r]}): {exc}"
                )
    return [lut.get(cell) for cell in cells]


def _where(line: int | str) -> str:
    return f"row {line}" if isinstance(line, int) else line


def _json_chunks(
    text: str, questionnaire: Questionnaire, file: str, convert: Convert
) -> Iterator[Chunk]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise AnswersError(
            [f"{file}: line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})"]
        ) from None
    if isinstance(data, dict) and isinstance(data.get("responses"), list):
        data = data["responses"]
    if not isinstance(data, list):
        raise AnswersError(
            [f'{file}: expected a list of respondents, [{{"respondent": "r1", "item-id": 4}}]']
        )
    columns = columns_of(questionnaire)
    problems: list[str] = []
    entries: list[dict[str, object]] = []
    places: list[str] = []
    for number, entry in enumerate(data, start=1):
        where = f"entry {number}"
        if not isinstance(entry, dict):
            problems.append(f"{file}: {where}: expected an object with 'respondent' and answers")
            continue
        for key in entry:
            if key != "respondent" and key not in columns:
                close = difflib.get_close_matches(str(key), list(columns), n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                problems.append(f"{file}: {where}: unknown key '{key}'{hint}")
        entries.append(entry)
        places.append(where)
    raw_names = [e.get("respondent") for e in entries]
    names = [str(n).strip() if isinstance(n, str | int) else "" for n in raw_names]
    _check_json_names(names, places, file, problems)
    values: dict[str, list[Any]] = {}
    for question, column in columns.items():
        typed_values = []
        for where, name, entry in zip(places, names, entries, strict=True):
            try:
                typed_values.append(column.convert(entry.get(question)))
            except CellError as exc:
                problems.append(f"{file}: {where}, key '{question}' (respondent {name}): {exc}")
                typed_values.append(SKIPPED)
        values[question] = _converted(question, typed_values, convert)
    if problems:
        raise AnswersError(problems)
    yield Chunk(names, values)


def _converted(question: str, values: list[Any], convert: Convert) -> list[Any]:
    """Convert typed values, each distinct one once (one type per column: no collisions)."""
    lut = {value: convert(question, value) for value in set(values)}
    return list(map(lut.__getitem__, values))


def _check_json_names(names: list[str], places: list[str], file: str, problems: list[str]) -> None:
    seen: set[str] = set()
    for where, name in zip(places, names, strict=True):
        if not name:
            problems.append(f"{file}: {where}: 'respondent' is missing; give every entry a label")
        elif name in seen:
            problems.append(f"{file}: {where}: respondent '{name}' appears twice")
        seen.add(name)


def chunks_of(
    responses: Iterable[Response], questionnaire: Questionnaire, convert: Convert = typed
) -> Iterator[Chunk]:
    """Typed responses (from a database, say) as chunks, the shape scoring reads."""
    ids = [q.id for q in questionnaire.profile] + questionnaire.item_ids()
    remaining = iter(responses)
    while batch := list(islice(remaining, CHUNK_ROWS)):
        values = {
            i: _converted(i, [r.answers.get(i, r.profile.get(i, SKIPPED)) for r in batch], convert)
            for i in ids
        }
        yield Chunk([r.respondent for r in batch], values)
