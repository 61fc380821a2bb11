"""CSV files of export rows, written as a stream of bytes."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from assess.domain.export import ExportColumn
from assess.domain.export_text import Cell, csv_line

BLOCK = 1 << 20


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
