"""Answers files (CSV and JSON): one respondent per row, every cell checked.

Each column of answers is held as its distinct values plus one integer code per
respondent. pandas' C parser produces exactly that for CSV (categorical columns),
so a file of a million rows never makes a Python object per cell; each distinct
cell is parsed and checked once. A file with any bad cell is refused whole.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import re
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from assess.domain.columns import (
    NA,
    SKIPPED,
    AnswerValue,
    CellError,
    Column,
    NotApplicable,
    ProfileValue,
    Skipped,
    columns_of,
)
from assess.domain.questionnaire import NA_VALUE, Questionnaire

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "NA",
    "SKIPPED",
    "AnswerValue",
    "AnswersError",
    "Chunk",
    "Coded",
    "NotApplicable",
    "ProfileValue",
    "Response",
    "Skipped",
    "chunks_of",
    "from_stored",
    "iter_chunks",
    "read_answers",
    "to_stored",
]

MAX_ERRORS = 50
CHUNK_ROWS = 100_000
# Text no database stores, which JSON can still hold as escapes.
_NUL_OR_SURROGATE = re.compile("[\x00\ud800-\udfff]")
Codes = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Response:
    """One respondent's answers: item id -> value, profile id -> value; skipped ids absent."""

    respondent: str
    answers: dict[str, AnswerValue] = field(default_factory=dict)
    profile: dict[str, ProfileValue] = field(default_factory=dict)


@dataclass(frozen=True)
class Coded:
    """A column of answers: its distinct typed values, and per respondent the index of
    its value (-1 where the cell was left empty)."""

    values: list[Any]
    codes: Codes

    @classmethod
    def of(cls, typed: Sequence[Any]) -> Coded:
        """Code a list of typed values (one type per column, so no two values collide)."""
        index: dict[Any, int] = {}
        for value in typed:
            index.setdefault(value, len(index))
        codes = np.fromiter(map(index.__getitem__, typed), np.int64, len(typed))
        return cls(list(index), codes)

    def lookup(self, results: Sequence[Any], empty: Any) -> npt.NDArray[Any]:
        """Per respondent, the result of its value (`results` parallel to `values`)."""
        # Code -1 picks the last element: the result for an empty cell.
        table = np.empty(len(results) + 1, dtype=object)
        table[:-1] = results
        table[-1] = empty
        return table[self.codes]

    def typed(self) -> list[Any]:
        """The typed value of every respondent (SKIPPED where left empty)."""
        typed: list[Any] = self.lookup(self.values, SKIPPED).tolist()
        return typed


@dataclass(frozen=True)
class Chunk:
    """Consecutive respondents and their coded answers, by question id."""

    respondents: list[str]
    columns: dict[str, Coded]

    def responses(self, questionnaire: Questionnaire) -> Iterator[Response]:
        """One typed response per respondent."""
        profile_ids = {q.id for q in questionnaire.profile}
        typed = {question: coded.typed() for question, coded in self.columns.items()}
        for r, name in enumerate(self.respondents):
            answers: dict[str, AnswerValue] = {}
            profile: dict[str, ProfileValue] = {}
            for question, values in typed.items():
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
    return [
        response
        for chunk in iter_chunks(raw, questionnaire, file=file, kind=kind)
        for response in chunk.responses(questionnaire)
    ]


def iter_chunks(
    raw: bytes, questionnaire: Questionnaire, *, file: str = "answers", kind: str | None = None
) -> Iterator[Chunk]:
    """Checked chunks of a CSV or JSON answers file (JSON recognised by `[` or `{`).

    Problems are raised as one AnswersError once the whole file has been read, so a
    consumer that keeps what it got before the error must discard it.
    """
    text = _decode(raw, file)
    if not text.strip():
        raise AnswersError(
            [f"{file}: the file is empty; expected a header row starting with 'respondent'"]
        )
    if kind == "json" or (kind is None and text.lstrip()[:1] in "[{"):
        return _json_chunks(text, questionnaire, file)
    return _csv_chunks(text, questionnaire, file)


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
    for position, name in enumerate(names, start=1):
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
                else "; it is neither an item nor a profile question of this questionnaire"
            )
            problems.append(f"{file}: unknown column {position} '{name}'{hint}")
    if "respondent" not in seen:
        problems.append(f"{file}: the header row needs a 'respondent' column")
    if problems:
        raise AnswersError(problems)
    return resolved


_FIELDS = re.compile(r"line (\d+): expected (\d+) fields, saw (\d+)")


