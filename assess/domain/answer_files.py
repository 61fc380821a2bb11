"""Answers files (CSV and JSON): one respondent per row, every cell checked.

A file is read into coded columns (see `answers.Coded`). pandas' C parser produces
exactly that for CSV (categorical columns), so a file of a million rows never makes a
Python object per cell; each distinct cell is parsed and checked once. A file with any
bad cell is refused whole.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from assess.domain.answers import (
    CHUNK_ROWS,
    MAX_ERRORS,
    SKIPPED,
    AnswersError,
    Chunk,
    Coded,
    Codes,
    Response,
)
from assess.domain.answers_json import json_chunks
from assess.domain.columns import HINTED, CellError, Column, columns_of, unknown_column
from assess.domain.lead_checks import lead_problems, too_many_leads
from assess.domain.questionnaire import Questionnaire
from assess.domain.respondent_rows import RowPlaces, respondent_names

if TYPE_CHECKING:
    import pandas as pd


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
        return json_chunks(text, questionnaire, file)
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


def _resolve_columns(names: Sequence[str], questionnaire: Questionnaire, file: str) -> list[Column]:
    """Header names as columns, in file order, without the respondent column."""
    columns = columns_of(questionnaire, lead=True)
    problems = []
    resolved: list[Column] = []
    seen: set[str] = set()
    unknown = 0
    for position, name in enumerate(names, start=1):
        if name in seen:
            problems.append(f"{file}: column {position} '{name}' appears twice")
        seen.add(name)
        if name in columns:
            resolved.append(columns[name])
        elif name != "respondent":
            unknown += 1
            why = unknown_column(name, columns, questionnaire, suggest=unknown <= HINTED)
            problems.append(f"{file}: unknown column {position} {why}")
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
    columns = _resolve_columns(header, questionnaire, file)
    leads: list[str] = []
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
                # Each chunk in one pass: the same categories and codes, without
                # merging the categories of the parser's internal blocks.
                low_memory=False,
            )
            for frame in reader:
                rows = _row_numbers(row, len(frame), _skipped(skipped_rows))
                row = int(rows[-1]) + 1 if len(rows) else row
                blank = frame.isna().all(axis=1).to_numpy()
                if blank.any():
                    frame, rows = frame[~blank], rows[~blank]
                names = respondent_names(frame["respondent"].tolist(), rows, seen, file, problems)
                coded = {c.id: _coded(c, frame[c.id], rows, names, file, problems) for c in columns}
                places = RowPlaces(rows)
                problems += lead_problems(questionnaire, coded, places, names, file, leads)
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
    problems += too_many_leads(leads, file)
    if problems:
        problems.sort(key=_row_of)
        raise AnswersError(problems)


def _long_first_row(text: str, delimiter: str, width: int, file: str) -> list[str]:
    """pandas reports rows longer than the header, except the first, which it would take
    for an index column; this checks that one."""
    rows = csv.reader(_lines(text), delimiter=delimiter)
    try:
        next(rows)
        first = next(rows, [])
    except csv.Error:
        return []  # pandas reports the same problem with its line
    if len(first) > width and any(cell.strip() for cell in first[width:]):
        return [f"{file}: row 2 has {len(first)} cells; the header has {width}"]
    return []


def _lines(text: str) -> Iterator[str]:
    """The lines of `text`, each with its line break, without copying the whole text."""
    start = 0
    while (end := text.find("\n", start)) >= 0:
        yield text[start : end + 1]
        start = end + 1
    if start < len(text):
        yield text[start:]


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
