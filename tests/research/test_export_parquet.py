"""The Parquet export read back by pyarrow and by DuckDB, compared with the CSV export and
the scoring engine."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlmodel import Session

from assess.domain.export import ExportColumn
from assess.research import parquet
from assess.research.export import ExportFormat
from tests.research.conftest import add_organisation
from tests.research.exporting import csv_rows, export
from tests.research.test_export import expected_rows

CODED = {"industry", "size", "country", "team", "remote", "act_owner", "listen_nps", "share_wiki"}


def written(app: FastAPI, version: Any, tmp_path: Path, **kw: Any) -> Path:
    """The version's Parquet export, saved as a file."""
    path = tmp_path / "export.parquet"
    path.write_bytes(export(app, version, ExportFormat.parquet, **kw))
    return path


def csv_cells(app: FastAPI, version: Any, **kw: Any) -> list[list[str]]:
    """The CSV export's header and rows."""
    return list(csv.reader(io.StringIO(export(app, version, ExportFormat.csv, **kw).decode())))


@pytest.mark.parametrize("labels", [False, True])
def test_parquet_holds_the_csvs_cells_typed_with_coded_columns_as_dictionaries(
    app: FastAPI, session: Session, version: Any, tmp_path: Path, labels: bool
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    add_organisation(session, version, respondents=12, seed=1)
    add_organisation(session, version, respondents=6, seed=2, industry='=1+1, "quoted"\r\n')
    kw = {"language": "de", "labels": labels}
    header, *rows = csv_cells(app, version, **kw)
    table = pq.read_table(written(app, version, tmp_path, **kw))
    assert table.column_names == header
    assert table.num_rows == len(rows) == 18
    for j, name in enumerate(header):
        kind = table.schema.field(name).type
        if name in CODED or name.endswith("_status"):
            assert kind == pa.dictionary(pa.int32(), pa.string()), name
        elif name in ("organisation", "respondent"):
            assert kind == pa.string()
        else:
            assert kind == pa.float64(), name
        for value, text in zip(table.column(name).to_pylist(), (r[j] for r in rows), strict=True):
            if value is None:
                assert text == ""
            elif kind == pa.float64():
                assert value == float(text)
            else:
                assert value == text
    owners = set(table.column("act_owner").to_pylist()) - {None}
    assert owners <= (
        {"Niemand", "Ein Team", "Die Geschäftsleitung"} if labels else {"nobody", "team", "board"}
    )
    assert '\'=1+1, "quoted"\r\n' in table.column("industry").to_pylist()  # defused


def test_parquet_scores_are_the_engines_to_the_float(
    app: FastAPI, session: Session, version: Any, tmp_path: Path
) -> None:
    import pyarrow.parquet as pq

    add_organisation(session, version, respondents=9, seed=3)
    add_organisation(session, version, respondents=5, seed=4, name="Beta AG")
    table = pq.read_table(written(app, version, tmp_path)).to_pylist()
    expected = expected_rows(session, version)
    assert sorted(r["respondent"] for r in table) == sorted(expected)
    for row in table:
        scores = expected[row["respondent"]]["scores"]
        assert row["organisation"] == expected[row["respondent"]]["organisation"]
        for dimension, score in scores.dimensions.items():
            assert row[f"score_{dimension}"] == score
        assert row["score_overall"] == scores.overall


def test_duckdb_reads_the_parquet_export_as_the_csv(
    app: FastAPI, session: Session, version: Any, tmp_path: Path
) -> None:
    import duckdb

    add_organisation(session, version, respondents=8, seed=5)
    add_organisation(session, version, respondents=4, seed=6, name="Beta AG", industry=None)
    path = written(app, version, tmp_path)
    rows = {r["respondent"]: r for r in csv_rows(export(app, version, ExportFormat.csv))}
    found = duckdb.sql(
        "select respondent, industry, act_owner, act_owner_status, listen_feedback, "
        f"score_overall from '{path}' order by respondent"
    ).fetchall()
    assert [r[0] for r in found] == sorted(rows)
    for respondent, industry, owner, status, feedback, overall in found:
        row = rows[respondent]
        assert (industry or "", owner or "", status or "") == (
            row["industry"],
            row["act_owner"],
            row["act_owner_status"],
        )
        assert feedback == (float(row["listen_feedback"]) if row["listen_feedback"] else None)
        assert overall == (float(row["score_overall"]) if row["score_overall"] else None)
    [(nulls,)] = duckdb.sql(f"select count(*) from '{path}' where industry is null").fetchall()
    assert nulls == 4
    grouped = duckdb.sql(
        f"select act_owner, count(*) from '{path}' group by act_owner order by act_owner"
    ).fetchall()
    counted: dict[Any, int] = {}
    for row in rows.values():
        owner = row["act_owner"] or None
        counted[owner] = counted.get(owner, 0) + 1
    assert dict(grouped) == counted


def test_parquet_metadata_holds_the_codebook_without_item_statistics(
    app: FastAPI, session: Session, version: Any, tmp_path: Path
) -> None:
    import duckdb
    import pyarrow.parquet as pq

    add_organisation(session, version, respondents=8, seed=6)
    path = written(app, version, tmp_path, language="de")
    book = json.loads(pq.read_schema(path).metadata[parquet.CODEBOOK_KEY])
    sidecar = json.loads(export(app, version, ExportFormat.codebook_json, language="de"))
    assert "item_statistics" in sidecar
    del sidecar["item_statistics"], sidecar["rows"]
    assert book == sidecar
    assert [v["variable"] for v in book["variables"]] == pq.read_schema(path).names
    [(kept,)] = duckdb.sql(
        f"select value from parquet_kv_metadata('{path}') where key = 'assess.codebook'"
    ).fetchall()
    assert json.loads(kept) == book


def test_rows_are_gathered_into_row_groups_each_with_its_own_dictionaries(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    both = {"de": "", "en": ""}
    columns = [
        ExportColumn("respondent", "respondent", both, False),
        ExportColumn("size", "attribute", both, False),
        ExportColumn("score_overall", "score", both, True),
    ]
    coded = pa.dictionary(pa.int32(), pa.string())

    def batch(start: int, sizes: list[str | None]) -> pa.RecordBatch:
        """A batch as the export gives it: each with a dictionary of its own."""
        respondents = pa.array([f"r{start + j}" for j in range(len(sizes))])
        scores = pa.array([float(start + j) for j in range(len(sizes))])
        arrays = [respondents, pa.array(sizes, type=coded), scores]
        return pa.RecordBatch.from_arrays(arrays, names=[c.name for c in columns])

    monkeypatch.setattr(parquet, "ROW_GROUP", 4)
    batches = [batch(0, ["s", "m", "s"]), batch(3, [None, "l"]), batch(5, ["xl", "xl"])]
    data = b"".join(parquet.parquet_blocks(columns, batches, b"{}"))
    file = pq.ParquetFile(pa.BufferReader(data))
    assert [file.metadata.row_group(g).num_rows for g in range(2)] == [5, 2]
    assert file.metadata.num_row_groups == 2
    first, second = (file.read_row_group(g).column("size") for g in range(2))
    assert first.num_chunks == second.num_chunks == 1
    assert first.chunk(0).dictionary.to_pylist() == ["s", "m", "l"]
    assert second.chunk(0).dictionary.to_pylist() == ["xl"]
    for group in range(2):
        assert file.metadata.row_group(group).column(1).has_dictionary_page
    table = file.read()
    assert table.column("size").to_pylist() == ["s", "m", "s", None, "l", "xl", "xl"]
    assert table.column("score_overall").to_pylist() == [float(j) for j in range(7)]
    assert file.schema_arrow.metadata[parquet.CODEBOOK_KEY] == b"{}"
    compression = file.metadata.row_group(0).column(1).compression
    assert compression == parquet.COMPRESSION.upper()


def test_a_row_group_of_batches_with_dictionaries_of_their_own_stays_dictionary_encoded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    both = {"de": "", "en": ""}
    columns = [ExportColumn("size", "attribute", both, False)]
    coded = pa.dictionary(pa.int32(), pa.string())
    batches = [
        pa.RecordBatch.from_arrays([pa.array(pair * 1000, type=coded)], names=["size"])
        for pair in (["small", "medium"], ["large", "small"])
    ]
    monkeypatch.setattr(parquet, "COMPRESSION", "none")
    monkeypatch.setattr(parquet, "COMPRESSION_LEVEL", None)
    data = b"".join(parquet.parquet_blocks(columns, batches, b"{}"))
    file = pq.ParquetFile(pa.BufferReader(data))
    assert file.metadata.num_row_groups == 1
    # Codes of a bit or two each: were the dictionary dropped for the second batch (as
    # Parquet does when it changes within a column chunk), its 2,000 values would be
    # written plain, at 9 to 10 bytes each.
    assert file.metadata.row_group(0).column(0).total_uncompressed_size < 2_000
    assert (
        file.read().column("size").to_pylist()
        == ["small", "medium"] * 1000
        + [
            "large",
            "small",
        ]
        * 1000
    )
