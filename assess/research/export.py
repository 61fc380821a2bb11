"""Research exports: one snapshot of the opted-in data of a questionnaire version, streamed
as CSV, XLSX, SPSS .sav, or its codebook (Markdown, JSON), with flat memory."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from enum import StrEnum

from sqlalchemy import Connection, Engine

from assess.domain.answers import chunks_of, from_stored
from assess.domain.export import (
    Cell,
    Pseudonyms,
    StoredRow,
    export_columns,
    export_rows,
    respondent_questions,
)
from assess.domain.itemstats import ItemMoments, ItemStatistics
from assess.domain.questionnaire import Questionnaire
from assess.domain.scoring import table_from_chunks
from assess.repository import research
from assess.repository.research_copy import copy_csv
from assess.research.codebook import codebook, codebook_markdown
from assess.research.files import csv_blocks, xlsx_blocks
from assess.research.sav import SavLayout, sav_blocks


class ExportFormat(StrEnum):
    """What an export is written as."""

    csv = "csv"
    xlsx = "xlsx"
    sav = "sav"
    codebook_md = "codebook.md"
    codebook_json = "codebook.json"


MEDIA_TYPES = {
    ExportFormat.csv: "text/csv; charset=utf-8",
    ExportFormat.xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFormat.sav: "application/x-spss-sav",
    ExportFormat.codebook_md: "text/markdown; charset=utf-8",
    ExportFormat.codebook_json: "application/json",
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
        try:
            self.rows = research.exportable_count(self.connection, version_id=version_id)
        except BaseException:
            self.close()
            raise
        if self.rows == 0:
            self.close()
            raise NothingToExport(
                f"No response of {questionnaire.id} version {questionnaire.version} may be "
                "exported yet: researchers see submitted responses of closed assessments of "
                "organisations that opted in to benchmarks, and there are none."
            )

    def close(self) -> None:
        """End the snapshot (the export's key goes with it)."""
        self._stack.close()

    def blocks(self, fmt: ExportFormat, language: str) -> Iterator[bytes]:
        """The file, in blocks of bytes; closes the snapshot when done."""
        try:
            if fmt == ExportFormat.csv:
                yield from self._csv()
            elif fmt == ExportFormat.xlsx:
                yield from xlsx_blocks(self.columns, self._cells())
            elif fmt == ExportFormat.sav:
                yield from sav_blocks(self._sav(language), self._cells(), self.rows)
            else:
                book = codebook(
                    self.questionnaire,
                    self.columns,
                    self._sav(language),
                    language,
                    self.statistics(),
                )
                if fmt == ExportFormat.codebook_json:
                    yield json.dumps(book, ensure_ascii=False, indent=2, allow_nan=False).encode()
                else:
                    yield codebook_markdown(book).encode()
        finally:
            self.close()

    def statistics(self) -> ItemStatistics:
        """Item statistics of the exported rows, one chunk in memory at a time."""
        moments = ItemMoments(self.questionnaire)
        for chunk in self._stored():
            responses = [from_stored(r.respondent, r.answers, r.profile) for r in chunk]
            table = table_from_chunks(
                self.questionnaire, chunks_of(responses, self.questionnaire), keep_items=True
            )
            assert table.items is not None  # kept on request
            moments.add(table.items)
        return moments.statistics()

    def _csv(self) -> Iterator[bytes]:
        if not self.copy:
            yield from csv_blocks(self.columns, self._cells())
            return
        yield from csv_blocks(self.columns, [])
        yield from copy_csv(
            self.connection,
            questionnaire=self.questionnaire,
            version_id=self.version_id,
            pseudonyms=self.pseudonyms,
        )

    def _sav(self, language: str) -> SavLayout:
        values = research.attribute_values(self.connection, version_id=self.version_id)
        return SavLayout(self.questionnaire, self.columns, language, values)

    def _stored(self) -> Iterator[list[StoredRow]]:
        shared = [q.id for q in respondent_questions(self.questionnaire)]
        return research.stored_rows(
            self.connection, version_id=self.version_id, pseudonyms=self.pseudonyms, shared=shared
        )

    def _cells(self) -> Iterator[list[list[Cell]]]:
        for chunk in self._stored():
            yield list(export_rows(self.questionnaire, chunk))
