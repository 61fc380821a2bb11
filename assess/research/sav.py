"""SPSS .sav files of export rows, with variable and value labels from the questionnaire,
streamed with flat memory.

pyreadstat writes a whole DataFrame at once: a million rows of this table would sit in
memory as some 300 MB. So each chunk of rows is written as a .sav of its own with the
same dictionary (names, types, widths, labels), and the stream is the first chunk's
dictionary followed by every chunk's data. An uncompressed .sav keeps its cases as fixed
8-byte slots after the dictionary, so a chunk's data are the last cases x case size bytes
of its file; the dictionary's case count is set to the total, known from the snapshot.
"""

from __future__ import annotations

import os
import struct
import tempfile
from collections.abc import Iterable, Iterator
from typing import Any

from assess.domain.export import YES_NO, ExportColumn
from assess.domain.export_text import Cell
from assess.domain.questionnaire import (
    Dimension,
    ProfileScale,
    Questionnaire,
    ScaleItem,
    localized,
)
from assess.domain.variables import MISSING, STATUS_LABELS, missing_codes

_CASE_SIZE, _CASES = slice(68, 72), slice(80, 84)
_LARGE_CASES = struct.pack("<iiii", 7, 16, 8, 2)  # record 7.16: the case count in 64 bits
PSEUDONYM = {"de": "Pseudonym (in jedem Export neu)", "en": "Pseudonym (new in every export)"}
LEAD_VALUES = {
    0: {"de": "nein", "en": "no"},
    1: {"de": "hat als Hauptansprechperson geantwortet", "en": "answered as the lead respondent"},
}


class SavLayout:
    """How each column becomes an SPSS variable: its name, label, codes and labels. An
    item's status column becomes no variable of its own: its statuses are user-missing
    codes of the item (see `assess.domain.variables`)."""

    def __init__(
        self,
        questionnaire: Questionnaire,
        columns: list[ExportColumn],
        language: str,
        attribute_values: dict[str, list[str]],
    ) -> None:
        self.positions = [j for j, c in enumerate(columns) if c.kind != "status"]
        self.columns = [columns[j] for j in self.positions]
        self.names = [c.name for c in self.columns]
        self.missing_codes = missing_codes(questionnaire)
        self.labels: dict[str, str] = {}
        self.value_labels: dict[str, dict[int | float, str]] = {}
        self.codes: dict[str, dict[str, int]] = {}
        self.measure: dict[str, str] = {}
        self.missing: dict[str, list[Any]] = {}
        for name, column in zip(self.names, self.columns, strict=True):
            self._describe(questionnaire, name, column, language, attribute_values)

    def _describe(
        self,
        questionnaire: Questionnaire,
        name: str,
        column: ExportColumn,
        language: str,
        attribute_values: dict[str, list[str]],
    ) -> None:
        label = localized(column.label, language)
        if column.kind in ("organisation", "respondent"):
            self.labels[name] = f"{column.name}: {localized(PSEUDONYM, language)}"
            self.measure[name] = "nominal"
            return
        self.labels[name] = (label or column.name)[:250]
        values = [v for v, _ in column.values]
        labels = {v: localized(text, language) for v, text in column.values}
        if column.kind == "attribute":
            values += [v for v in attribute_values.get(column.name, []) if v not in labels]
        if values:
            codes = {v: i + 1 for i, v in enumerate(values)}
            if column.values == YES_NO:
                codes = {"yes": 1, "no": 0}
            self.codes[name] = codes
            self.value_labels[name] = {float(c): labels.get(v, v)[:120] for v, c in codes.items()}
            self.measure[name] = "nominal"
        elif column.kind == "score":
            self.measure[name] = "scale"
        elif column.kind == "lead":
            self.measure[name] = "nominal"
            self.value_labels[name] = {
                float(k): localized(t, language) for k, t in LEAD_VALUES.items()
            }
        else:
            self.measure[name] = "ordinal"
            scale = _scale_labels(questionnaire, column.question)
            self.value_labels[name] = {
                float(k): localized(t, language)[:120] for k, t in scale.items()
            }
        if column.kind == "item":
            codes = self.statuses(column)
            labels_of = self.value_labels.setdefault(name, {})
            for status, code in codes.items():
                labels_of[float(code)] = localized(STATUS_LABELS[status], language)
            if len(codes) > 3:  # SPSS takes 3 missing codes, or a range
                self.missing[name] = [
                    {"lo": float(min(codes.values())), "hi": float(max(codes.values()))}
                ]
            else:
                self.missing[name] = [float(code) for code in codes.values()]

    def statuses(self, column: ExportColumn) -> dict[str, int]:
        """The missing statuses an item's cells may have, with their codes: na, dk and
        skipped; withheld too for a lead item."""
        lead = getattr(column.question, "informant", "all") == "lead"
        return {s: c for s, c in self.missing_codes.items() if lead or s in MISSING}

    def frame(self, rows: list[list[Cell]]) -> Any:
        """A chunk of rows as a DataFrame of this layout: codes and numbers as floats."""
        import numpy as np
        import pandas as pd

        data: dict[str, Any] = {}
        nan = float("nan")
        for j, name, column in zip(self.positions, self.names, self.columns, strict=True):
            cells = [row[j] for row in rows]
            if column.kind in ("organisation", "respondent"):
                data[name] = pd.Series(cells, dtype=object)
                continue
            codes: dict[Any, int] | None = self.codes.get(name)
            numbers: list[Any]
            if codes is not None:
                keyed = ["yes" if c is True else "no" if c is False else c for c in cells]
                numbers = [nan if c is None else codes.get(c, nan) for c in keyed]
            else:
                numbers = [nan if c is None else c for c in cells]
            if column.kind == "item":  # the next cell is the item's status
                missing = self.missing_codes
                statuses = [row[j + 1] for row in rows]
                numbers = [
                    n if s is None else missing[s]  # type: ignore[index]
                    for n, s in zip(numbers, statuses, strict=True)
                ]
            data[name] = np.array(numbers, dtype=np.float64)
        return pd.DataFrame(data)

    def write(self, rows: list[list[Cell]], path: str) -> None:
        """One chunk as a complete .sav file."""
        import pyreadstat

        pyreadstat.write_sav(
            self.frame(rows),
            path,
            column_labels=dict[str, str | None](self.labels),
            variable_value_labels=dict[str, dict[int | float, str]](self.value_labels),
            missing_ranges=dict[str, list[Any]](self.missing),
            variable_measure=self.measure,
        )


