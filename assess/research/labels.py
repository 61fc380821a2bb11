"""Cells with labels instead of codes, in the export's language: options by their label,
yes/no and item statuses in words. Numbers, pseudonyms and free values of organisation
attributes that match no option stay as they are."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from assess.domain.export import YES_NO, ExportColumn
from assess.domain.export_text import Cell
from assess.domain.questionnaire import localized
from assess.domain.variables import STATUS_LABELS

Labels = list[dict[Any, str] | None]


def cell_labels(columns: list[ExportColumn], language: str) -> Labels:
    """Per column, its cells' labels by code (None where a column keeps its cells)."""
    labels: Labels = []
    for column in columns:
        if column.kind == "status":
            labels.append({code: localized(text, language) for code, text in STATUS_LABELS.items()})
        elif column.values == YES_NO:
            yes, no = (localized(text, language) for _, text in YES_NO)
            labels.append({True: yes, False: no})
        elif column.values:
            labels.append({value: localized(text, language) for value, text in column.values})
        else:
            labels.append(None)
    return labels


def labelled(chunks: Iterable[list[list[Cell]]], labels: Labels) -> Iterator[list[list[Cell]]]:
    """The chunks of rows with every coded cell replaced by its label."""
    mapped = [(j, table) for j, table in enumerate(labels) if table is not None]
    for chunk in chunks:
        for row in chunk:
            for j, table in mapped:
                cell = row[j]
                if cell is not None:
                    row[j] = table.get(cell, cell)
        yield chunk
