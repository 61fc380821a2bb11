"""A researcher's home in the console: the pool's questionnaire versions with what may be
counted, and export files asked for, followed and downloaded."""

from __future__ import annotations

import csv
import io
import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session
from typer.testing import CliRunner

from assess.cli.main import app as cli
from assess.config import get_settings
from assess.persistence.repository.accounts import create_user
from tests.conftest import QUESTIONNAIRES, Caller, make_caller
from tests.polling import until
from tests.research.conftest import add_organisation, service_check
from tests.web.assessments import closed_assessment, opt_in, organisation
from tests.web.browsing import browser, form_token, sign_in, with_password

# Version 1, whose pool the tests read (the newest is the default).
VERSION_1 = ["--questionnaire", str(QUESTIONNAIRES / "cx-maturity.yaml")]


def researcher_browser(app: FastAPI, session: Session) -> TestClient:
    user = create_user(session, email="ria@example.org", is_researcher=True)
    with_password(session, user.email)
    return sign_in(browser(app), user.email)


def test_a_researcher_lands_on_the_research_page_not_on_making_an_organisation(
    app: FastAPI, session: Session, published: object
) -> None:
    client = researcher_browser(app, session)
    landed = client.get("/dashboard", follow_redirects=False)
    assert landed.status_code == 303
    assert landed.headers["location"] == "/research"
    page = client.get("/research").text
    assert "Add an organisation" not in page
    assert 'href="/research" aria-current="page"' in page
    assert re.search(r"<th scope=\"row\">Service check</th>\s*<td>2</td>", page)
    assert "No responses may be read yet" in page


def test_pool_counts_are_shown_only_from_k_organisations_on(
    app: FastAPI, session: Session, published: object
) -> None:
    version = service_check(session)
    client = researcher_browser(app, session)
    add_organisation(session, version, respondents=6, name="Erste GmbH", seed=1)
    few = client.get("/research").text
    assert "fewer than 5 organisations: counts not shown" in few
    for n in range(2, 6):
        add_organisation(session, version, respondents=n, name=f"Org{n} GmbH", seed=n)
    many = re.sub(r"\s+", " ", client.get("/research").text)
    assert "<td>5</td><td>20</td>" in many  # 6 + 2 + 3 + 4 + 5 responses


def test_a_researcher_starts_an_export_and_downloads_its_file(
    app: FastAPI, session: Session, published: object
) -> None:
    version = service_check(session)
    add_organisation(session, version, respondents=7)
    client = researcher_browser(app, session)
    token = form_token(client.get("/research").text)
    asked = client.post(
        "/research/exports",
        data={"version": "service-check@2", "format": "csv", "language": "de", "form_token": token},
        follow_redirects=False,
    )
    assert asked.status_code == 303

    def made() -> str:
        page = client.get("/research").text
        return page if "/research/exports/" in page else ""

    page = until(made, timeout=60, every=0.2, message="the export was not made")
    link = re.search(r'href="(/research/exports/[^"]+/file)"', page)
    assert link is not None
    file = client.get(link.group(1))
    assert file.status_code == 200
    assert file.headers["content-type"].startswith("text/csv")
    assert len(list(csv.DictReader(io.StringIO(file.text.lstrip("\ufeff"))))) == 7


