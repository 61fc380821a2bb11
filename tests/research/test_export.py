"""Research exports read back (csv, openpyxl, pyreadstat) and compared with the database
and the scoring engine."""

from __future__ import annotations

import csv
import io
import math
from typing import Any

import pytest
from fastapi import FastAPI
from sqlmodel import Session, select

from assess.domain.answers import chunks_of, from_stored
from assess.domain.export import Pseudonyms, export_columns
from assess.domain.export_text import number_text
from assess.domain.scoring import respondent_scores, table_from_chunks
from assess.domain.variables import has_lead_items
from assess.persistence.models.assessments import Assessment, AssessmentStatus, Invitation
from assess.persistence.models.organisations import Organisation
from assess.persistence.models.questionnaires import QuestionnaireVersion
from assess.persistence.models.responses import Response, ResponseStatus
from assess.persistence.repository import research
from assess.persistence.repository.questionnaires import questionnaire_of
from assess.research.export import ExportFormat, NothingToExport, ResearchExport
from tests.research.conftest import add_organisation
from tests.research.exporting import KEY, csv_rows, export


def expected_rows(session: Session, version: QuestionnaireVersion) -> dict[str, dict[str, Any]]:
    """Per respondent pseudonym: the stored answers and the engine's scores."""
    questionnaire = questionnaire_of(version)
    pseudonyms = Pseudonyms(KEY)
    rows = session.exec(select(Response).where(Response.status == ResponseStatus.submitted))
    expected = {}
    for response in rows.all():
        assessment = session.get(Assessment, response.assessment_id)
        assert assessment is not None
        organisation = session.get(Organisation, assessment.organisation_id)
        assert organisation is not None
        if not organisation.benchmark_opt_in or assessment.status != AssessmentStatus.closed:
            continue
        typed = [from_stored("r", response.answers, response.profile)]
        table = table_from_chunks(questionnaire, chunks_of(typed, questionnaire), keep_items=True)
        (score,) = respondent_scores(questionnaire, table)
        expected[pseudonyms.of(response.id.bytes)] = {
            "organisation": pseudonyms.of(organisation.id.bytes),
            "response": response,
            "scores": score,
        }
    return expected


def test_csv_holds_every_exportable_response_with_the_engines_scores(
    app: FastAPI, session: Session, version: QuestionnaireVersion
) -> None:
    add_organisation(session, version, respondents=12, seed=1)
    add_organisation(session, version, respondents=5, seed=2, name="Beta AG")
    rows = csv_rows(export(app, version, ExportFormat.csv))
    expected = expected_rows(session, version)
    assert sorted(r["respondent"] for r in rows) == sorted(expected)
    questionnaire = questionnaire_of(version)
    for row in rows:
        want = expected[row["respondent"]]
        assert row["organisation"] == want["organisation"]
        answers = want["response"].answers
        for item in questionnaire.item_ids():
            stored = answers.get(item)
            name = item.replace("-", "_")
            cell, status = row[name], row[f"{name}_status"]
            assert status == ("skipped" if stored is None else "na" if stored == "na" else "")
            if stored is None or stored == "na":
                assert cell == ""
            elif isinstance(stored, bool):
                assert cell == ("yes" if stored else "no")
            elif isinstance(stored, float):
                assert float(cell) == stored
            else:
                assert cell == stored
        scores = want["scores"]
        for dim, score in scores.dimensions.items():
            assert row[f"score_{dim}"] == ("" if score is None else number_text(score))
            if score is not None:
                assert float(row[f"score_{dim}"]) == score  # to the float
        overall = scores.overall
        assert row["score_overall"] == ("" if overall is None else number_text(overall))
        assert (row["industry"], row["size"], row["country"]) == ("retail", "50-249", "de")


def test_rows_are_ordered_by_pseudonym_so_two_exports_share_no_order(
    app: FastAPI, session: Session, version: QuestionnaireVersion
) -> None:
    add_organisation(session, version, respondents=6, seed=1)
    add_organisation(session, version, respondents=6, seed=2, name="Beta AG")
    first = csv_rows(export(app, version, ExportFormat.csv, pseudonyms=Pseudonyms()))
    second = csv_rows(export(app, version, ExportFormat.csv, pseudonyms=Pseudonyms()))
    keys = [(r["organisation"], r["respondent"]) for r in first]
    assert keys == sorted(keys)
    assert {r["organisation"] for r in first}.isdisjoint({r["organisation"] for r in second})
    assert {r["respondent"] for r in first}.isdisjoint({r["respondent"] for r in second})
    assert len({r["organisation"] for r in first}) == 2  # one pseudonym per organisation


