"""What a researcher reads in an export: labels or codes in the export's language, numbers
only in numeric columns with statuses beside them, one naming in every format, and the
organisation's profile answers under the disclosure rule."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from assess.domain.export import export_columns
from assess.domain.variables import variable_name
from assess.persistence.models.questionnaires import QuestionnaireVersion
from assess.persistence.models.responses import Response
from assess.persistence.repository.questionnaires import questionnaire_of
from assess.research.export import ExportFormat
from tests.conftest import Caller
from tests.research.conftest import add_organisation
from tests.research.exporting import EXPORT, csv_rows, export, researcher

NUMERIC = ["listen_feedback", "listen_ignore", "act_speed", "share_silo", "tenure"]
SCORES = ["score_listening", "score_acting", "score_sharing", "score_overall"]


def test_labels_in_german_replace_codes_and_statuses_but_numbers_stay_numbers(
    app: FastAPI, session: Session, version: QuestionnaireVersion
) -> None:
    add_organisation(session, version, respondents=12, seed=1)
    codes = csv_rows(export(app, version, ExportFormat.csv))
    german = csv_rows(export(app, version, ExportFormat.csv, language="de", labels=True))
    english = csv_rows(export(app, version, ExportFormat.csv, language="en", labels=True))
    owners = {"nobody": "Niemand", "team": "Ein Team", "board": "Die Geschäftsleitung", "": ""}
    statuses = {"": "", "na": "Nicht anwendbar"}
    statuses |= {"skipped": "ausgelassen"}
    for code, de, en in zip(codes, german, english, strict=True):
        assert de["act_owner"] == owners[code["act_owner"]]
        assert de["listen_nps"] == {"yes": "Ja", "no": "Nein", "": ""}[code["listen_nps"]]
        assert en["listen_nps"] == {"yes": "Yes", "no": "No", "": ""}[code["listen_nps"]]
        assert de["act_owner_status"] == statuses[code["act_owner_status"]]
        assert de["team"] == {"front": "Frontoffice", "back": "Backoffice", "": ""}[code["team"]]
        assert en["team"] == {"front": "Front office", "back": "Back office", "": ""}[code["team"]]
        for name in NUMERIC + SCORES:
            assert de[name] == en[name] == code[name]
    assert {r["act_owner_status"] for r in codes} >= {"", "na"}
    assert export(app, version, ExportFormat.csv, language="de") == export(
        app, version, ExportFormat.csv, language="en"
    )  # codes are codes in every language


def test_numeric_columns_hold_only_numbers_and_a_status_says_why_one_is_empty(
    app: FastAPI, session: Session, version: QuestionnaireVersion
) -> None:
    from openpyxl import load_workbook

    add_organisation(session, version, respondents=20, seed=2)
    rows = csv_rows(export(app, version, ExportFormat.csv))
    for row in rows:
        for name in NUMERIC[:-1]:
            status = row[f"{name}_status"]
            assert status in {"", "na", "skipped"}
            assert (row[name] != "") == (status == "")
            if row[name]:
                float(row[name])
    assert {r["listen_ignore_status"] for r in rows} == {"", "na", "skipped"}
    workbook = load_workbook(io.BytesIO(export(app, version, ExportFormat.xlsx)), read_only=True)
    data = list(workbook["data"].iter_rows(values_only=True))
    width = len(data[0])
    cells = [list(row) + [None] * (width - len(row)) for row in data]  # trailing empties cut
    for name in NUMERIC + SCORES:
        column = data[0].index(name)
        assert {type(row[column]) for row in cells[1:]} <= {int, float, type(None)}


def test_csv_xlsx_and_sav_share_one_naming_valid_in_spss(
    app: FastAPI, session: Session, version: QuestionnaireVersion, tmp_path: Any
) -> None:
    import pyreadstat
    from openpyxl import load_workbook

    add_organisation(session, version, respondents=5, seed=3)
    header = next(csv.reader(io.StringIO(export(app, version, ExportFormat.csv).decode())))
    workbook = load_workbook(io.BytesIO(export(app, version, ExportFormat.xlsx)), read_only=True)
    assert workbook.sheetnames == ["data", "labels", "codebook"]
    assert list(next(workbook["data"].iter_rows(values_only=True))) == header
    path = tmp_path / "export.sav"
    path.write_bytes(export(app, version, ExportFormat.sav))
    _, meta = pyreadstat.read_sav(str(path), metadataonly=True)
    assert meta.column_names == [name for name in header if not name.endswith("_status")]
    for name in header:
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,62}[A-Za-z0-9]", name), name


def test_variable_names_are_shortened_renamed_and_kept_apart_by_spss_rules() -> None:
    taken: set[str] = set()
    long = variable_name("a-" + "x" * 80, taken)
    assert len(long) == 57  # room left for "_status"
    assert long.startswith("a_x")
    assert variable_name("2nd-wave", taken) == "v2nd_wave"
    assert variable_name("and", taken) == "v_and"
    assert variable_name("Team", taken) == "Team"
    assert variable_name("team", taken) == "team_2"  # SPSS ignores case
    assert variable_name("a-" + "x" * 80, taken) == long[:55] + "_2"


def test_the_organisations_profile_answers_are_exported_where_three_share_them(
    app: FastAPI, session: Session, version: QuestionnaireVersion
) -> None:
    add_organisation(session, version, respondents=4, teams=["front"] * 4, seed=4)
    responses = session.exec(select(Response).where(Response.status == "submitted")).all()
    for response, remote in zip(responses, [True, True, True, False], strict=True):
        # The same tenure too: three who share only some of their answers stay unshown.
        response.profile = {**response.profile, "tenure": 2.0, "remote": remote}
        session.add(response)
    session.commit()
    columns = [c.name for c in export_columns(questionnaire_of(version))]
    assert "remote" in columns
    for copy in (True, False):
        rows = csv_rows(export(app, version, ExportFormat.csv, copy=copy))
        assert sorted(r["remote"] for r in rows) == ["", "yes", "yes", "yes"]
    import json

    book = json.loads(export(app, version, ExportFormat.codebook_json, language="de"))
    remote = next(v for v in book["variables"] if v["variable"] == "remote")
    assert (remote["scope"], remote["hidden_below"]) == ("organisation", 3)
    assert remote["meaning"].startswith("Angabe der befragten Person über ihre Organisation")


def test_the_codebook_csv_lists_each_items_scoring_facts_and_the_rules(
    app: FastAPI, session: Session, version: QuestionnaireVersion
) -> None:
    add_organisation(session, version, respondents=3, seed=5)
    table = csv_rows(export(app, version, ExportFormat.codebook_csv, language="de"))
    ignore = [r for r in table if r["variable"] == "listen_ignore"]
    assert {(r["dimension"], r["dimension_weight"], r["item_type"]) for r in ignore} == {
        ("listening", "2", "scale")
    }
    assert {(r["scale_min"], r["scale_max"], r["reverse"], r["weight"]) for r in ignore} == {
        ("0", "10", "yes", "1")
    }
    owner = {
        r["value"]: (r["value_label"], r["value_score"])
        for r in table
        if r["variable"] == "act_owner"
    }
    assert owner == {
        "nobody": ("Niemand", "0"),
        "team": ("Ein Team", "40"),
        "board": ("Die Geschäftsleitung", "100"),
    }
    status = {r["value"]: r["spss_code"] for r in table if r["variable"] == "act_owner_status"}
    assert status == {"na": "-1", "dk": "-2", "skipped": "-3"}
    level = next(r for r in table if r["variable"] == "score_sharing")
    assert (level["dimension_weight"], level["min_coverage"]) == ("0.5", "0.6")
    rules = [r["label"] for r in table if r["kind"] == "scoring_rule"]
    assert rules[0].startswith("Regel 1")
    assert "min_coverage (60%)" in rules[1]
    assert [r["value"] for r in table if r["kind"] == "stage"] == [
        "starting",
        "developing",
        "performing",
        "leading",
    ]


def test_the_api_takes_labels_as_a_boolean_and_names_the_allowed_values(
    client: TestClient, session: Session, admin: Caller, version: QuestionnaireVersion
) -> None:
    add_organisation(session, version, respondents=3)
    headers = researcher(client, admin)
    labelled = client.get(EXPORT, params={"labels": "true", "language": "de"}, headers=headers)
    assert labelled.status_code == 200
    owners = {r["act_owner"] for r in csv.DictReader(io.StringIO(labelled.text))}
    assert owners - {""}
    assert owners <= {"", "Niemand", "Ein Team", "Die Geschäftsleitung"}
    wrong = client.get(EXPORT, params={"labels": "maybe"}, headers=headers)
    assert wrong.status_code == 422
    assert "boolean" in wrong.text
    schema = client.get("/openapi.json").json()
    path = schema["paths"][
        "/api/v1/research/questionnaires/{questionnaire_id}/versions/{version}/export"
    ]
    parameters = {p["name"]: p["schema"] for p in path["get"]["parameters"]}
    assert parameters["labels"]["type"] == "boolean"
    formats = schema["components"]["schemas"]["ExportFormat"]["enum"]
    assert parameters["format"]["$ref"].endswith("/ExportFormat")
    assert formats == [
        "csv",
        "xlsx",
        "sav",
        "parquet",
        "codebook.md",
        "codebook.json",
        "codebook.csv",
    ]


@pytest.mark.parametrize("labels", [False, True])
def test_an_export_job_keeps_the_choice_of_labels(
    client: TestClient,
    session: Session,
    admin: Caller,
    version: QuestionnaireVersion,
    labels: bool,
) -> None:
    from tests.research.exporting import VERSION, finished

    add_organisation(session, version, respondents=4, teams=["front"] * 4)
    headers = researcher(client, admin)
    params: dict[str, Any] = {"format": "csv", "language": "de", "labels": labels}
    asked = client.post(f"{VERSION}/exports", params=params, headers=headers)
    assert asked.status_code == 202, asked.text
    assert asked.json()["labels"] is labels
    state = finished(client, asked.json()["status_url"], headers)
    rows = list(
        csv.DictReader(io.StringIO(client.get(state["download_url"], headers=headers).text))
    )
    assert {r["team"] for r in rows} == {"Frontoffice" if labels else "front"}