def test_a_parquet_export_is_offered_made_and_linked_to_its_codebook(
    app: FastAPI, session: Session, published: object
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    version = service_check(session)
    add_organisation(session, version, respondents=5)
    client = researcher_browser(app, session)
    home = client.get("/research", params={"lang": "de"}).text
    assert '<option value="parquet">Parquet, für DuckDB, Spark oder R (arrow)</option>' in home
    home = client.get("/research", params={"lang": "en"}).text
    assert '<option value="parquet">Parquet, for DuckDB, Spark or R (arrow)</option>' in home
    asked = {"version": "service-check@2", "format": "parquet", "language": "en"}
    posted = client.post(
        "/research/exports", data={**asked, "form_token": form_token(home)}, follow_redirects=False
    )
    assert posted.status_code == 303

    def made(text: str) -> str:
        page = client.get("/research").text
        return page if text in page else ""

    page = until(lambda: made("Make its codebook"), timeout=60, every=0.2, message="no file")
    link = re.search(r'href="(/research/exports/[^"]+/file)"', page)
    assert link is not None
    file = client.get(link.group(1))
    assert file.headers["content-type"] == "application/vnd.apache.parquet"
    table = pq.read_table(pa.BufferReader(file.content))
    assert table.num_rows == 5
    assert b"assess.codebook" in table.schema.metadata
    sidecar = re.search(
        r'<form method="post" action="/research/exports" class="inline">.*?</form>', page, re.S
    )
    assert sidecar is not None
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', sidecar.group(0)))
    assert {k: fields[k] for k in asked} == {**asked, "format": "codebook.json"}
    again = client.post("/research/exports", data=fields, follow_redirects=False)
    assert again.status_code == 303
    page = until(lambda: made("Its codebook:"), timeout=60, every=0.2, message="no codebook")
    codebook = re.search(r'<a href="(/research/exports/[^"]+/file)" download>Its codebook: ', page)
    assert codebook is not None
    book = client.get(codebook.group(1)).json()
    assert book["item_statistics"]
    assert [v["variable"] for v in book["variables"]] == table.column_names


def test_an_export_of_a_version_without_readable_responses_is_refused_with_the_form_kept(
    app: FastAPI, session: Session, published: object
) -> None:
    version = service_check(session)
    add_organisation(session, version, respondents=3)
    client = researcher_browser(app, session)
    token = form_token(client.get("/research").text)
    refused = client.post(
        "/research/exports",
        data={"version": "cx-maturity@1", "format": "sav", "language": "en", "form_token": token},
    )
    assert refused.status_code == 422
    assert "No response of this version may be exported yet" in refused.text
    assert '<option value="sav" selected>' in refused.text


def test_the_research_page_is_for_researchers_only(
    app: FastAPI, session: Session, published: object
) -> None:
    with_password(session, "consultant@example.org")
    client = sign_in(browser(app), "consultant@example.org")
    refused = client.get("/research")
    assert refused.status_code == 403
    assert "Only for researchers" in refused.text
    assert 'href="/research"' not in client.get("/dashboard").text


def test_the_comparison_groups_shown_are_those_of_the_research_api_named_in_the_page_language(
    app: FastAPI,
    client: TestClient,
    session: Session,
    admin: Caller,
    published: object,
) -> None:
    peers = [("retail", "1-49")] * 5 + [("financial-services", "50-249")]
    for i, (industry, size) in enumerate(peers):
        caller = make_caller(session, f"peer{i}@example.org")
        made = organisation(client, caller, industry, size)
        opt_in(client, caller, made)
        closed_assessment(client, caller, made, 2 * i)
    url = "/api/v1/research/questionnaires/service-check/versions/2/benchmarks"
    expected = client.get(url, headers=admin.headers).json()
    researcher = researcher_browser(app, session)
    page = re.sub(r"\s+", " ", researcher.get("/research?lang=en").text)
    for group in expected["groups"]:
        overall = group["scores"]["overall"]
        label = "All organisations in the pool" if group["kind"] == "all" else None
        row = f"<td>{group['n']}</td> <td>{overall['median']:.1f} ({overall['q1']:.1f}–"
        assert row in page
        if label:
            assert f'<th scope="row">{label}</th> {row}' in page
    assert '<th scope="row">Country of headquarters: de</th>' in page
    german = researcher.get("/research?lang=de").text
    assert '<th scope="row">Land des Hauptsitzes: de</th>' in german
    assert "Industry: Banking" not in page  # one bank: its group is withheld
    assert "Industry: financial-services" not in page


def test_in_a_demo_database_the_page_shows_the_demo_pool_as_the_api_does(
    app: FastAPI,
    client: TestClient,
    session: Session,
    admin: Caller,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ASSESS_DATABASE_URL", database_url)
    get_settings.cache_clear()
    options = ["--organisations", "12", "--respondents", "3", "--seed", "5", "--opt-in-share", "1"]
    made = CliRunner().invoke(
        cli, ["demo", "generate", "--into-this-database", *options, *VERSION_1]
    )
    get_settings.cache_clear()
    assert made.exit_code == 0, made.output
    url = "/api/v1/research/questionnaires/cx-maturity/versions/1/benchmarks"
    expected = client.get(url, params={"kind": "all"}, headers=admin.headers).json()
    (everyone,) = expected["groups"]
    overall = everyone["scores"]["overall"]
    page = re.sub(r"\s+", " ", researcher_browser(app, session).get("/research?lang=en").text)
    row = f"<td>{everyone['n']}</td> <td>{overall['median']:.1f} ({overall['q1']:.1f}–"
    assert f'<th scope="row">All organisations in the pool</th> {row}' in page