def test_only_opted_in_organisations_and_closed_assessments_appear(
    app: FastAPI, session: Session, version: QuestionnaireVersion
) -> None:
    add_organisation(session, version, respondents=4, seed=1, industry="shown")
    add_organisation(session, version, respondents=4, seed=2, opt_in=False, industry="out")
    add_organisation(
        session, version, respondents=4, seed=3, status=AssessmentStatus.open, industry="open"
    )
    rows = csv_rows(export(app, version, ExportFormat.csv))
    assert len(rows) == 4  # the unsubmitted response is left out too
    assert {r["industry"] for r in rows} == {"shown"}


def test_small_groups_of_a_respondent_question_are_blanked(
    app: FastAPI, session: Session, version: QuestionnaireVersion
) -> None:
    add_organisation(session, version, respondents=5, teams=["front"] * 3 + ["back"] * 2)
    rows = csv_rows(export(app, version, ExportFormat.csv))
    assert sorted(r["team"] for r in rows) == ["", "", "front", "front", "front"]


def test_an_organisations_assessments_count_together_under_one_pseudonym(
    app: FastAPI, session: Session, version: QuestionnaireVersion
) -> None:
    organisation = add_organisation(
        session, version, respondents=4, teams=["front", "front", "back", "back"]
    )
    second = Assessment(
        organisation_id=organisation.id,
        questionnaire_version_id=version.id,
        name="Wave 2",
        status=AssessmentStatus.closed,
    )
    session.add(second)
    session.flush()
    session.add(
        Response(
            assessment_id=second.id,
            respondent="later@muster.example",
            answers={"listen-feedback": 7.0},
            profile={"team": "front"},
            status=ResponseStatus.submitted,
        )
    )
    session.commit()
    for copy in (True, False):
        rows = csv_rows(export(app, version, ExportFormat.csv, copy=copy))
        assert sorted(r["team"] for r in rows) == ["", "", "front", "front", "front"]
        assert len({r["organisation"] for r in rows}) == 1
    if app.state.engine.dialect.name == "postgresql":
        copied = export(app, version, ExportFormat.csv, copy=True)
        assert copied == export(app, version, ExportFormat.csv, copy=False)


def test_cells_that_start_a_formula_are_defused(
    app: FastAPI, session: Session, version: QuestionnaireVersion
) -> None:
    add_organisation(session, version, respondents=3, industry='=HYPERLINK("http://x","y")')
    add_organisation(session, version, respondents=3, seed=5, industry="\tcmd, and more")
    data = export(app, version, ExportFormat.csv)
    industries = {r["industry"] for r in csv_rows(data)}
    assert industries == {'\'=HYPERLINK("http://x","y")', "'\tcmd, and more"}
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(export(app, version, ExportFormat.xlsx)), read_only=True)
    cells = [row[2] for row in workbook["data"].iter_rows(min_row=2, values_only=True)]
    assert '=HYPERLINK("http://x","y")' in cells  # stored as text, not as a formula
    raw = io.BytesIO(export(app, version, ExportFormat.xlsx))
    import zipfile

    sheet = zipfile.ZipFile(raw).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet


def test_no_column_or_cell_holds_names_emails_labels_free_text_or_ids(
    app: FastAPI, session: Session, version: QuestionnaireVersion
) -> None:
    organisation = add_organisation(session, version, respondents=4, name="Geheim GmbH")
    secrets = {"Geheim", "geheim", "secret remark", "remark", str(organisation.id)}
    secrets |= {organisation.id.hex}
    secrets |= {r.respondent for r in session.exec(select(Response)).all()}
    secrets |= {str(r.id) for r in session.exec(select(Response)).all()}
    for fmt in ExportFormat:
        data = export(app, version, fmt)
        if fmt == ExportFormat.xlsx:
            import zipfile

            archive = zipfile.ZipFile(io.BytesIO(data))
            text = "".join(archive.read(n).decode() for n in archive.namelist())
        else:
            text = data.decode("latin-1")
        if fmt.value.startswith("codebook") or fmt == ExportFormat.xlsx:
            secrets -= {"@", "remark"}  # the codebook explains; it holds no data
        found = [s for s in secrets if s in text]
        assert found == [], (fmt, found)
    names = [c.name for c in export_columns(questionnaire_of(version))]
    assert "remark" not in names


