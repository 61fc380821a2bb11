"""The respondents of an answers file's rows: their labels, checked (none empty, none
twice), and the rows' places as messages name them ("row 7")."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, overload

import numpy as np
import numpy.typing as npt


class RowPlaces(Sequence[str]):
    """ "row 7" for each record of a chunk, made only for the few that a message names."""

    def __init__(self, rows: npt.NDArray[np.int64]) -> None:
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...

    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return [f"row {r}" for r in self.rows[index].tolist()]
        return f"row {self.rows[index]}"


def respondent_names(
    raw: list[object], rows: npt.NDArray[Any], seen: set[str], file: str, problems: list[str]
) -> list[str]:
    """The labels of a chunk's rows; an empty or repeated one (over `seen`, the labels of
    earlier chunks) is added to `problems` with its row."""
    names = _stripped(raw)
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


# A name that starts or ends with white space, in names joined by NUL characters.
_PADDED = re.compile(r"(?:^|\x00)\s|\s(?:\x00|$)")
_SPACE = re.compile(r"\s")  # found much faster: most files have none at all


def _stripped(raw: list[object]) -> list[str]:
    """Respondent labels without surrounding white space, "" for an empty cell."""
    try:
        joined = "\x00".join(raw)  # type: ignore[arg-type]  # TypeError if one is not text
    except TypeError:
        joined = None
    padded = joined is None or (_SPACE.search(joined) and _PADDED.search(joined))
    if not padded and "" not in raw:
        # Most files: every label is text, none padded, none empty; no copy of each.
        return raw  # type: ignore[return-value]
    return [n.strip() if isinstance(n, str) else "" for n in raw]
