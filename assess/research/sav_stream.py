"""SPSS .sav files of export rows, written from the export's Arrow batches with flat memory.

An uncompressed .sav file is a dictionary (names, types, widths, labels, missing codes)
followed by its cases, each a row of 8-byte slots: a number as a little-endian double
(system-missing as -DBL_MAX), a text as its bytes padded with spaces to whole slots.
pyreadstat writes the dictionary, with the first batch's cases; every other batch becomes
cases here, column by column with numpy, which is many times faster than pyreadstat's
writer going cell by cell. The first batch's cases are made both ways and must be equal
byte for byte, so the file is the one pyreadstat would write of all rows at once. The
dictionary's case count is set to the total, known from the snapshot.
"""

from __future__ import annotations

import os
import struct
import sys
import tempfile
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from assess.domain.export import PSEUDONYM_LENGTH, ExportColumn
from assess.domain.export_text import Cell
from assess.research.batches import schema
from assess.research.sav import SavLayout

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

_CASE_SIZE, _CASES = slice(68, 72), slice(80, 84)
_LARGE_CASES = struct.pack("<iiii", 7, 16, 8, 2)  # record 7.16: the case count in 64 bits
SYSMIS = -sys.float_info.max  # SPSS's system-missing value, as pyreadstat writes it
TEXT_WIDTH = PSEUDONYM_LENGTH  # the only text variables are the pseudonyms


class SavCases:
    """How a batch of export rows becomes variables and cases of a layout. `defused` says
    whether the batch's text has formula starts defused, as `ResearchExport.batches` gives
    it, or is as stored (`stored_batches`); codes are looked up by the same text."""

    def __init__(self, layout: SavLayout, *, defused: bool = True) -> None:
        import numpy as np

        self.layout = layout
        self.texts = {
            name
            for name, column in zip(layout.names, layout.columns, strict=True)
            if column.kind in ("organisation", "respondent")
        }
        self.dtype = np.dtype(
            [(name, f"S{TEXT_WIDTH}" if name in self.texts else "<f8") for name in layout.names]
        )
        codes = layout.text_codes if defused else layout.codes
        self._codes = {name: _lookup(table) for name, table in codes.items()}
        self._statuses = _lookup(layout.missing_codes)

    @property
    def slots(self) -> int:
        """8-byte slots per case."""
        return self.dtype.itemsize // 8

    def variables(self, batch: pa.RecordBatch) -> dict[str, Any]:
        """Each variable's values in the batch: codes and numbers as float64 arrays (NaN
        where a cell is empty, a status's missing code where an item has one), pseudonyms
        as they are (Arrow text)."""
        import numpy as np

        values: dict[str, Any] = {}
        for j, name, column in zip(
            self.layout.positions, self.layout.names, self.layout.columns, strict=True
        ):
            cells = batch.column(j)
            if name in self.texts:
                values[name] = cells
                continue
            if column.numeric:
                numbers = cells.to_numpy(zero_copy_only=False)
            else:  # a value that has no code is empty, as a text column without codes
                numbers = _mapped(cells, self._codes.get(name, _lookup({})))
            if column.kind == "item":  # the next column is the item's status
                statuses = batch.column(j + 1)
                missing = _mapped(statuses, self._statuses)
                if np.count_nonzero(~np.isnan(missing)) != len(statuses) - statuses.null_count:
                    raise RuntimeError(f"{name} has a status that has no missing code")
                numbers = np.where(np.isnan(missing), numbers, missing)
            values[name] = numbers
        return values

    def frame(self, values: dict[str, Any]) -> Any:
        """The variables as the DataFrame pyreadstat writes."""
        import pandas as pd

        return pd.DataFrame(
            {
                name: pd.Series(array.to_pylist(), dtype=object) if name in self.texts else array
                for name, array in values.items()
            }
        )

    def cases(self, values: dict[str, Any]) -> bytes:
        """The variables as the cases of an uncompressed .sav file."""
        import numpy as np

        rows = len(next(iter(values.values())))
        cases = np.empty(rows, dtype=self.dtype)
        for name, array in values.items():
            if name in self.texts:
                cases[name] = _fixed_text(array, name)
            else:
                cases[name] = np.where(np.isnan(array), SYSMIS, array)
        return cases.tobytes()

    def write(self, values: dict[str, Any], path: str) -> None:
        """The variables as a complete .sav file, by pyreadstat."""
        import pyreadstat

        layout = self.layout
        pyreadstat.write_sav(
            self.frame(values),
            path,
            column_labels=dict[str, str | None](layout.labels),
            variable_value_labels=dict[str, dict[int | float, str]](layout.value_labels),
            missing_ranges=dict[str, list[Any]](layout.missing),
            variable_measure=layout.measure,
        )


