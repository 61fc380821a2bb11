"""Research exports of a questionnaire with importance, "can't judge" and facts asked of
one lead (advice-check): the columns, codes and labels, rule 6 in the scores, and what
someone who knows who the lead is learns from the file."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from assess.domain.answers import chunks_of, from_stored
from assess.domain.scoring import table_from_chunks
from assess.persistence.models.assessments import Assessment, AssessmentStatus, Invitation
from assess.persistence.models.organisations import Organisation
from assess.persistence.models.questionnaires import QuestionnaireVersion
from assess.persistence.models.responses import Response, ResponseStatus
from assess.persistence.repository.questionnaires import (
    get_questionnaire_version,
    questionnaire_of,
)
from assess.research.export import ExportFormat
from tests.conftest import Caller
from tests.research.exporting import csv_rows, export

ADVICE_CHECK = Path(__file__).parents[1] / "questionnaires" / "advice-check.yaml"
LEAD_ITEMS = ("strategy_cx_lead", "orch_owner")
IMPORTANCE = ("imp_strategy", "imp_orchestration", "imp_culture")


@pytest.fixture
def advice(client: TestClient, admin: Caller, session: Session) -> QuestionnaireVersion:
    """The advice-check questionnaire, published."""
    response = client.post(
        "/api/v1/questionnaires",
        content=ADVICE_CHECK.read_bytes(),
        headers={**admin.headers, "Content-Type": "application/yaml"},
    )
    assert response.status_code == 201, response.text
    version = get_questionnaire_version(session, questionnaire_id="advice-check", version=1)
    assert version is not None
    return version


def answers(n: int, **extra: Any) -> dict[str, Any]:
    """Stored answers of every item but the lead items, varied by n, with importance."""
    return {
        "strategy-purpose": float(1 + n % 5),
        "strategy-board-kpis": float(1 + (n + 2) % 5),
        "orch-journeys": float(1 + (n + 1) % 5),
        "orch-data": float(1 + (n + 3) % 5),
        "culture-stories": float(1 + (n + 4) % 5),
        "culture-reward": float(1 + n % 3),
        "importance:strategy": float(1 + n % 5),
        "importance:orchestration": 5.0,
        "importance:culture": float(1 + (n + 1) % 5),
    } | extra


def add_organisation(
    session: Session,
    version: QuestionnaireVersion,
    name: str,
    rows: list[dict[str, Any]],
    *,
    lead: int | None = 0,
    industry: str = "retail",
    imported: bool = False,
) -> Organisation:
    """An opted-in organisation whose closed assessment has these submitted answers, each
    through an invitation (`imported`: from an answers file, without); row `lead` is the
    lead's (none where None). Everyone works in sales, so the department is shown where
    at least three share it."""
    organisation = Organisation(
        name=name, industry=industry, size="large", country="de", benchmark_opt_in=True
    )
    session.add(organisation)
    session.flush()
    assessment = Assessment(
        organisation_id=organisation.id,
        questionnaire_version_id=version.id,
        name="Wave",
        status=AssessmentStatus.closed,
    )
    session.add(assessment)
    session.flush()
    for r, stored in enumerate(rows):
        invitation = Invitation(
            assessment_id=assessment.id,
            label=f"person {r}",
            token_hash=f"{name[:8]}{r}".ljust(64, "0"),
            lead=r == lead and not imported,
        )
        if not imported:
            session.add(invitation)
            session.flush()
        session.add(
            Response(
                assessment_id=assessment.id,
                invitation_id=None if imported else invitation.id,
                respondent=f"person{r}@{name.split()[0].lower()}.example",
                answers=stored,
                profile={"department": "sales"},
                status=ResponseStatus.submitted,
                lead=r == lead and imported,
            )
        )
    session.commit()
    return organisation


def lead_answers(n: int, owner: str = "department", **extra: Any) -> dict[str, Any]:
    """A lead's answers: the facts too."""
    return answers(n, **{"strategy-cx-lead": True, "orch-owner": owner} | extra)


