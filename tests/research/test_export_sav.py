""".sav exports written from the Arrow batches are the files the rows wrote before, cell by
cell: the same bytes but for the creation time, read back the same by pyreadstat, in one
batch or many, on the COPY path and the Python one."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlmodel import Session

from assess.domain.export import Pseudonyms, export_rows, profile_questions
from assess.persistence.models.questionnaires import QuestionnaireVersion
from assess.persistence.repository import research
from assess.persistence.repository.questionnaires import questionnaire_of
from assess.research import batches
from assess.research.export import ExportFormat, ResearchExport
from assess.research.sav import SavLayout
from tests.research.conftest import add_organisation
from tests.research.exporting import KEY, export
from tests.research.test_export_advice import add_organisation as add_advice_organisation
from tests.research.test_export_advice import (  # noqa: F401
    advice,
    lead_answers,
    three_organisations,
)

_CREATED = slice(92, 109)  # the header's creation date and time


def reference_frame(layout: SavLayout, rows: list[list[Any]]) -> Any:
    """The rows as the DataFrame the export wrote before it was written from batches:
    cell by cell, codes looked up by the stored values, statuses as missing codes."""
    import pandas as pd

    data: dict[str, Any] = {}
    for j, name, column in zip(layout.positions, layout.names, layout.columns, strict=True):
        cells = [row[j] for row in rows]
        if column.kind in ("organisation", "respondent"):
            data[name] = pd.Series(cells, dtype=object)
            continue
        codes: dict[Any, int] | None = layout.codes.get(name)
        if codes is not None:
            keyed = ["yes" if c is True else "no" if c is False else c for c in cells]
            cells = [math.nan if c is None else codes.get(c, math.nan) for c in keyed]
        numbers = [math.nan if c is None else c for c in cells]
        if column.kind == "item":
            statuses = [row[j + 1] for row in rows]
            numbers = [
                n if s is None else layout.missing_codes[s]
                for n, s in zip(numbers, statuses, strict=True)
            ]
        data[name] = pd.Series(numbers, dtype="float64")
    return pd.DataFrame(data)


def reference_sav(app: FastAPI, version: QuestionnaireVersion, path: Path, language: str) -> None:
    """The export's rows written by pyreadstat all at once, from the reference frame."""
    import pyreadstat

    questionnaire = questionnaire_of(version)
    opened = ResearchExport(
        app.state.engine, questionnaire, version.id, pseudonyms=Pseudonyms(KEY), copy=False
    )
    try:
        connection = opened.connection
        values = research.attribute_values(connection, version_id=version.id)
        layout = SavLayout(questionnaire, opened.columns, language, values)
        shared = [q.id for q in profile_questions(questionnaire)]
        stored = research.stored_rows(
            connection,
            version_id=version.id,
            pseudonyms=opened.pseudonyms,
            shared=shared,
            leads=opened.leads,
            detach=opened.lead_shown,
        )
        rows = [
            row
            for chunk in stored
            for row in export_rows(questionnaire, chunk, lead_shown=opened.lead_shown)
        ]
    finally:
        opened.close()
    pyreadstat.write_sav(
        reference_frame(layout, rows),
        str(path),
        column_labels=dict[str, str | None](layout.labels),
        variable_value_labels=dict[str, dict[int | float, str]](layout.value_labels),
        missing_ranges=dict[str, list[Any]](layout.missing),
        variable_measure=layout.measure,
    )


def assert_same_sav(got: bytes, reference: Path, tmp_path: Path) -> None:
    """The same file but for its creation time, and read back the same."""
    import pyreadstat

    path = tmp_path / "got.sav"
    path.write_bytes(got)
    want = reference.read_bytes()
    assert len(got) == len(want)
    assert got[: _CREATED.start] + got[_CREATED.stop :] == (
        want[: _CREATED.start] + want[_CREATED.stop :]
    )
    frame, meta = pyreadstat.read_sav(str(path), user_missing=True)
    want_frame, want_meta = pyreadstat.read_sav(str(reference), user_missing=True)
    assert frame.equals(want_frame)
    assert meta.column_labels == want_meta.column_labels
    assert meta.variable_value_labels == want_meta.variable_value_labels
    assert meta.missing_ranges == want_meta.missing_ranges


@pytest.mark.parametrize("copy", [True, False])
def test_sav_from_batches_is_the_file_the_rows_wrote(
    app: FastAPI,
    session: Session,
    version: QuestionnaireVersion,
    tmp_path: Path,
    monkeypatch: Any,
    copy: bool,
) -> None:
    add_organisation(session, version, respondents=14, seed=1, industry="=HYPERLINK(1)")
    add_organisation(session, version, respondents=9, seed=2, name="Beta AG", industry="")
    add_organisation(session, version, respondents=6, seed=3, name="Gamma KG", industry="-x")
    add_organisation(session, version, respondents=4, seed=4, name="Delta", industry=None)
    small_batches(monkeypatch, 5)
    reference_sav(app, version, tmp_path / "want.sav", "de")
    got = export(app, version, ExportFormat.sav, language="de", copy=copy)
    assert_same_sav(got, tmp_path / "want.sav", tmp_path)