def _scale_labels(questionnaire: Questionnaire, question: Any) -> dict[int, dict[str, str]]:
    """Labels of a scale's points: its own, else the questionnaire's that fit its range;
    for a dimension (its importance), the importance scale's."""
    if isinstance(question, Dimension) and questionnaire.importance is not None:
        return questionnaire.importance.labels
    if isinstance(question, ScaleItem | ProfileScale) and question.labels:
        return question.labels
    if isinstance(question, ScaleItem) and questionnaire.scale is not None:
        low, high = questionnaire.scale_of(question)
        return {k: t for k, t in questionnaire.scale.labels.items() if low <= k <= high}
    return {}


def sav_blocks(
    layout: SavLayout, chunks: Iterable[list[list[Cell]]], total: int
) -> Iterator[bytes]:
    """The .sav file of `total` rows arriving in chunks, as bytes."""
    handle, path = tempfile.mkstemp(suffix=".sav")
    os.close(handle)
    dictionary: bytes | None = None
    written = 0
    try:
        for rows in chunks:
            if not rows:
                continue
            layout.write(rows, path)
            with open(path, "rb") as file:
                content = file.read()
            case_bytes = struct.unpack("<i", content[_CASE_SIZE])[0] * 8
            head = content[: len(content) - len(rows) * case_bytes]
            if struct.unpack("<i", content[_CASES])[0] != len(rows):
                raise RuntimeError("pyreadstat wrote an unexpected case count")
            if dictionary is None:
                dictionary = head
                yield _counted(head, total)
            elif _unstamped(head) != _unstamped(dictionary):
                raise RuntimeError("a chunk of the .sav file got a different dictionary")
            written += len(rows)
            yield content[len(head) :]
    finally:
        os.unlink(path)
    if written != total:
        raise RuntimeError(f"the snapshot held {total} rows but {written} were written")


def _counted(head: bytes, cases: int) -> bytes:
    """A dictionary with its case counts (the header's, and the 64-bit one) set."""
    counted = bytearray(head)
    counted[_CASES] = struct.pack("<i", cases)
    at = head.rfind(_LARGE_CASES)
    if at >= 0:
        counted[at + 24 : at + 32] = struct.pack("<q", cases)
    return bytes(counted)


def _unstamped(head: bytes) -> bytes:
    """A dictionary without its case counts and creation time."""
    plain = _counted(head, 0)
    return plain[:92] + plain[109:]