def three_organisations(
    session: Session, version: QuestionnaireVersion, *, imported: bool = False
) -> None:
    """Three organisations of four respondents, each with a lead (`imported`: Beta AG's
    answers came from a file that marked its lead)."""
    add_organisation(
        session,
        version,
        "Muster GmbH",
        [lead_answers(0), answers(1, **{"strategy-purpose": "dk"}), answers(2), answers(3)],
    )
    add_organisation(
        session,
        version,
        "Beta AG",
        [answers(4), lead_answers(5, "cx-lead"), answers(6), answers(7, **{"orch-data": "na"})],
        lead=1,
        industry="banking",
        imported=imported,
    )
    add_organisation(
        session,
        version,
        "Gamma KG",
        [answers(8), answers(9), lead_answers(10, "nobody", **{"culture-reward": "dk"}), {}],
        lead=2,
        industry="energy",
    )


def test_importance_cant_judge_and_lead_items_have_columns_of_their_own(
    app: FastAPI, session: Session, advice: QuestionnaireVersion
) -> None:
    add_organisation(
        session,
        advice,
        "Muster GmbH",
        [
            lead_answers(0),
            answers(1, **{"strategy-purpose": "dk", "orch-journeys": "na"}),
            answers(2),
        ],
    )
    rows = csv_rows(export(app, advice, ExportFormat.csv))
    header = list(rows[0])
    assert header.index("lead") < header.index("strategy_purpose")
    assert header[-7:-4] == list(IMPORTANCE)
    can_not_judge = [r for r in rows if r["strategy_purpose_status"] == "dk"]
    assert len(can_not_judge) == 1
    assert can_not_judge[0]["strategy_purpose"] == ""
    assert can_not_judge[0]["orch_journeys_status"] == "na"
    assert sorted(r["imp_orchestration"] for r in rows) == ["5", "5", "5"]
    assert sorted(r["imp_strategy"] for r in rows) == ["1", "2", "3"]
    # Rule 6: the lead's facts stand in every row, so no row stands out as the lead's.
    assert {(r["strategy_cx_lead"], r["orch_owner"]) for r in rows} == {("yes", "department")}
    assert {r["lead"] for r in rows} == {""}  # one lead: the flag would name a person
    german = csv_rows(export(app, advice, ExportFormat.csv, language="de", labels=True))
    assert {r["strategy_purpose_status"] for r in german} == {"", "Kann ich nicht beurteilen"}


def test_scores_lend_the_leads_answers_as_the_engine_does_within_an_assessment(
    app: FastAPI, session: Session, advice: QuestionnaireVersion
) -> None:
    stored = [answers(1), lead_answers(0, "cx-lead"), answers(2, **{"strategy-board-kpis": "dk"})]
    add_organisation(session, advice, "Muster GmbH", stored, lead=1)
    add_organisation(session, advice, "Ohne AG", [answers(3), answers(4)], lead=None)
    questionnaire = questionnaire_of(advice)
    typed = [from_stored(f"r{n}", a, {}, lead=n == 1) for n, a in enumerate(stored)]
    table = table_from_chunks(questionnaire, chunks_of(typed, questionnaire))
    expected = sorted(
        tuple(None if math.isnan(s) else s for s in scores) for scores in table.dimensions.tolist()
    )
    rows = csv_rows(export(app, advice, ExportFormat.csv))
    names = [f"score_{d.id}" for d in questionnaire.dimensions]
    organisations = sorted({r["organisation"] for r in rows})
    by_organisation = {
        o: sorted(
            tuple(float(r[n]) if r[n] else None for n in names)
            for r in rows
            if r["organisation"] == o
        )
        for o in organisations
    }
    assert expected in by_organisation.values()
    without = next(o for o in organisations if len(by_organisation[o]) == 2)
    # Without a lead the lead items have no score for anyone.
    assert {r["strategy_cx_lead_status"] for r in rows if r["organisation"] == without} == {
        "skipped"
    }


