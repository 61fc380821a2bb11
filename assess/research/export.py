"""Research exports: one snapshot of the opted-in data of a questionnaire version, streamed
as CSV, XLSX (data, labels and codebook sheets), SPSS .sav, Parquet (the codebook in its
metadata), or its codebook (Markdown, JSON, CSV), with flat memory. CSV, XLSX and Parquet
hold codes, or labels in the export's language."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine

from assess.domain.answers import chunks_of, from_stored
from assess.domain.export import (
    Pseudonyms,
    StoredRow,
    export_columns,
    export_rows,
    profile_questions,
)
from assess.domain.export_leads import lead_flag_shown
from assess.domain.export_text import Cell
from assess.domain.itemstats import ItemMoments, ItemStatistics, item_scores
from assess.domain.questionnaire import Questionnaire
from assess.domain.variables import has_lead_items
from assess.persistence.repository import research
from assess.persistence.repository.research_copy import copy_csv
from assess.research.batches import cells_batches, csv_batches, stored_text
from assess.research.codebook import codebook
from assess.research.codebook_files import (
    codebook_csv,
    codebook_markdown,
    codebook_table,
    labels_table,
)
from assess.research.files import csv_blocks
from assess.research.labels import cell_labels, labelled
from assess.research.parquet import parquet_blocks
from assess.research.sav import SavLayout
from assess.research.sav_stream import SavCases, sav_blocks
from assess.research.xlsx import xlsx_blocks

if TYPE_CHECKING:
    import pyarrow as pa


class ExportFormat(StrEnum):
    """What an export is written as."""

    csv = "csv"
    xlsx = "xlsx"
    sav = "sav"
    parquet = "parquet"
    codebook_md = "codebook.md"
    codebook_json = "codebook.json"
    codebook_csv = "codebook.csv"


MEDIA_TYPES = {
    ExportFormat.csv: "text/csv; charset=utf-8",
    ExportFormat.xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFormat.sav: "application/x-spss-sav",
    ExportFormat.parquet: "application/vnd.apache.parquet",
    ExportFormat.codebook_md: "text/markdown; charset=utf-8",
    ExportFormat.codebook_json: "application/json",
    ExportFormat.codebook_csv: "text/csv; charset=utf-8",
}


def export_file_name(questionnaire_id: str, version: int, fmt: ExportFormat) -> str:
    """The file name an export is downloaded under."""
    return f"{questionnaire_id}-v{version}-research.{fmt.value}"


class NothingToExport(Exception):
    """No response of this questionnaire version may be exported; the message says why."""


class ResearchExport:
    """An export opened on a snapshot: `rows` were counted when it opened, `blocks()`
    streams the file and closes the snapshot at its end."""

    def __init__(
        self,
        engine: Engine,
        questionnaire: Questionnaire,
        version_id: uuid.UUID,
        *,
        pseudonyms: Pseudonyms | None = None,
        copy: bool = True,
    ) -> None:
        self.questionnaire = questionnaire
        self.version_id = version_id
        self.pseudonyms = pseudonyms or Pseudonyms()
        self.columns = export_columns(questionnaire)
        self._stack = ExitStack()
        self.connection: Connection = self._stack.enter_context(
            research.snapshot(engine, self.pseudonyms)
        )
        self.copy = copy and self.connection.dialect.name == "postgresql"
        self.leads = has_lead_items(questionnaire)
        try:
            # A count would read every exportable response before the first byte goes out:
            # only the formats that need it (XLSX, SAV) count, when they start (`rows`).
            anything = research.any_exportable(self.connection, version_id=version_id)
            # Without lead items there is no lead flag: no need to count the leads' rows
            # (a scan of every exportable response).
            self.lead_shown = self.leads and lead_flag_shown(
                research.exportable_leads(self.connection, version_id=version_id)
            )
        except BaseException:
            self.close()
            raise
        if not anything:
            self.close()
            raise NothingToExport(
                f"No response of {questionnaire.id} version {questionnaire.version} may be "
                "exported yet: researchers see submitted responses of closed assessments of "
                "organisations that opted in to benchmarks, and there are none."
            )

    @cached_property
    def rows(self) -> int:
        """How many rows the export holds, counted in its snapshot when first asked (while
        it is open: before `blocks` ends)."""
        return research.exportable_count(self.connection, version_id=self.version_id)

    def close(self) -> None:
        """End the snapshot (the export's key goes with it)."""
        self._stack.close()

    def blocks(self, fmt: ExportFormat, language: str, *, labels: bool = False) -> Iterator[bytes]:
        """The file, in blocks of bytes, with labels in `language` instead of codes where
        `labels` (CSV, XLSX and Parquet; a .sav file has both); closes the snapshot when
        done."""
        try:
            if fmt == ExportFormat.csv:
                yield from self._csv(language if labels else None)
            elif fmt == ExportFormat.xlsx:
                sheets = self._codebook_sheets(language)
                rows = self.batches(language if labels else None)
                yield from xlsx_blocks(self.columns, rows, self.rows, language, sheets)
            elif fmt == ExportFormat.sav:
                yield from self._sav_file(self._sav(language))
            elif fmt == ExportFormat.parquet:
                yield from parquet_blocks(
                    self.columns,
                    self.batches(language if labels else None, coded=True),
                    self.codebook_json(language, statistics=False),
                )
            else:
                yield self._codebook(fmt, language)
        finally:
            self.close()

    def _codebook(self, fmt: ExportFormat, language: str) -> bytes:
        if fmt == ExportFormat.codebook_csv:  # the table only: no pass over the rows
            return codebook_csv(self._book(language))
        if fmt == ExportFormat.codebook_json:
            return self.codebook_json(language)
        return codebook_markdown(self._book(language, self.statistics())).encode()

    def codebook_json(self, language: str, *, statistics: bool = True) -> bytes:
        """The codebook as JSON (the codebook.json file); with `statistics`, the item
        statistics too, which take a pass over every row."""
        book = self._book(language, self.statistics() if statistics else None)
        return json.dumps(book, ensure_ascii=False, indent=2, allow_nan=False).encode()

    def _book(self, language: str, statistics: ItemStatistics | None = None) -> dict[str, Any]:
        sav = self._sav(language)
        return codebook(self.questionnaire, self.columns, sav, language, statistics)

    def _codebook_sheets(self, language: str) -> list[tuple[str, Iterable[list[Cell]]]]:
        book = self._book(language)
        return [("labels", labels_table(book)), ("codebook", codebook_table(book))]

    def statistics(self) -> ItemStatistics:
        """Item statistics of the exported rows, one chunk in memory at a time; a lead
        item counted once per organisation, on its lead's row (see `itemstats`)."""
        moments = ItemMoments(self.questionnaire)
        for chunk in self._stored():
            responses = [from_stored(r.respondent, r.answers, r.profile) for r in chunk]
            moments.add(item_scores(self.questionnaire, chunks_of(responses, self.questionnaire)))
        return moments.statistics()

    def _csv(self, language: str | None) -> Iterator[bytes]:
        if not self.copy:
            yield from csv_blocks(self.columns, self._cells(language))
            return
        yield from csv_blocks(self.columns, [])
        yield from self._copied(language)

    def batches(
        self, language: str | None = None, *, coded: bool = False
    ) -> Iterator[pa.RecordBatch]:
        """The rows as Arrow batches (see `batches`), with labels in `language` where one
        is given, coded text as dictionaries with `coded`; the snapshot stays open
        (`blocks` closes it)."""
        if not self.copy:
            yield from cells_batches(self.columns, self._cells(language), coded=coded)
            return
        yield from csv_batches(self.columns, self._copied(language), coded=coded)

    def _copied(self, language: str | None) -> Iterator[bytes]:
        """The rows as CSV blocks straight from PostgreSQL's COPY (no header)."""
        return copy_csv(
            self.connection,
            questionnaire=self.questionnaire,
            version_id=self.version_id,
            pseudonyms=self.pseudonyms,
            labels=None if language is None else cell_labels(self.columns, language),
            lead_shown=self.lead_shown,
        )

    def _sav(self, language: str) -> SavLayout:
        values = research.attribute_values(self.connection, version_id=self.version_id)
        return SavLayout(self.questionnaire, self.columns, language, values)

    def _sav_file(self, layout: SavLayout) -> Iterator[bytes]:
        """The .sav file from the rows' batches; from the rows as stored where codes of
        a column are not apart once defused, as the batches hold them."""
        if layout.apart:
            return sav_blocks(SavCases(layout), self.batches(), self.rows)
        batches = cells_batches(self.columns, self._cells(), text=stored_text)
        return sav_blocks(SavCases(layout, defused=False), batches, self.rows)

    def _stored(self) -> Iterator[list[StoredRow]]:
        shared = [q.id for q in profile_questions(self.questionnaire)]
        return research.stored_rows(
            self.connection,
            version_id=self.version_id,
            pseudonyms=self.pseudonyms,
            shared=shared,
            leads=self.leads,
            detach=self.lead_shown,
        )

    def _cells(self, language: str | None = None) -> Iterator[list[list[Cell]]]:
        """The rows in chunks; with labels in `language` where one is given."""
        chunks = (
            list(export_rows(self.questionnaire, chunk, lead_shown=self.lead_shown))
            for chunk in self._stored()
        )
        if language is None:
            yield from chunks
        else:
            yield from labelled(chunks, cell_labels(self.columns, language))
