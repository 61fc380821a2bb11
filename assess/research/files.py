"""CSV and XLSX files of export rows, written as a stream of bytes."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from assess.domain.export import ExportColumn
from assess.domain.export_text import Cell, csv_line

BLOCK = 1 << 20
XLSX_ROWS = 1_048_576  # rows of one worksheet, the header included


def csv_blocks(columns: list[ExportColumn], chunks: Iterable[list[list[Cell]]]) -> Iterator[bytes]:
    """The CSV file: a header of column names, then one line per row, in ~1 MB blocks."""
    pending = [csv_line([c.name for c in columns])]
    size = 0
    for chunk in chunks:
        for row in chunk:
            line = csv_line(row)
            pending.append(line)
            size += len(line)
        if size >= BLOCK:
            yield "".join(pending).encode()
            pending, size = [], 0
    if pending:
        yield "".join(pending).encode()


def xlsx_blocks(
    columns: list[ExportColumn],
    chunks: Iterable[list[list[Cell]]],
    sheets_after: Callable[[], Iterable[tuple[str, Iterable[list[Cell]]]]] = lambda: (),
) -> Iterator[bytes]:
    """The XLSX workbook (openpyxl, write-only: rows go to disk as they come); a sheet
    holds 1,048,575 rows, so larger exports continue on data_2, data_3, …; then the
    sheets of `sheets_after` (name, rows). Text is always stored as text, so nothing in a
    cell runs as a formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    header = [c.name for c in columns]
    sheet: Any = None
    rows = XLSX_ROWS
    sheets = 0
    for chunk in chunks:
        for row in chunk:
            if rows == XLSX_ROWS:
                sheets += 1
                sheet = workbook.create_sheet("data" if sheets == 1 else f"data_{sheets}")
                sheet.append(header)
                rows = 1
            sheet.append(_values(sheet, row, WriteOnlyCell))
            rows += 1
    if sheet is None:
        workbook.create_sheet("data").append(header)
    for name, table in sheets_after():
        extra = workbook.create_sheet(name)
        for row in table:
            extra.append(_values(extra, row, WriteOnlyCell))
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        workbook.save(path)
        with open(path, "rb") as file:
            while block := file.read(BLOCK):
                yield block
    finally:
        os.unlink(path)


def _values(sheet: Any, row: list[Cell], WriteOnlyCell: Any) -> list[Any]:  # noqa: N803
    """A row's cells as openpyxl writes them (`WriteOnlyCell`, imported where it is used)."""
    values: list[Any] = []
    for cell in row:
        if isinstance(cell, bool):
            values.append("yes" if cell else "no")
        elif isinstance(cell, str) and cell.startswith("="):
            text = WriteOnlyCell(sheet, cell)
            text.data_type = "s"
            values.append(text)
        elif isinstance(cell, float) and not cell.is_integer() and float(f"{cell:.16g}") != cell:
            # openpyxl prints numbers with 16 digits, one short of some floats;
            # the shortest exact digits keep every score equal to the engine's.
            number = WriteOnlyCell(sheet)
            number._value = repr(cell)
            number.data_type = "n"
            values.append(number)
        else:
            values.append(cell)
    return values