def test_with_three_leads_each_leads_row_stands_apart_from_its_organisation(
    app: FastAPI, session: Session, advice: QuestionnaireVersion
) -> None:
    three_organisations(session, advice)
    rows = csv_rows(export(app, advice, ExportFormat.csv))
    assert len(rows) == 12
    leads = [r for r in rows if r["lead"] == "1"]
    others = [r for r in rows if r["lead"] == "0"]
    assert (len(leads), len(others)) == (3, 9)
    assert rows[-3:] == leads  # after all others, in pseudonym order
    assert [r["respondent"] for r in leads] == sorted(r["respondent"] for r in leads)
    keys = [(r["organisation"], r["respondent"]) for r in others]
    assert keys == sorted(keys)
    for row in leads:
        tied = ["organisation", "industry", "size", "country", "department", *LEAD_ITEMS]
        assert [row[name] for name in tied] == [""] * len(tied)
        assert {row[f"{name}_status"] for name in LEAD_ITEMS} == {"withheld"}
        # A level's score with the row's own answers would give the facts it counts.
        assert (row["score_strategy"], row["score_orchestration"]) == ("", "")
        assert (row["score_overall"], row["score_culture"] != "") == ("", True)
    # The lead counts in no share of its organisation: three others in sales are shown.
    assert {r["department"] for r in others} == {"sales"}


def test_a_lead_imported_from_a_file_is_its_organisations_lead_in_the_export(
    app: FastAPI, session: Session, advice: QuestionnaireVersion
) -> None:
    three_organisations(session, advice, imported=True)
    rows = csv_rows(export(app, advice, ExportFormat.csv))
    leads = [r for r in rows if r["lead"] == "1"]
    assert (len(leads), len(rows)) == (3, 12)
    # Beta AG's imported lead gave 'cx-lead': only its own rows carry that fact, lent.
    beta = [r for r in rows if r["orch_owner"] == "cx-lead"]
    assert len(beta) == 3
    assert {r["industry"] for r in beta} == {"banking"}


def test_fewer_than_three_leads_count_an_imported_lead_and_lend_its_facts(
    app: FastAPI, session: Session, advice: QuestionnaireVersion
) -> None:
    stored = [answers(1), lead_answers(0, "cx-lead"), answers(2)]
    add_organisation(session, advice, "Muster GmbH", stored, lead=1, imported=True)
    rows = csv_rows(export(app, advice, ExportFormat.csv))
    assert {r["lead"] for r in rows} == {""}
    assert {(r["strategy_cx_lead"], r["orch_owner"]) for r in rows} == {("yes", "cx-lead")}


def test_an_attacker_who_knows_the_lead_learns_nothing_of_the_leads_answers(
    app: FastAPI, session: Session, advice: QuestionnaireVersion
) -> None:
    """Someone who knows that Anna leads Muster GmbH's assessment, and Muster's industry,
    looks for Anna's row in the export."""
    three_organisations(session, advice)
    for copy in (True, False):
        rows = csv_rows(export(app, advice, ExportFormat.csv, copy=copy))
        muster = {r["organisation"] for r in rows if r["industry"] == "retail"}
        assert len(muster) == 1  # the organisation is found by its attributes
        own = [r for r in rows if r["organisation"] in muster]
        assert [r["lead"] for r in own] == ["0", "0", "0"]  # Anna's row is not among them
        candidates = [r for r in rows if r["lead"] == "1"]
        assert len(candidates) >= 3
        # Nothing on a lead's row points to an organisation: the candidates agree on
        # every cell that an organisation's rows could be matched by.
        tied = ["organisation", "industry", "size", "country", "department", *LEAD_ITEMS]
        assert {tuple(r[name] for name in tied) for r in candidates} == {("",) * len(tied)}


def test_fewer_than_three_leads_leave_the_lead_flag_empty_and_rows_together(
    app: FastAPI, session: Session, advice: QuestionnaireVersion
) -> None:
    add_organisation(session, advice, "Muster GmbH", [lead_answers(0), answers(1), answers(2)])
    add_organisation(session, advice, "Beta AG", [answers(3), lead_answers(4)], lead=1)
    rows = csv_rows(export(app, advice, ExportFormat.csv))
    assert {r["lead"] for r in rows} == {""}
    assert all(r["organisation"] for r in rows)
    for organisation in {r["organisation"] for r in rows}:
        own = [r for r in rows if r["organisation"] == organisation]
        facts = {tuple(r[f"{n}_status"] + r[n] for n in LEAD_ITEMS) for r in own}
        assert len(facts) == 1  # the lead's row looks like everyone else's


