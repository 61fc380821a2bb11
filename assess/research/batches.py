"""The export's rows as Arrow record batches, the one columnar form every file format is
written from: numbers as float64, everything else as text exactly as the CSV holds it
(codes or labels, yes/no, formula starts defused), an empty cell as null.

On PostgreSQL the batches are parsed from the COPY stream that the CSV export sends
(`copy_csv`): the database scores and formats every cell, and Arrow's CSV reader turns the
text into columns at several hundred thousand rows a second. Elsewhere they are built from
the rows the scoring engine makes (`export_rows`), chunk by chunk. Both give the same
values: the CSV is the same byte for byte either way (see `research_copy`).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from assess.domain.export import ExportColumn
from assess.domain.export_text import Cell, cell_text

if TYPE_CHECKING:
    import pyarrow as pa

# Bytes of CSV per batch: some 1,750 rows of the default questionnaire. Twice as much
# took a million-row XLSX export from 169-170 MB to 189-191 MB at its peak (each batch's
# cells are laid out as text at once), near the 200 MB every format keeps under, for no
# speed; SAV peaks 6 MB lower with it, Parquet the same.
BLOCK = 1 << 19
CODED = ("attribute", "profile", "item", "status")  # kinds whose text is a code or label


def is_coded(column: ExportColumn) -> bool:
    """Whether the column's text cells are codes (or their labels) from a short list."""
    return column.kind in CODED and not column.numeric


def schema(columns: list[ExportColumn], *, coded: bool = False) -> pa.Schema:
    """One field per column: float64 where the column holds numbers, else text; with
    `coded`, coded text (see `is_coded`) as dictionary<int32, string>."""
    import pyarrow as pa

    dictionary = pa.dictionary(pa.int32(), pa.string())
    return pa.schema(
        [
            pa.field(
                c.name,
                pa.float64() if c.numeric else dictionary if coded and is_coded(c) else pa.string(),
            )
            for c in columns
        ]
    )


def stored_text(cell: Cell) -> Any:
    """A text cell as stored, not as the CSV writes it: yes/no for booleans, nothing
    defused."""
    return "yes" if cell is True else "no" if cell is False else cell


def cells_batches(
    columns: list[ExportColumn],
    chunks: Iterable[list[list[Cell]]],
    *,
    coded: bool = False,
    text: Callable[[Cell], Any] = cell_text,
) -> Iterator[pa.RecordBatch]:
    """Chunks of rows (cells as `export_rows` gives them, or labelled) as batches, each
    text cell as `text` makes it (by default as the CSV holds it); with `coded`, coded
    text as dictionaries, each batch its own."""
    import pyarrow as pa

    fields = schema(columns, coded=coded)
    for chunk in chunks:
        if not chunk:
            continue
        arrays = []
        for j, field in enumerate(fields):
            values = [row[j] for row in chunk]
            if pa.types.is_floating(field.type):
                arrays.append(pa.array(values, type=field.type))
            else:
                texts = [None if v is None else text(v) for v in values]
                arrays.append(pa.array(texts, type=field.type))
        yield pa.RecordBatch.from_arrays(arrays, schema=fields)


def csv_batches(
    columns: list[ExportColumn], blocks: Iterable[bytes], *, coded: bool = False
) -> Iterator[pa.RecordBatch]:
    """CSV as COPY writes it (no header; an unquoted empty field is NULL, a quoted one
    the empty text) as batches of the columns' schema; with `coded`, coded text as
    dictionaries, each batch its own (Arrow's CSV reader encodes them as it parses)."""
    from pyarrow import csv

    fields = schema(columns, coded=coded)
    reader = csv.open_csv(
        io.BufferedReader(_Stream(iter(blocks)), buffer_size=BLOCK),
        read_options=csv.ReadOptions(
            column_names=fields.names, block_size=BLOCK, use_threads=False
        ),
        parse_options=csv.ParseOptions(newlines_in_values=True),
        convert_options=csv.ConvertOptions(
            column_types={f.name: f.type for f in fields},
            null_values=[""],
            strings_can_be_null=True,
            quoted_strings_can_be_null=False,
        ),
    )
    for batch in reader:
        if batch.num_rows:
            yield batch


class _Stream(io.RawIOBase):
    """A readable stream over blocks of bytes."""

    def __init__(self, blocks: Iterator[bytes]) -> None:
        self._blocks = blocks
        self._pending = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            block = next(self._blocks, None)
            if block is None:
                return 0
            self._pending = memoryview(block)
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size