def _csv_chunks(text: str, questionnaire: Questionnaire, file: str) -> Iterator[Chunk]:
    # Imported here: a process that only scores or reports stored answers (a report
    # worker) never reads CSV, and pandas is some 40 MB of it.
    import pandas as pd

    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    header = [name.strip() for name in next(csv.reader([first_line], delimiter=delimiter))]
    columns = _resolve_columns(header, columns_of(questionnaire), file)
    problems: list[str] = _long_first_row(text, delimiter, len(header), file)
    seen: set[str] = set()
    row = 2  # the header is row 1, as in a spreadsheet
    with warnings.catch_warnings(record=True) as skipped_rows:
        warnings.simplefilter("always", pd.errors.ParserWarning)
        try:
            reader = pd.read_csv(
                io.StringIO(text),
                sep=delimiter,
                header=0,
                names=header,
                dtype={n: ("object" if n == "respondent" else "category") for n in header},
                keep_default_na=False,
                na_values=[""],
                skip_blank_lines=False,
                index_col=False,
                on_bad_lines="warn",
                engine="c",
                chunksize=CHUNK_ROWS,
            )
            for frame in reader:
                rows = _row_numbers(row, len(frame), _skipped(skipped_rows))
                row = int(rows[-1]) + 1 if len(rows) else row
                blank = frame.isna().all(axis=1).to_numpy()
                if blank.any():
                    frame, rows = frame[~blank], rows[~blank]
                names = _names(frame["respondent"].tolist(), rows, seen, file, problems)
                coded = {c.id: _coded(c, frame[c.id], rows, names, file, problems) for c in columns}
                if len(problems) > MAX_ERRORS:
                    break
                if not problems:
                    yield Chunk(names, coded)
        except (pd.errors.ParserError, csv.Error, ValueError) as exc:
            detail = str(exc).split("C error: ")[-1].strip()
            problems.append(f"{file}: not valid CSV ({detail})")
    problems += [
        f"{file}: row {line} has {cells} cells; the header has {width}"
        for line, (width, cells) in _skipped(skipped_rows).items()
    ]
    if problems:
        problems.sort(key=_row_of)
        raise AnswersError(problems)


def _long_first_row(text: str, delimiter: str, width: int, file: str) -> list[str]:
    """pandas reports rows longer than the header, except the first, which it would take
    for an index column; this checks that one."""
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        next(rows)
        first = next(rows, [])
    except csv.Error:
        return []  # pandas reports the same problem with its line
    if len(first) > width and any(cell.strip() for cell in first[width:]):
        return [f"{file}: row 2 has {len(first)} cells; the header has {width}"]
    return []


def _row_of(problem: str) -> int:
    match = re.search(r": row (\d+)", problem)
    return int(match[1]) if match else 0


def _skipped(caught: list[warnings.WarningMessage]) -> dict[int, tuple[int, int]]:
    """Rows pandas skipped for their number of cells: row -> (expected, found)."""
    found = {}
    for warning in caught:
        for match in _FIELDS.finditer(str(warning.message)):
            found[int(match[1])] = (int(match[2]), int(match[3]))
    return found


def _row_numbers(first: int, count: int, skipped: dict[int, Any]) -> npt.NDArray[np.int64]:
    """Spreadsheet rows of the next `count` records, stepping over skipped rows."""
    if not skipped:
        return np.arange(first, first + count, dtype=np.int64)
    rows: list[int] = []
    row = first
    while len(rows) < count:
        if row not in skipped:
            rows.append(row)
        row += 1
    return np.array(rows, dtype=np.int64)


def _names(
    raw: list[object], rows: npt.NDArray[Any], seen: set[str], file: str, problems: list[str]
) -> list[str]:
    names = [n.strip() if isinstance(n, str) else "" for n in raw]
    before = len(seen)
    seen.update(names)
    if len(seen) - before == len(names) and "" not in seen:
        return names
    seen.difference_update(names)
    for row, name in zip(rows.tolist(), names, strict=True):
        if not name:
            problems.append(f"{file}: row {row}: 'respondent' is empty; give every row a label")
        elif name in seen:
            problems.append(f"{file}: row {row}: respondent '{name}' appears twice")
        seen.add(name)
    return names