def test_sav_codes_cant_judge_apart_from_na_and_labels_importance_and_the_lead(
    app: FastAPI, session: Session, advice: QuestionnaireVersion, tmp_path: Any
) -> None:
    import pyreadstat

    three_organisations(session, advice)
    codes = {r["respondent"]: r for r in csv_rows(export(app, advice, ExportFormat.csv))}
    path = tmp_path / "advice.sav"
    path.write_bytes(export(app, advice, ExportFormat.sav, language="en"))
    frame, meta = pyreadstat.read_sav(str(path), user_missing=True)
    labels = meta.variable_value_labels
    assert labels["strategy_purpose"][-1.0] == "Not applicable"
    assert labels["strategy_purpose"][-2.0] == "Can't judge"
    assert labels["imp_strategy"] == {1.0: "not important", 5.0: "critical"}
    assert labels["lead"] == {0.0: "no", 1.0: "answered as the lead respondent"}
    assert labels["orch_owner"][-4.0] == "withheld in this export (a fact about the organisation)"
    assert meta.missing_ranges["orch_owner"] == [{"lo": -4.0, "hi": -1.0}]
    assert meta.missing_ranges["strategy_purpose"] == [
        {"lo": code, "hi": code} for code in (-1.0, -2.0, -3.0)
    ]
    column_labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert column_labels["imp_culture"].startswith("Culture – How important is this level")
    missing = {"na": -1.0, "dk": -2.0, "skipped": -3.0, "withheld": -4.0}
    for _, sav_row in frame.iterrows():
        row = codes[sav_row["respondent"]]
        for name in ("strategy_purpose", "orch_data", "culture_reward", "orch_owner"):
            status = row[f"{name}_status"]
            if status:
                assert sav_row[name] == missing[status], (name, status)
        assert sav_row["lead"] == float(row["lead"])
        rating = sav_row["imp_strategy"]
        assert (
            (row["imp_strategy"] == "")
            if math.isnan(rating)
            else rating == float(row["imp_strategy"])
        )
    assert (frame["strategy_purpose"] == -2.0).sum() == 1


def test_the_codebook_names_the_new_variables_codes_and_rules(
    app: FastAPI, session: Session, advice: QuestionnaireVersion
) -> None:
    three_organisations(session, advice)
    book = json.loads(export(app, advice, ExportFormat.codebook_json, language="en"))
    variables = {v["variable"]: v for v in book["variables"]}
    importance = variables["imp_strategy"]
    assert (importance["kind"], importance["type"], importance["dimension"]) == (
        "importance",
        "number",
        "strategy",
    )
    assert (importance["scale_min"], importance["scale_max"]) == (1, 5)
    assert importance["values"] == [
        {"value": "1", "label": "not important", "spss_code": 1},
        {"value": "5", "label": "critical", "spss_code": 5},
    ]
    assert variables["lead"]["values"] == [
        {"value": "0", "label": "no", "spss_code": 0},
        {"value": "1", "label": "answered as the lead respondent", "spss_code": 1},
    ]
    statuses = {v["value"]: v["spss_code"] for v in variables["strategy_purpose_status"]["values"]}
    assert statuses == {"na": -1, "dk": -2, "skipped": -3}
    lead_statuses = {v["value"] for v in variables["orch_owner_status"]["values"]}
    assert lead_statuses == {"na", "dk", "skipped", "withheld"}
    assert variables["strategy_purpose"]["allow_dont_know"] is True
    assert variables["orch_owner"]["informant"] == "lead"
    assert any(rule.startswith("Rule 6") for rule in book["scoring"])
    assert any("at least 3 leads" in rule for rule in book["anonymity"])
    table = csv_rows(export(app, advice, ExportFormat.codebook_csv, language="de"))
    dk = [r for r in table if r["variable"] == "strategy_purpose_status" and r["value"] == "dk"]
    assert [(r["value_label"], r["spss_code"]) for r in dk] == [("Kann ich nicht beurteilen", "-2")]
    imp = [r for r in table if r["variable"] == "imp_culture"]
    assert [(r["value"], r["value_label"]) for r in imp] == [
        ("1", "unwichtig"),
        ("5", "entscheidend"),
    ]
    markdown = export(app, advice, ExportFormat.codebook_md, language="en").decode()
    assert "`imp_orchestration`" in markdown
    assert "`dk` = Can't judge (SPSS -2)" in markdown