def _lookup(codes: dict[str, int]) -> tuple[pa.Array, np.ndarray]:
    """Texts and their codes, NaN last: `_mapped`'s code of a text not among them."""
    import numpy as np
    import pyarrow as pa

    numbers = np.array([float(c) for c in codes.values()] + [float("nan")], dtype=np.float64)
    return pa.array(list(codes), type=pa.string()), numbers


def _mapped(cells: pa.Array, lookup: tuple[pa.Array, np.ndarray]) -> np.ndarray:
    """Texts as their codes (NaN where empty or without a code)."""
    import pyarrow.compute as pc

    texts, numbers = lookup
    found = pc.index_in(cells, value_set=texts).fill_null(len(texts))
    codes: np.ndarray = numbers[found.to_numpy(zero_copy_only=False)]
    return codes


def _fixed_text(cells: pa.Array, name: str) -> np.ndarray:
    """Pseudonyms as bytes of `TEXT_WIDTH` (whole slots); none, as a lead's row has no
    organisation, as spaces."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    padded = pc.utf8_rpad(cells.fill_null(""), width=TEXT_WIDTH, padding=" ")
    try:
        fixed = padded.cast(pa.binary(TEXT_WIDTH))
    except pa.ArrowInvalid:
        raise RuntimeError(f"{name} has a pseudonym of other than {TEXT_WIDTH} bytes") from None
    data = fixed.buffers()[1]
    return np.frombuffer(
        data, dtype=f"S{TEXT_WIDTH}", count=len(fixed), offset=fixed.offset * TEXT_WIDTH
    )


def stored_batches(
    columns: list[ExportColumn], chunks: Iterable[list[list[Cell]]]
) -> Iterator[pa.RecordBatch]:
    """Chunks of rows as batches with text as stored (yes/no for booleans), for a layout
    whose codes are not apart once defused (`SavLayout.apart`)."""
    import pyarrow as pa

    fields = schema(columns)
    for chunk in chunks:
        if not chunk:
            continue
        arrays = []
        for j, field in enumerate(fields):
            values: list[Any] = [row[j] for row in chunk]
            if not pa.types.is_floating(field.type):
                values = ["yes" if v is True else "no" if v is False else v for v in values]
            arrays.append(pa.array(values, type=field.type))
        yield pa.RecordBatch.from_arrays(arrays, schema=fields)


def sav_blocks(cases: SavCases, batches: Iterable[pa.RecordBatch], total: int) -> Iterator[bytes]:
    """The .sav file of `total` rows arriving in batches, as bytes."""
    written = 0
    for batch in batches:
        if not batch.num_rows:
            continue
        values = cases.variables(batch)
        if written == 0:
            head, data = _first(cases, values, batch.num_rows)
            yield _counted(head, total)
            yield data
        else:
            yield cases.cases(values)
        written += batch.num_rows
    if written != total:
        raise RuntimeError(f"the snapshot held {total} rows but {written} were written")


def _first(cases: SavCases, values: dict[str, Any], rows: int) -> tuple[bytes, bytes]:
    """The dictionary and the first batch's cases, as pyreadstat writes them; the same
    cases made by `SavCases.cases` must be equal to them. pyreadstat makes a text variable
    as wide as its longest value, so one more case with pseudonyms of full width is
    written, and cut off: the pseudonyms' width never depends on the first batch (the
    leads' rows, with no organisation, may be all of it)."""
    import numpy as np
    import pyarrow as pa

    full = {
        name: pa.concat_arrays([array, pa.array(["0" * TEXT_WIDTH])])
        if name in cases.texts
        else np.append(array, np.nan)
        for name, array in values.items()
    }
    handle, path = tempfile.mkstemp(suffix=".sav")
    os.close(handle)
    try:
        cases.write(full, path)
        with open(path, "rb") as file:
            content = file.read()
    finally:
        os.unlink(path)
    size = cases.slots * 8
    if struct.unpack("<i", content[_CASE_SIZE])[0] * 8 != size:
        raise RuntimeError("pyreadstat wrote cases of an unexpected size")
    if struct.unpack("<i", content[_CASES])[0] != rows + 1:
        raise RuntimeError("pyreadstat wrote an unexpected case count")
    head = content[: len(content) - (rows + 1) * size]
    data = cases.cases(values)
    if content[len(head) : len(content) - size] != data:
        raise RuntimeError("the cases differ from those pyreadstat writes")
    return head, data


def _counted(head: bytes, cases: int) -> bytes:
    """A dictionary with its case counts (the header's, and the 64-bit one) set."""
    counted = bytearray(head)
    counted[_CASES] = struct.pack("<i", cases)
    at = head.rfind(_LARGE_CASES)
    if at >= 0:
        counted[at + 24 : at + 32] = struct.pack("<q", cases)
    return bytes(counted)
