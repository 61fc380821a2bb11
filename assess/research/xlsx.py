"""The XLSX export, written from the export's Arrow batches straight into the sheet XML of
a streamed ZIP: per batch, each column's cells are made in Arrow (numbers as their shortest
exact digits, text escaped once for the whole batch) and one `take` lays them out row by
row, so Python touches columns, not cells. A sheet holds 1,048,575 rows below its header;
larger exports continue on data_2, data_3, … and a `notes` sheet says so.

Every text is an inline string cell, so nothing in a cell runs as a formula; the apostrophe
that defuses a formula start in the CSV is dropped here for Excel's own mark of such a
cell (a style with quotePrefix), which keeps it text when someone edits it. (The CSV's
text cannot tell a typed "'=x" from "=x" defused: both come out as =x, kept text.)"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from assess.domain.export import ExportColumn
from assess.domain.export_text import FORMULA_STARTS, Cell, number_text
from assess.research.xlsx_parts import letters, notes, sheet_start, workbook_parts
from assess.research.zipstream import ZipStream

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

XLSX_ROWS = 1_048_576  # rows of one worksheet, the header included
SLICE = 512  # rows laid out at a time: ~3 MB of pieces, offsets and XML

# Text that XML or Excel would not keep as it is: markup, a carriage return (XML reads it
# as a line feed), control characters XML cannot hold, Excel's own _xHHHH_ escapes, and
# white space at either end (Excel trims it without xml:space="preserve").
_SPECIAL = r"[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\x{FFFE}\x{FFFF}]|_x[0-9A-Fa-f]{4}_|^[ \t\n]|[ \t\n]$"
_CONTROL = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)|[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_MARKUP = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})

# The pieces a row's XML is laid out from; a cell is <c r="{column}{row}{mid}{text}{end}.
_TAGS = ["", '<row r="', '">', "</row>", '"><v>', "</v></c>", "</t></is></c>"]
_EMPTY, _ROW, _ROW_MID, _ROW_END, _NUMBER, _NUMBER_END, _TEXT_END = range(len(_TAGS))
_TEXT = len(_TAGS)  # then the four openings of a text: + 2 if quote-prefixed, + 1 if kept as is
_TAGS += [
    f'"{style} t="inlineStr"><is><t{space}>'
    for style in ("", ' s="1"')
    for space in ("", ' xml:space="preserve"')
]


def xlsx_blocks(
    columns: list[ExportColumn],
    batches: Iterable[pa.RecordBatch],
    rows: int,
    language: str,
    sheets_after: Iterable[tuple[str, Iterable[list[Cell]]]] = (),
) -> Iterator[bytes]:
    """The workbook in blocks of bytes: the `rows` rows of `batches` on data (data_2, …,
    and a notes sheet where they need more than one sheet), then `sheets_after`."""
    per_sheet = XLSX_ROWS - 1
    data = [
        "data" if n == 0 else f"data_{n + 1}" for n in range(max(1, math.ceil(rows / per_sheet)))
    ]
    after = list(sheets_after)
    if len(data) > 1:
        after.insert(0, ("notes", notes(data, rows, per_sheet, language)))
    names = data + [name for name, _ in after]
    _large_blocks_mapped()
    archive = ZipStream()
    for path, text in workbook_parts(names):
        yield archive.start(path) + archive.write(text.encode()) + archive.finish()
    cells = _Cells(columns)
    header = _python_rows([[c.name for c in columns]], 1)
    written, sheet = 0, -1
    for batch in batches:
        cells.check(batch)
        cells.pool.release_unused()  # malloc_trim: what the last batch freed goes back
        while batch.num_rows:
            if written == (sheet + 1) * per_sheet:  # the sheet is full, or none is open
                if sheet >= 0:
                    yield archive.write(b"</sheetData></worksheet>") + archive.finish()
                sheet += 1
                if sheet == len(data):
                    raise RuntimeError(f"the export has more than the {rows} rows it counted")
                yield archive.start(f"xl/worksheets/sheet{sheet + 1}.xml")
                yield archive.write(sheet_start(header))
            room = min((sheet + 1) * per_sheet - written, SLICE)
            part, batch = batch.slice(0, room), batch.slice(room)
            yield archive.write(cells.rows(part, written - sheet * per_sheet + 2))
            written += part.num_rows
            del part
        del batch  # its empty slice still holds the batch's buffers: free them before the next
    if written != rows:
        raise RuntimeError(f"the export has {written} rows, not the {rows} it counted")
    if sheet < 0:
        yield archive.start("xl/worksheets/sheet1.xml") + archive.write(sheet_start(header))
    yield archive.write(b"</sheetData></worksheet>") + archive.finish()
    for number, (_, table) in enumerate(after, start=len(data) + 1):
        yield archive.start(f"xl/worksheets/sheet{number}.xml")
        yield archive.write(sheet_start(_python_rows(table, 1)))
        yield archive.write(b"</sheetData></worksheet>") + archive.finish()
    yield archive.close()


def _large_blocks_mapped() -> None:
    """Have glibc's malloc map every block of 128 KiB and more on its own and unmap it when
    freed. By default it raises that bar to the largest block freed so far: the export's
    CSV blocks and sheet XML, a megabyte each, then come from the heap, which fragments
    over a million rows and kept the process above 200 MB. Elsewhere nothing changes."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    if name is None:
        return
    try:
        mallopt = ctypes.CDLL(name).mallopt
    except (OSError, AttributeError):
        return  # not glibc
    mallopt(_M_MMAP_THRESHOLD, 128 * 1024)