def test_postgresql_copy_and_python_paths_agree_on_importance_cant_judge_and_leads(
    app: FastAPI, session: Session, advice: QuestionnaireVersion
) -> None:
    if app.state.engine.dialect.name != "postgresql":
        pytest.skip("the COPY path runs on PostgreSQL only")
    add_organisation(session, advice, "Zwei GmbH", [lead_answers(11), answers(12)])
    add_organisation(session, advice, "Ohne AG", [answers(13), answers(14)], lead=None)
    for labels in ({}, {"language": "de", "labels": True}):  # two leads: no flag
        copied = export(app, advice, ExportFormat.csv, copy=True, **labels)
        assert copied == export(app, advice, ExportFormat.csv, copy=False, **labels)
    three_organisations(session, advice)
    for labels in ({}, {"language": "de", "labels": True}):  # four leads: rows apart
        copied = export(app, advice, ExportFormat.csv, copy=True, **labels)
        assert copied == export(app, advice, ExportFormat.csv, copy=False, **labels)
    rows = csv_rows(copied)
    assert len([r for r in rows if r["lead"] == "1"]) == 4
    assert "Kann ich nicht beurteilen" in copied.decode()


def test_xlsx_holds_the_new_columns_and_their_labels_as_the_csv_does(
    app: FastAPI, session: Session, advice: QuestionnaireVersion
) -> None:
    import io

    from openpyxl import load_workbook

    three_organisations(session, advice)
    rows = csv_rows(export(app, advice, ExportFormat.csv))
    data = export(app, advice, ExportFormat.xlsx, language="de", labels=True)
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    sheet = list(workbook["data"].iter_rows(values_only=True))
    assert list(sheet[0]) == list(rows[0])
    leads = [row for row in sheet[1:] if row[sheet[0].index("lead")] == 1]
    assert len(leads) == 3
    status = sheet[0].index("orch_owner_status")
    assert {row[status] for row in leads} == {
        "in diesem Export zurückgehalten (Angabe über die Organisation)"
    }
    labels = list(workbook["labels"].iter_rows(values_only=True))
    assert ("strategy_purpose_status", "dk", "Kann ich nicht beurteilen", -2) in labels
    assert ("imp_strategy", "5", "entscheidend", 5) in labels


def test_a_leads_row_apart_withholds_every_score_with_facts_in_it(
    client: TestClient, admin: Caller, app: FastAPI, session: Session
) -> None:
    """A level of lead items only scores the same in every row of an assessment, and a
    level with one gives the facts with the row's other answers: on a lead's row apart
    from its organisation either score would find the organisation."""
    text = ADVICE_CHECK.read_text(encoding="utf-8").replace("id: advice-check", "id: facts")
    for item in ("culture-stories", "culture-reward"):
        text = text.replace(f"- id: {item}\n", f"- id: {item}\n        informant: lead\n", 1)
    published = client.post(
        "/api/v1/questionnaires",
        content=text.encode(),
        headers={**admin.headers, "Content-Type": "application/yaml"},
    )
    assert published.status_code == 201, published.text
    version = get_questionnaire_version(session, questionnaire_id="facts", version=1)
    assert version is not None
    three_organisations(session, version)
    for copy in (True, False):
        rows = csv_rows(export(app, version, ExportFormat.csv, copy=copy))
        leads = [r for r in rows if r["lead"] == "1"]
        shown = {(r["score_culture"], r["score_strategy"], r["score_overall"]) for r in leads}
        assert shown == {("", "", "")}
        others = [
            r for r in rows if r["lead"] == "0" and r["organisation"] == rows[0]["organisation"]
        ]
        assert len({r["score_culture"] for r in others}) == 1  # the facts, lent to all
    if app.state.engine.dialect.name == "postgresql":
        copied = export(app, version, ExportFormat.csv, copy=True)
        assert copied == export(app, version, ExportFormat.csv, copy=False)