def _coded(
    column: Column,
    cells: pd.Series,
    rows: npt.NDArray[Any],
    names: list[str],
    file: str,
    problems: list[str],
) -> Coded:
    """Check each distinct cell of a categorical column once; report the rows of bad ones."""
    categories: list[str] = cells.cat.categories.tolist()
    codes: Codes = cells.cat.codes.to_numpy().astype(np.int64)
    values: list[Any] = []
    for k, cell in enumerate(categories):
        known = column.cells.get(cell)
        if known is None:
            try:
                known = column.convert(cell)
            except CellError as exc:
                for r in np.flatnonzero(codes == k)[: MAX_ERRORS + 1].tolist():
                    problems.append(
                        f"{file}: row {rows[r]}, column '{column.id}' "
                        f"(respondent {names[r]}): {exc}"
                    )
                known = SKIPPED
        values.append(known)
    return Coded(values, codes)


def _json_chunks(text: str, questionnaire: Questionnaire, file: str) -> Iterator[Chunk]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise AnswersError(
            [f"{file}: line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})"]
        ) from None
    if _holds_bad_text(data):
        raise AnswersError(
            [
                f"{file}: a text holds a NUL character or a lone surrogate (an escape "
                "such as \\u0000 or \\ud800); remove it"
            ]
        )
    if isinstance(data, dict) and isinstance(data.get("responses"), list):
        data = data["responses"]
    if not isinstance(data, list):
        raise AnswersError(
            [f'{file}: expected a list of respondents, [{{"respondent": "r1", "item-id": 4}}]']
        )
    columns = columns_of(questionnaire)
    problems: list[str] = []
    entries: list[dict[str, object]] = []
    for number, entry in enumerate(data, start=1):
        if not isinstance(entry, dict):
            problems.append(f"{file}: entry {number}: expected an object with 'respondent'")
            continue
        for key in entry:
            if key != "respondent" and key not in columns:
                close = difflib.get_close_matches(str(key), list(columns), n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                problems.append(f"{file}: entry {number}: unknown key '{key}'{hint}")
        entries.append(entry)
    names = _json_names(entries, file, problems)
    coded: dict[str, Coded] = {}
    for question, column in columns.items():
        typed = []
        for number, (name, entry) in enumerate(zip(names, entries, strict=True), start=1):
            try:
                typed.append(column.convert(entry.get(question)))
            except CellError as exc:
                where = f"entry {number}, key '{question}' (respondent {name})"
                problems.append(f"{file}: {where}: {exc}")
                typed.append(SKIPPED)
        coded[question] = Coded.of(typed)
    if problems:
        raise AnswersError(problems)
    yield Chunk(names, coded)


def _holds_bad_text(value: object) -> bool:
    """Whether a JSON value holds text that no database stores, NUL or a lone surrogate,
    which JSON carries as escapes (\\u0000, \\ud800) past any check of a file's bytes."""
    if isinstance(value, str):
        return _NUL_OR_SURROGATE.search(value) is not None
    if isinstance(value, dict):
        return any(_holds_bad_text(k) or _holds_bad_text(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_bad_text(v) for v in value)
    return False


def _json_names(entries: list[dict[str, object]], file: str, problems: list[str]) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        raw = entry.get("respondent")
        name = str(raw).strip() if isinstance(raw, str | int) and raw is not True else ""
        if not name:
            problems.append(f"{file}: entry {number}: 'respondent' is missing; give each a label")
        elif name in seen:
            problems.append(f"{file}: entry {number}: respondent '{name}' appears twice")
        seen.add(name)
        names.append(name)
    return names


def chunks_of(responses: Iterable[Response], questionnaire: Questionnaire) -> Iterator[Chunk]:
    """Typed responses (from a database, say) as chunks, the shape scoring reads."""
    ids = [q.id for q in questionnaire.profile] + questionnaire.item_ids()
    remaining = iter(responses)
    while batch := list(islice(remaining, CHUNK_ROWS)):
        columns = {
            i: Coded.of([r.answers.get(i, r.profile.get(i, SKIPPED)) for r in batch]) for i in ids
        }
        yield Chunk([r.respondent for r in batch], columns)


def to_stored(response: Response) -> tuple[dict[str, Any], dict[str, Any]]:
    """(answers, profile) as JSON-ready data: "na" for not applicable."""
    answers = {k: (NA_VALUE if v is NA else v) for k, v in response.answers.items()}
    return answers, dict(response.profile)


def from_stored(respondent: str, answers: dict[str, Any], profile: dict[str, Any]) -> Response:
    """A typed response from data written by `to_stored` (checked when it was stored)."""
    typed = {k: (NA if v == NA_VALUE else v) for k, v in answers.items()}
    return Response(respondent, typed, dict(profile))
