"""The dictionary of an SPSS .sav file of export rows: each column's variable name, label,
codes, value labels, missing-value codes and measure, from the questionnaire. The file
itself is written by `sav_stream`."""

from __future__ import annotations

from typing import Any

from assess.domain.export import YES_NO, ExportColumn
from assess.domain.export_text import defused
from assess.domain.questionnaire import (
    Dimension,
    ProfileScale,
    Questionnaire,
    ScaleItem,
    localized,
)
from assess.domain.variables import MISSING, STATUS_LABELS, missing_codes

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
        # The codes by their text as the CSV and the Arrow batches hold it: formula starts
        # defused. Two values can become one text there ("=a" and "'=a", both free
        # attribute values of organisations); `apart` says whether none did.
        self.text_codes = {
            name: {defused(value): code for value, code in codes.items()}
            for name, codes in self.codes.items()
        }
        self.apart = all(
            len(self.text_codes[name]) == len(codes) for name, codes in self.codes.items()
        )

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
