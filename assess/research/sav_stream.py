"""SPSS .sav files of export rows, written from the export's Arrow batches with flat memory.

An uncompressed .sav file is a dictionary (names, types, widths, labels, missing codes,
see `sav_dictionary`) followed by its cases, each a row of 8-byte slots: a number as a
little-endian double (system-missing as -DBL_MAX), a text as its bytes padded with spaces
to whole slots. Each batch becomes cases column by column with pyarrow and numpy: codes
looked up, statuses made missing codes, and the columns packed into rows at once, which is
many times faster than pyreadstat's writer going cell by cell. The file is the one
pyreadstat writes of all rows at once, byte for byte but for its creation time (the tests
compare them).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from assess.domain.export import PSEUDONYM_LENGTH
from assess.research.sav import SavLayout
from assess.research.sav_dictionary import SavVariable, sav_dictionary

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

SYSMIS = -sys.float_info.max  # SPSS's system-missing value
TEXT_WIDTH = PSEUDONYM_LENGTH  # the only text variables are the pseudonyms


class SavCases:
    """How a batch of export rows becomes variables and cases of a layout. `defused` says
    whether the batch's text has formula starts defused, as `ResearchExport.batches` gives
    it, or is as stored (`batches.stored_text`); codes are looked up by the same text."""

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

    def dictionary(self) -> list[SavVariable]:
        """The layout's variables as the dictionary describes them."""
        layout = self.layout
        return [
            SavVariable(
                name,
                width=TEXT_WIDTH if name in self.texts else 0,
                label=layout.labels[name],
                value_labels=layout.value_labels.get(name),
                missing=layout.missing.get(name),
                measure=layout.measure[name],
            )
            for name in layout.names
        ]

    def cases(self, batch: pa.RecordBatch) -> bytes:
        """The batch's rows as cases: codes and numbers as doubles (system-missing where
        a cell is empty, a status's missing code where an item has one), pseudonyms as
        text of their width."""
        import numpy as np

        cases = np.empty(batch.num_rows, dtype=self.dtype)
        for j, name, column in zip(
            self.layout.positions, self.layout.names, self.layout.columns, strict=True
        ):
            cells = batch.column(j)
            if name in self.texts:
                cases[name] = _fixed_text(cells, name)
                continue
            if column.numeric:
                numbers = np.where(_valid(cells), _values(cells, np.float64), np.nan)
            else:  # a value that has no code is empty, as a text column without codes
                numbers = _mapped(cells, self._codes.get(name, _lookup({})))
            if column.kind == "item":  # the next column is the item's status
                statuses = batch.column(j + 1)
                missing = _mapped(statuses, self._statuses)
                if np.count_nonzero(~np.isnan(missing)) != len(statuses) - statuses.null_count:
                    raise RuntimeError(f"{name} has a status that has no missing code")
                numbers = np.where(np.isnan(missing), numbers, missing)
            cases[name] = np.where(np.isnan(numbers), SYSMIS, numbers)
        return cases.tobytes()


def _lookup(codes: dict[str, int]) -> tuple[pa.Array, np.ndarray]:
    """Texts and their codes, NaN last: `_mapped`'s code of a text not among them."""
    import numpy as np
    import pyarrow as pa

    texts = [text.encode() for text in codes]
    offsets = np.cumsum([0] + [len(t) for t in texts], dtype=np.int32)
    array = pa.StringArray.from_buffers(
        len(texts), pa.py_buffer(offsets), pa.py_buffer(b"".join(texts))
    )
    numbers = np.array([float(c) for c in codes.values()] + [float("nan")], dtype=np.float64)
    return array, numbers


def _mapped(cells: pa.Array, lookup: tuple[pa.Array, np.ndarray]) -> np.ndarray:
    """Texts as their codes (NaN where empty or without a code)."""
    import numpy as np
    import pyarrow.compute as pc

    texts, numbers = lookup
    found = pc.index_in(cells, value_set=texts)
    codes: np.ndarray = numbers[np.where(_valid(found), _values(found, np.int32), len(texts))]
    return codes


def _fixed_text(cells: pa.Array, name: str) -> np.ndarray:
    """Pseudonyms as bytes of `TEXT_WIDTH` (whole slots); none, as a lead's row has no
    organisation, as spaces."""
    import numpy as np
    import pyarrow as pa

    try:
        fixed = cells.cast(pa.binary(TEXT_WIDTH))
    except pa.ArrowInvalid:
        raise RuntimeError(f"{name} has a pseudonym of other than {TEXT_WIDTH} bytes") from None
    texts = _values(fixed, np.dtype(f"S{TEXT_WIDTH}")).copy()
    texts[~_valid(fixed)] = b" " * TEXT_WIDTH
    return texts


# Arrow arrays are read through their buffers: pyarrow's own conversions (to_numpy of
# an array with nulls, fill_null, array from Python lists) import pandas, some 40 MB.


def _valid(array: pa.Array) -> np.ndarray:
    """Which cells of an array hold a value."""
    import numpy as np

    if array.null_count == 0:
        return np.ones(len(array), dtype=bool)
    bitmap = array.buffers()[0]
    if bitmap is None:  # nothing but nulls
        return np.zeros(len(array), dtype=bool)
    bits = np.unpackbits(np.frombuffer(bitmap, dtype=np.uint8), bitorder="little")
    valid: np.ndarray = bits[array.offset : array.offset + len(array)].astype(bool)
    return valid


def _values(array: pa.Array, dtype: Any) -> np.ndarray:
    """The values of a fixed-width array as numpy sees them (whatever stands in a null)."""
    import numpy as np

    kind = np.dtype(dtype)
    data = array.buffers()[1]
    if data is None:  # nothing but nulls
        return np.zeros(len(array), dtype=kind)
    return np.frombuffer(data, dtype=kind, count=len(array), offset=array.offset * kind.itemsize)


def sav_blocks(cases: SavCases, batches: Iterable[pa.RecordBatch], total: int) -> Iterator[bytes]:
    """The .sav file of `total` rows arriving in batches, as bytes."""
    yield sav_dictionary(cases.dictionary(), total)
    written = 0
    for batch in batches:
        if batch.num_rows:
            yield cases.cases(batch)
            written += batch.num_rows
    if written != total:
        raise RuntimeError(f"the snapshot held {total} rows but {written} were written")