def small_batches(monkeypatch: Any, rows: int) -> None:
    """Batches of `rows` rows on the Python path, of a few rows on the COPY path."""
    monkeypatch.setattr(batches, "BLOCK", 1 << 10)
    original = research.stored_rows
    monkeypatch.setattr(
        research, "stored_rows", lambda *a, **k: original(*a, **{**k, "chunk_rows": rows})
    )


@pytest.mark.parametrize("copy", [True, False])
def test_sav_with_lead_items_dont_know_and_importance_is_the_file_the_rows_wrote(
    app: FastAPI,
    session: Session,
    advice: QuestionnaireVersion,  # noqa: F811
    tmp_path: Path,
    monkeypatch: Any,
    copy: bool,
) -> None:
    three_organisations(session, advice)
    # The three leads' rows come last, apart from their organisations (no pseudonym):
    # the last batch has no organisation at all, and its variable keeps its width.
    small_batches(monkeypatch, 3)
    reference_sav(app, advice, tmp_path / "want.sav", "en")
    got = export(app, advice, ExportFormat.sav, language="en", copy=copy)
    assert_same_sav(got, tmp_path / "want.sav", tmp_path)


def test_pseudonyms_keep_their_width_where_no_row_has_an_organisation(
    app: FastAPI,
    session: Session,
    advice: QuestionnaireVersion,  # noqa: F811
    tmp_path: Path,
) -> None:
    import pyreadstat

    for name in ("Muster GmbH", "Beta AG", "Gamma KG"):
        add_advice_organisation(session, advice, name, [lead_answers(1)])
    path = tmp_path / "leads.sav"
    path.write_bytes(export(app, advice, ExportFormat.sav, language="en"))
    frame, meta = pyreadstat.read_sav(str(path))
    assert list(frame["organisation"]) == ["", "", ""]
    assert [len(r) for r in frame["respondent"]] == [16] * 3
    assert meta.variable_storage_width["organisation"] == 16


def test_attribute_values_that_one_text_once_defused_keep_their_own_codes(
    app: FastAPI, session: Session, version: QuestionnaireVersion, tmp_path: Path
) -> None:
    import pyreadstat

    add_organisation(session, version, respondents=3, seed=1, industry="=a")
    add_organisation(session, version, respondents=2, seed=2, name="Beta AG", industry="'=a")
    reference_sav(app, version, tmp_path / "want.sav", "de")
    got = export(app, version, ExportFormat.sav, language="de")
    assert_same_sav(got, tmp_path / "want.sav", tmp_path)
    frame, meta = pyreadstat.read_sav(str(tmp_path / "got.sav"))
    codes = {text: code for code, text in meta.variable_value_labels["industry"].items()}
    assert sorted(frame["industry"].value_counts().to_dict().items()) == sorted(
        [(codes["'=a"], 2), (codes["=a"], 3)]
    )


def test_dictionary_is_the_one_pyreadstat_writes(tmp_path: Path) -> None:
    import pandas as pd
    import pyreadstat

    from assess.research.sav_dictionary import SavVariable, sav_dictionary

    names = ["respondent", "score_listening", "score_listening_2", "V1", "score_lis", "v2", "x"]
    names += [f"strategy_{n}" for n in range(40)] + ["VB", "v10"]  # short names past VZ
    labels = {name: f"Läbel {name} " + "ä" * (40 * n) for n, name in enumerate(names)}
    cut = "x" + "ü" * 70  # 141 bytes: cut at 120, between two characters
    value_labels = {"V1": {2.0: "zwei", 1.0: cut, -1.0: "nicht anwendbar"}, "x": {0: "no"}}
    missing: dict[str, list[Any]] = {"V1": [-1.0, -2.0], "v2": [{"lo": -4.0, "hi": -1.0}]}
    measure = dict.fromkeys(names, "ordinal") | {"x": "scale", "respondent": "nominal"}
    frame = pd.DataFrame(
        {
            name: pd.Series(["0123456789abcdef"], dtype=object) if n == 0 else [1.5]
            for n, name in enumerate(names)
        }
    )
    path = tmp_path / "want.sav"
    pyreadstat.write_sav(
        frame,
        str(path),
        column_labels=dict[str, str | None](labels),
        variable_value_labels=dict[str, dict[int | float, str]](value_labels),
        missing_ranges=missing,
        variable_measure=measure,
    )
    variables = [
        SavVariable(
            name,
            width=16 if n == 0 else 0,
            label=labels[name],
            value_labels=value_labels.get(name),
            missing=missing.get(name),
            measure=measure[name],
        )
        for n, name in enumerate(names)
    ]
    want = path.read_bytes()[: -(16 + 8 * (len(names) - 1))]
    got = sav_dictionary(variables, 1, path.stat().st_mtime)
    assert got[: _CREATED.start] + got[_CREATED.stop :] == (
        want[: _CREATED.start] + want[_CREATED.stop :]
    )
