"""Research routes: who may use them, and what they answer for bad requests."""

# ruff: noqa: F811 (the fixture version comes from tests/research/conftest.py, imported below)
from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient
from sqlmodel import Session

from assess.persistence.models.questionnaires import QuestionnaireVersion
from tests.conftest import Caller, make_caller
from tests.research.conftest import add_organisation, version  # noqa: F401
from tests.research.exporting import EXPORT, researcher

STATS = "/api/v1/research/questionnaires/service-check/versions/2/item-statistics"


def test_a_researcher_made_by_an_admin_downloads_an_export(
    client: TestClient, session: Session, admin: Caller, version: QuestionnaireVersion
) -> None:
    add_organisation(session, version, respondents=5)
    response = client.get(EXPORT, params={"format": "csv"}, headers=researcher(client, admin))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "service-check-v2-research.csv" in response.headers["content-disposition"]
    assert len(list(csv.DictReader(io.StringIO(response.text)))) == 5


def test_admins_may_and_other_users_may_not(
    client: TestClient, session: Session, admin: Caller, version: QuestionnaireVersion
) -> None:
    add_organisation(session, version, respondents=3)
    plain = make_caller(session, "plain@example.org")
    for url in (EXPORT, STATS):
        assert client.get(url, headers=admin.headers).status_code == 200
        refused = client.get(url, headers=plain.headers)
        assert refused.status_code == 403
        assert refused.headers["content-type"] == "application/problem+json"


def test_unknown_version_format_language_and_missing_data_get_clear_answers(
    client: TestClient, session: Session, admin: Caller, version: QuestionnaireVersion
) -> None:
    headers = researcher(client, admin)
    empty = client.get(EXPORT, headers=headers)
    assert empty.status_code == 404
    assert "opted in" in empty.json()["detail"]
    add_organisation(session, version, respondents=3)
    unknown = client.get(EXPORT.replace("/2/", "/9/"), headers=headers)
    assert unknown.status_code == 404
    assert "version 9" in unknown.json()["detail"]
    bad_format = client.get(EXPORT, params={"format": "pdf"}, headers=headers)
    assert bad_format.status_code == 422
    assert "csv" in bad_format.json()["detail"]
    bad_language = client.get(EXPORT, params={"language": "fr"}, headers=headers)
    assert bad_language.status_code == 422
    assert "language: Input should be 'de' or 'en'" in bad_language.json()["detail"]


def test_every_format_streams_with_its_media_type(
    client: TestClient, session: Session, admin: Caller, version: QuestionnaireVersion
) -> None:
    add_organisation(session, version, respondents=4)
    headers = researcher(client, admin)
    types = {
        "xlsx": "application/vnd.openxmlformats",
        "sav": "application/x-spss-sav",
        "parquet": "application/vnd.apache.parquet",
        "codebook.md": "text/markdown",
        "codebook.json": "application/json",
    }
    for fmt, media in types.items():
        response = client.get(EXPORT, params={"format": fmt, "language": "de"}, headers=headers)
        assert response.status_code == 200, (fmt, response.text)
        assert response.headers["content-type"].startswith(media)
        assert len(response.content) > 100


def test_a_parquet_download_links_the_codebook_json_that_goes_with_it(
    client: TestClient, session: Session, admin: Caller, version: QuestionnaireVersion
) -> None:
    import json

    import pyarrow as pa
    import pyarrow.parquet as pq

    add_organisation(session, version, respondents=6)
    headers = researcher(client, admin)
    asked = {"format": "parquet", "language": "de"}
    response = client.get(EXPORT, params=asked, headers=headers)
    assert response.status_code == 200, response.text
    assert "service-check-v2-research.parquet" in response.headers["content-disposition"]
    link = response.headers["link"]
    assert link.endswith('>; rel="describedby"')
    sidecar = client.get(link[1 : link.index(">")], headers=headers)
    assert sidecar.headers["content-type"] == "application/json"
    book = sidecar.json()
    assert book["item_statistics"]
    schema = pq.read_schema(pa.BufferReader(response.content))
    kept = json.loads(schema.metadata[b"assess.codebook"])
    assert kept["variables"] == book["variables"]
    assert [v["variable"] for v in book["variables"]] == schema.names
    csv_export = client.get(EXPORT, params={"format": "csv"}, headers=headers)
    assert "link" not in csv_export.headers


def test_researchers_get_item_statistics_of_the_opted_in_data(
    client: TestClient, session: Session, admin: Caller, version: QuestionnaireVersion
) -> None:
    add_organisation(session, version, respondents=6)
    add_organisation(session, version, respondents=6, seed=3, opt_in=False)
    body = client.get(STATS, headers=researcher(client, admin)).json()
    assert body["respondents"] == 6
    assert body["questionnaire"] == {"id": "service-check", "version": 2}


def test_an_assessments_item_statistics_for_its_people(
    client: TestClient, consultant: Caller, published: object
) -> None:
    org = client.post("/api/v1/organisations", json={"name": "A"}, headers=consultant.headers)
    made = client.post(
        f"/api/v1/organisations/{org.json()['id']}/assessments",
        json={"questionnaire_id": "service-check", "name": "W"},
        headers=consultant.headers,
    ).json()
    answers = (
        "respondent,listen-feedback,listen-ignore,listen-nps\na,1,2,yes\nb,5,5,no\nc,9,9,yes\n"
    )
    imported = client.post(
        f"/api/v1/assessments/{made['id']}/import",
        content=answers,
        headers={**consultant.headers, "Content-Type": "text/csv"},
    )
    assert imported.status_code == 201, imported.text
    stats = client.get(
        f"/api/v1/assessments/{made['id']}/item-statistics", headers=consultant.headers
    )
    assert stats.status_code == 200
    listening = stats.json()["dimensions"]["listening"]
    assert listening["n"] == 3
    assert listening["items"]["listen-feedback"]["mean"] == 50.0