def test_a_version_without_exportable_data_is_refused_with_the_reason(
    app: FastAPI, session: Session, version: QuestionnaireVersion
) -> None:
    add_organisation(session, version, respondents=3, opt_in=False)
    with pytest.raises(NothingToExport, match="opted in"):
        export(app, version, ExportFormat.csv)


def test_xlsx_reads_back_as_the_csv(
    app: FastAPI, session: Session, version: QuestionnaireVersion
) -> None:
    from openpyxl import load_workbook

    add_organisation(session, version, respondents=9, seed=3)
    expected = list(csv.reader(io.StringIO(export(app, version, ExportFormat.csv).decode())))
    workbook = load_workbook(io.BytesIO(export(app, version, ExportFormat.xlsx)), read_only=True)
    rows = list(workbook["data"].iter_rows(values_only=True))
    assert [list(rows[0])] == expected[:1]
    for got, want in zip(rows[1:], expected[1:], strict=True):
        padded = list(got) + [None] * (len(want) - len(got))  # trailing empty cells are cut
        for value, text in zip(padded, want, strict=True):
            if isinstance(value, float | int):
                assert value == float(text)
            else:
                assert (value or "") == text


def test_sav_has_labels_codes_and_the_engines_scores(
    app: FastAPI, session: Session, version: QuestionnaireVersion, tmp_path: Any
) -> None:
    import pyreadstat

    add_organisation(session, version, respondents=9, seed=3, teams=["front"] * 9)
    rows = {r["respondent"]: r for r in csv_rows(export(app, version, ExportFormat.csv))}
    path = tmp_path / "export.sav"
    path.write_bytes(export(app, version, ExportFormat.sav, language="de"))
    frame, meta = pyreadstat.read_sav(str(path), user_missing=True)
    assert len(frame) == 9
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert labels["act_owner"] == "Wer verantwortet Korrekturen?"
    assert meta.variable_value_labels["act_owner"] == {
        1.0: "Niemand",
        2.0: "Ein Team",
        3.0: "Die Geschäftsleitung",
        -1.0: "Nicht anwendbar",
        -2.0: "Kann ich nicht beurteilen",
        -3.0: "ausgelassen",
    }
    assert meta.missing_ranges["act_owner"] == [
        {"lo": code, "hi": code} for code in (-1.0, -2.0, -3.0)
    ]
    assert meta.variable_value_labels["team"][1.0] == "Frontoffice"
    codes = {"nobody": 1, "team": 2, "board": 3}
    missing = {"na": -1, "skipped": -3}
    for _, sav_row in frame.iterrows():
        row = rows[sav_row["respondent"]]
        owner, status = sav_row["act_owner"], row["act_owner_status"]
        assert owner == (missing[status] if status else codes[row["act_owner"]])
        for column in ("score_listening", "score_acting", "score_sharing", "score_overall"):
            value = sav_row[column]
            assert (row[column] == "") if math.isnan(value) else float(row[column]) == value
        assert sav_row["team"] == 1.0


def test_sav_in_many_chunks_is_one_valid_file(
    app: FastAPI, session: Session, version: QuestionnaireVersion, tmp_path: Any, monkeypatch: Any
) -> None:
    import pyreadstat

    add_organisation(session, version, respondents=25, seed=4)
    monkeypatch.setattr(research, "CHUNK_ROWS", 4)
    original = research.stored_rows
    monkeypatch.setattr(
        research, "stored_rows", lambda *a, **k: original(*a, **{**k, "chunk_rows": 4})
    )
    path = tmp_path / "chunked.sav"
    path.write_bytes(export(app, version, ExportFormat.sav))
    frame, meta = pyreadstat.read_sav(str(path))
    assert meta.number_rows == 25
    assert len(frame) == 25
    rows = csv_rows(export(app, version, ExportFormat.csv))
    assert list(frame["respondent"]) == [r["respondent"] for r in rows]


def test_codebook_describes_every_column_rules_and_item_statistics(
    app: FastAPI, session: Session, version: QuestionnaireVersion
) -> None:
    import json

    add_organisation(session, version, respondents=8, seed=6)
    book = json.loads(export(app, version, ExportFormat.codebook_json, language="de"))
    header = csv_rows(export(app, version, ExportFormat.csv))[0].keys()
    assert [c["variable"] for c in book["variables"]] == list(header)
    owner = next(c for c in book["variables"] if c["variable"] == "act_owner")
    assert owner["values"][0] == {
        "value": "nobody",
        "label": "Niemand",
        "score": 0.0,
        "spss_code": 1,
    }
    assert (owner["dimension"], owner["weight"], owner["item_type"]) == ("acting", 3.0, "choice")
    assert book["rows"] == 8
    assert set(book["item_statistics"]["dimensions"]) == {"listening", "acting", "sharing"}
    team = next(c for c in book["variables"] if c["variable"] == "team")
    assert team["hidden_below"] == 3
    markdown = export(app, version, ExportFormat.codebook_md, language="en").decode()
    assert "## Appendix: item statistics" in markdown
    assert "fewer than 3 respondents" in markdown