_M_MMAP_THRESHOLD = -3  # glibc's malloc.h


class _Cells:
    """The sheet XML of batches of the export's columns."""

    def __init__(self, columns: list[ExportColumn]) -> None:
        import pyarrow as pa

        self.numeric = [c.numeric for c in columns]
        self.names = [c.name for c in columns]
        # The system allocator, trimmed once a batch, gives freed memory back; Arrow's
        # default one keeps some 15 MB more of it around over a long export.
        self.pool = pa.system_memory_pool()
        self.tags = _texts(_TAGS + [f'<c r="{letters(j)}' for j in range(len(columns))])

    def check(self, batch: pa.RecordBatch) -> None:
        """Refuse numbers no spreadsheet can store (not a number, infinite)."""
        import pyarrow.compute as pc

        for column, name, numeric in zip(batch.columns, self.names, self.numeric, strict=True):
            if numeric and pc.any(pc.invert(pc.is_finite(column))).as_py():
                raise ValueError(f"column {name} holds a number that a spreadsheet cannot store")

    def rows(self, batch: pa.RecordBatch, first: int) -> memoryview:
        """The rows of `batch` as XML, the first numbered `first`."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        n, k = batch.num_rows, batch.num_columns
        pool = self.pool
        numbers = pc.cast(
            _integers(np.arange(first, first + n, dtype=np.int32)), pa.string(), memory_pool=pool
        )
        texts = [c for c, numeric in zip(batch.columns, self.numeric, strict=True) if not numeric]
        text, opening = _escaped(pa.concat_arrays(texts, pool) if texts else _texts([]), pool)
        pieces = [self.tags, numbers, text]
        at = len(self.tags) + n  # where `text` starts among the pieces
        index = np.empty((n, 4 + 5 * k), dtype=np.int32)
        row_numbers = len(self.tags) + np.arange(n, dtype=np.int32)
        index[:, 0], index[:, 1], index[:, 2], index[:, -1] = _ROW, row_numbers, _ROW_MID, _ROW_END
        texts_seen, where = 0, at + len(text)
        for j, column in enumerate(batch.columns):
            valid = _valid(column)
            cell = index[:, 3 + 5 * j : 8 + 5 * j]
            cell[:, 0] = len(_TAGS) + j
            cell[:, 1] = row_numbers
            if self.numeric[j]:
                pieces.append(pc.cast(column, pa.string(), memory_pool=pool))
                cell[:, 2], cell[:, 3], cell[:, 4] = _NUMBER, where + np.arange(n), _NUMBER_END
                where += n
            else:
                cell[:, 2] = opening[texts_seen * n : (texts_seen + 1) * n]
                cell[:, 3] = at + texts_seen * n + np.arange(n)
                cell[:, 4] = _TEXT_END
                texts_seen += 1
            cell[~valid] = _EMPTY
        laid = pc.take(pa.concat_arrays(pieces, pool), _integers(index.ravel()), memory_pool=pool)
        offsets = np.frombuffer(laid.buffers()[1], dtype=np.int32)
        start, end = int(offsets[laid.offset]), int(offsets[laid.offset + len(laid)])
        return memoryview(laid.buffers()[2])[start:end]


def _escaped(text: pa.Array, pool: pa.MemoryPool) -> tuple[pa.Array, np.ndarray]:
    """Texts as XML holds them, and each one's opening tag (`_TEXT` + 2 where it was a
    defused formula start, + 1 where its white space needs keeping)."""
    import numpy as np
    import pyarrow.compute as pc

    opening = np.full(len(text), _TEXT, dtype=np.int32)
    if pc.any(pc.starts_with(text, "'")).as_py():
        quoted = pc.starts_with(text, "'" + FORMULA_STARTS[0])
        for start in FORMULA_STARTS[1:]:
            quoted = pc.or_(quoted, pc.starts_with(text, "'" + start))
        sliced = pc.utf8_slice_codeunits(text, 1, memory_pool=pool)
        text = pc.if_else(quoted, sliced, text, memory_pool=pool)
        opening += 2 * _bits(quoted)
    special = pc.match_substring_regex(text, _SPECIAL, memory_pool=pool)
    if pc.any(special).as_py():
        marked = _bits(special)
        changed = [_xml_text(t) for t in pc.filter(text, special).to_pylist()]
        replaced = _texts([t for t, _ in changed])
        text = pc.replace_with_mask(text, special, replaced, memory_pool=pool)
        opening[marked] += np.array([keep for _, keep in changed], dtype=np.int32)
    return text, opening


def _texts(texts: list[str]) -> pa.Array:
    """An Arrow text array; made from its buffers, as `pa.array` would import pandas."""
    import numpy as np
    import pyarrow as pa

    data = [t.encode() for t in texts]
    offsets = np.zeros(len(data) + 1, dtype=np.int32)
    np.cumsum([len(d) for d in data], out=offsets[1:])
    buffers = [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(data))]
    return pa.Array.from_buffers(pa.string(), len(data), buffers)


def _integers(values: np.ndarray) -> pa.Array:
    """An Arrow int32 array over `values` (int32), without a copy."""
    import pyarrow as pa

    return pa.Array.from_buffers(pa.int32(), len(values), [None, pa.py_buffer(values)])


def _xml_text(text: str) -> tuple[str, bool]:
    """A text as an XML string cell holds it, and whether its white space needs keeping."""
    kept = _CONTROL.sub(lambda m: "_x005F_" if m[0] == "_" else f"_x{ord(m[0]):04X}_", text)
    return kept.translate(_MARKUP), text[:1] in (" ", "\t", "\n") or text[-1:] in (" ", "\t", "\n")


def _bits(mask: pa.Array) -> np.ndarray:
    """A boolean Arrow array as numpy booleans, null as False."""
    import numpy as np
    import pyarrow.compute as pc

    filled = pc.fill_null(mask, False)
    packed = np.frombuffer(filled.buffers()[1], dtype=np.uint8)
    bits = np.unpackbits(packed, bitorder="little", count=filled.offset + len(filled))
    return bits[filled.offset :].astype(bool)


def _valid(column: pa.Array) -> np.ndarray:
    """Which cells of `column` hold a value."""
    import numpy as np

    if column.null_count == 0:
        return np.ones(len(column), dtype=bool)
    packed = np.frombuffer(column.buffers()[0], dtype=np.uint8)
    bits = np.unpackbits(packed, bitorder="little", count=column.offset + len(column))
    return bits[column.offset :].astype(bool)


def _python_rows(rows: Iterable[list[Cell]], first: int) -> bytes:
    """Rows of Python cells (the header, the labels and codebook sheets) as sheet XML."""
    lines = []
    for r, row in enumerate(rows, start=first):
        cells = [f'<row r="{r}">']
        for j, cell in enumerate(row):
            at = f"{letters(j)}{r}"
            if cell is None:
                continue
            if isinstance(cell, float) and not isinstance(cell, bool):
                if not math.isfinite(cell):
                    raise ValueError(f"cell {at} holds a number that a spreadsheet cannot store")
                cells.append(f'<c r="{at}"><v>{number_text(cell)}</v></c>')
                continue
            text = ("yes" if cell else "no") if isinstance(cell, bool) else str(cell)
            xml, keep = _xml_text(text)
            cells.append(f'<c r="{at}{_TAGS[_TEXT + keep]}{xml}{_TAGS[_TEXT_END]}')
        cells.append("</row>")
        lines.append("".join(cells))
    return "".join(lines).encode()
