"""The export's rows as Arrow batches: the same values as the CSV, by either path."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from fastapi import FastAPI
from sqlmodel import Session

from assess.domain.export import Pseudonyms
from assess.persistence.models.questionnaires import QuestionnaireVersion
from assess.persistence.repository.questionnaires import questionnaire_of
from assess.research.batches import csv_batches, schema
from assess.research.export import ExportFormat, ResearchExport
from tests.research.conftest import add_organisation
from tests.research.exporting import KEY, export


def table(
    app: FastAPI,
    version: QuestionnaireVersion,
    *,
    copy: bool,
    language: str | None = None,
    coded: bool = False,
) -> Any:
    """The export's batches as one Arrow table (coded text decoded where `coded`)."""
    import pyarrow as pa

    opened = ResearchExport(
        app.state.engine,
        questionnaire_of(version),
        version.id,
        pseudonyms=Pseudonyms(KEY),
        copy=copy,
    )
    try:
        fields = schema(opened.columns, coded=coded)
        found = pa.Table.from_batches(list(opened.batches(language, coded=coded)), schema=fields)
        return found.cast(schema(opened.columns)) if coded else found
    finally:
        opened.close()


def as_csv_cells(app: FastAPI, version: QuestionnaireVersion, **kw: Any) -> list[list[str]]:
    """The CSV export's header and rows."""
    return list(csv.reader(io.StringIO(export(app, version, ExportFormat.csv, **kw).decode())))


@pytest.mark.parametrize("language", [None, "de"])
def test_batches_hold_the_csvs_cells_typed(
    app: FastAPI, session: Session, version: QuestionnaireVersion, language: str | None
) -> None:
    add_organisation(session, version, respondents=12, seed=1)
    add_organisation(session, version, respondents=6, seed=2, industry='=1+1, "quoted"\r\n')
    labels = {"language": language, "labels": True} if language else {}
    header, *rows = as_csv_cells(app, version, **labels)
    got = table(app, version, copy=True, language=language)
    assert got.column_names == header
    assert got.num_rows == len(rows) == 18
    for j, name in enumerate(header):
        column = got.column(name).to_pylist()
        numeric = got.schema.field(name).type == "double"
        for value, text in zip(column, (row[j] for row in rows), strict=True):
            if value is None:
                assert text == ""
            elif numeric:
                assert value == float(text)
            else:
                assert value == text
    industries = set(got.column("industry").to_pylist())
    assert '\'=1+1, "quoted"\r\n' in industries  # defused, as in the CSV


def test_postgresql_and_python_batches_are_equal(
    app: FastAPI, session: Session, version: QuestionnaireVersion
) -> None:
    if app.state.engine.dialect.name != "postgresql":
        pytest.skip("the COPY path runs on PostgreSQL only")
    add_organisation(session, version, respondents=30, seed=7)
    add_organisation(session, version, respondents=5, seed=8, industry="")
    for language in (None, "en"):
        copied = table(app, version, copy=True, language=language)
        assert copied.equals(table(app, version, copy=False, language=language))
        for copy in (True, False):
            coded = table(app, version, copy=copy, language=language, coded=True)
            assert coded.equals(copied)


def test_csv_text_becomes_typed_columns_with_nulls_and_empty_text_apart() -> None:
    from assess.domain.export import ExportColumn

    both = {"de": "", "en": ""}
    columns = [ExportColumn("a", "attribute", both, False), ExportColumn("s", "score", both, True)]
    blocks = [b'x,1.5\n"",\n', b',2\n"multi\nline, ""q""",1e-05\n']
    (batch,) = list(csv_batches(columns, blocks))
    assert batch.column(0).to_pylist() == ["x", "", None, 'multi\nline, "q"']
    assert batch.column(1).to_pylist() == [1.5, None, 2.0, 1e-05]