def test_postgresql_copy_and_python_paths_give_identical_files(
    app: FastAPI, session: Session, version: QuestionnaireVersion
) -> None:
    if app.state.engine.dialect.name != "postgresql":
        pytest.skip("the COPY path runs on PostgreSQL only")
    add_organisation(session, version, respondents=40, seed=7)
    add_organisation(session, version, respondents=15, seed=8, industry='-1, "quoted"\r')
    copied = export(app, version, ExportFormat.csv, copy=True)
    formatted = export(app, version, ExportFormat.csv, copy=False)
    assert copied == formatted
    assert len(csv_rows(copied)) == 55
    labelled = {"language": "de", "labels": True}
    copied = export(app, version, ExportFormat.csv, copy=True, **labelled)
    assert copied == export(app, version, ExportFormat.csv, copy=False, **labelled)
    assert "Die Geschäftsleitung" in copied.decode()


def test_copy_on_two_connections_merges_both_halves_into_the_python_paths_file(
    app: FastAPI, session: Session, version: QuestionnaireVersion
) -> None:
    if app.state.engine.dialect.name != "postgresql":
        pytest.skip("the COPY path runs on PostgreSQL only")
    for seed in range(16):  # both halves hold organisations, but for 2 in 65,536 keys
        add_organisation(session, version, respondents=3, seed=20 + seed, name=f"Org {seed}")
    copied = export(app, version, ExportFormat.csv, copy=True)
    assert copied == export(app, version, ExportFormat.csv, copy=False)
    rows = csv_rows(copied)
    assert len(rows) == 48
    assert {int(row["organisation"][-1], 16) % 2 for row in rows} == {0, 1}


def test_an_export_reads_the_snapshot_taken_at_its_start(
    app: FastAPI, session: Session, version: QuestionnaireVersion
) -> None:
    organisation = add_organisation(session, version, respondents=4, seed=9)
    add_organisation(session, version, respondents=3, seed=10, name="Other AG")
    opened = ResearchExport(app.state.engine, questionnaire_of(version), version.id)
    organisation.benchmark_opt_in = False  # opts out while the export runs
    session.add(organisation)
    session.commit()
    counted = opened.rows  # counted now, in the snapshot
    rows = csv_rows(b"".join(opened.blocks(ExportFormat.csv, "en")))
    assert len(rows) == counted == 7
    assert len(csv_rows(export(app, version, ExportFormat.csv))) == 3  # the next export


def test_invitations_e_mail_addresses_and_languages_appear_in_no_export(
    app: FastAPI, session: Session, version: QuestionnaireVersion
) -> None:
    add_organisation(session, version, respondents=4, name="Adressen AG")
    responses = session.exec(select(Response)).all()
    for number, response in enumerate(responses):
        invitation = Invitation(
            assessment_id=response.assessment_id,
            label=f"invitee {number}",
            token_hash=f"{number:064}",
            email=f"invitee{number}@hidden-mail.example",
            language="de",
        )
        session.add(invitation)
        session.flush()
        response.invitation_id = invitation.id
        session.add(response)
    session.commit()
    for fmt in ExportFormat:
        data = export(app, version, fmt)
        if fmt == ExportFormat.xlsx:
            import zipfile

            archive = zipfile.ZipFile(io.BytesIO(data))
            text = "".join(archive.read(n).decode() for n in archive.namelist())
        else:
            text = data.decode("latin-1")
        assert "hidden-mail" not in text, fmt
        assert "invitee" not in text, fmt
    header = csv_rows(export(app, version, ExportFormat.csv))[0]
    assert not [name for name in header if "mail" in name or "language" in name]


def test_an_export_without_lead_items_does_not_count_the_leads_rows(
    app: FastAPI, session: Session, version: QuestionnaireVersion, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert not has_lead_items(questionnaire_of(version))
    add_organisation(session, version, respondents=4, seed=3)

    def counted(*args: Any, **kwargs: Any) -> int:
        raise AssertionError("the leads' rows were counted (a scan of every response)")

    monkeypatch.setattr(research, "exportable_leads", counted)
    assert len(csv_rows(export(app, version, ExportFormat.csv))) == 4
