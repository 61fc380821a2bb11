"""The XLSX export as spreadsheets read it (openpyxl, the ZIP itself): sheets past Excel's
row limit, formula starts, text that XML cannot hold as it is, and ZIP64."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

import pytest
from fastapi import FastAPI
from sqlmodel import Session

from assess.domain.export import ExportColumn
from assess.persistence.models.questionnaires import QuestionnaireVersion
from assess.research import xlsx, zipstream
from assess.research.export import ExportFormat
from tests.research.conftest import add_organisation
from tests.research.exporting import export

BOTH = {"de": "", "en": ""}


def workbook(data: bytes) -> Any:
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(data))


def sheet_rows(book: Any, name: str) -> list[list[Any]]:
    """A sheet's rows, each as wide as the sheet."""
    return [list(row) for row in book[name].iter_rows(values_only=True)]


def test_rows_past_a_sheets_limit_continue_on_the_next_sheet_and_a_note_says_so(
    app: FastAPI, session: Session, version: QuestionnaireVersion, monkeypatch: Any
) -> None:
    add_organisation(session, version, respondents=7, seed=1)
    add_organisation(session, version, respondents=4, seed=2, name="Beta AG")
    header, *rows = csv.reader(io.StringIO(export(app, version, ExportFormat.csv).decode()))
    monkeypatch.setattr(xlsx, "XLSX_ROWS", 5)  # a header and four rows a sheet
    for copy in (True, False):
        book = workbook(export(app, version, ExportFormat.xlsx, copy=copy, language="de"))
        assert book.sheetnames == ["data", "data_2", "data_3", "notes", "labels", "codebook"]
        got = []
        for name in ("data", "data_2", "data_3"):
            first, *more = sheet_rows(book, name)
            assert first == header
            assert len(more) == (3 if name == "data_3" else 4)
            got += more
        assert [["" if v is None else v for v in row][:2] for row in got] == [
            row[:2] for row in rows
        ]
        score = header.index("score_overall")
        for row, want in zip(got, rows, strict=True):
            assert (row[score] is None) if want[score] == "" else row[score] == float(want[score])
        notes = sheet_rows(book, "notes")
        assert "11 Zeilen" in notes[0][0]
        assert "3 Blättern" in notes[0][0]
        assert notes[1:] == [
            ["sheet", "first_row", "last_row"],
            ["data", 1, 4],
            ["data_2", 5, 8],
            ["data_3", 9, 11],
        ]


def test_a_full_last_sheet_takes_no_empty_sheet_after_it(
    app: FastAPI, session: Session, version: QuestionnaireVersion, monkeypatch: Any
) -> None:
    add_organisation(session, version, respondents=8, seed=3)
    monkeypatch.setattr(xlsx, "XLSX_ROWS", 5)
    book = workbook(export(app, version, ExportFormat.xlsx))
    assert book.sheetnames == ["data", "data_2", "notes", "labels", "codebook"]
    assert [len(sheet_rows(book, name)) for name in ("data", "data_2")] == [5, 5]


def test_formula_starts_are_text_cells_kept_text_by_excels_quote_prefix(
    app: FastAPI, session: Session, version: QuestionnaireVersion
) -> None:
    starts = ["=1+1", "+49 30", "-1", "@SUM(A1)", "\t=cmd", "'quoted", "'=typed"]
    for seed, industry in enumerate(starts):
        add_organisation(session, version, respondents=3, seed=seed, industry=industry)
    for copy in (True, False):
        data = export(app, version, ExportFormat.xlsx, copy=copy)
        book = workbook(data)
        header = [c.value for c in book["data"][1]]
        cells = [row[header.index("industry")] for row in book["data"].iter_rows(min_row=2)]
        # The rows hold the CSV's defused text, which cannot tell a typed "'=typed" from
        # "=typed" defused: both read as =typed, kept text.
        assert {c.value for c in cells} == {*starts[:-1], "=typed"}
        for cell in cells:
            assert cell.data_type == "s"  # a string, never a formula
            assert cell.quotePrefix == (cell.value != "'quoted")
        sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
        assert "<f>" not in sheet
        assert "<t>=1+1</t>" in sheet


def test_text_xml_cannot_hold_as_it_is_reads_back_as_excel_reads_it() -> None:
    columns = [ExportColumn("a", "attribute", BOTH, False), ExportColumn("s", "score", BOTH, True)]
    texts = ["a & b <c>", " lead", "trail ", "line\r\nbreak", "bell\x07", "_x0041_", "", None]
    scores = [0.1, 1 / 3, 35.714285714285715, 1e-05, 2.5e20, -0.0, None, 7.0]
    import pyarrow as pa

    batch = pa.record_batch([pa.array(texts), pa.array(scores, pa.float64())], names=["a", "s"])
    data = b"".join(xlsx.xlsx_blocks(columns, [batch], len(texts), "en"))
    book = workbook(data)
    rows = sheet_rows(book, "data")
    # openpyxl leaves Excel's _xHHHH_ escapes as they are; Excel reads them as the character
    want = [t.replace("\x07", "_x0007_").replace("_x0041_", "_x005F_x0041_") for t in texts[:-1]]
    assert [r[0] for r in rows[1:]] == [*want, None]
    assert [r[1] for r in rows[1:]] == scores  # the engine's floats, to the last bit
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert '<t xml:space="preserve"> lead</t>' in sheet
    assert "line&#13;\nbreak" in sheet


def test_a_number_no_spreadsheet_can_store_is_refused() -> None:
    import pyarrow as pa

    columns = [ExportColumn("s", "score", BOTH, True)]
    batch = pa.record_batch([pa.array([1.0, float("nan")])], names=["s"])
    with pytest.raises(ValueError, match="column s holds a number"):
        b"".join(xlsx.xlsx_blocks(columns, [batch], 2, "en"))


def test_members_and_offsets_past_32_bits_get_zip64_fields(monkeypatch: Any) -> None:
    monkeypatch.setattr(zipstream, "LIMIT", 100)
    archive = zipstream.ZipStream()
    parts = []
    members = {"small": b"x" * 10, "large": bytes(range(256)) * 40, "after": b"y" * 50}
    for name, data in members.items():
        parts += [archive.start(name), archive.write(data[:7]), archive.write(data[7:])]
        parts.append(archive.finish())
    parts.append(archive.close())
    read = zipfile.ZipFile(io.BytesIO(b"".join(parts)))
    assert read.testzip() is None
    assert {name: read.read(name) for name in read.namelist()} == members


def test_an_xlsx_with_zip64_fields_reads_back(monkeypatch: Any) -> None:
    import pyarrow as pa

    monkeypatch.setattr(zipstream, "LIMIT", 200)
    columns = [ExportColumn("s", "score", BOTH, True)]
    batch = pa.record_batch([pa.array([float(i) for i in range(100)])], names=["s"])
    rows = sheet_rows(workbook(b"".join(xlsx.xlsx_blocks(columns, [batch], 100, "en"))), "data")
    assert rows == [["s"]] + [[i] for i in range(100)]
