"""SQL injection through every string the application looks up: respondents' and studies'
tokens, API keys, questionnaire ids, filters, group-bys and searches."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.adversarial.conftest import MARK, Tenant, signed_in, stored_data

INJECTIONS = [
    "' OR '1'='1",
    "x' UNION SELECT password_hash, email FROM users --",
    "1; DROP TABLE responses; --",
    "%' OR 1=1 --",
    "'; SELECT pg_sleep(3); --",
    '" OR ""="',
    "\\'; DELETE FROM organisations; --",
]


def test_sql_in_tokens_and_keys_opens_nothing_and_changes_nothing(
    app: FastAPI, client: TestClient, ours: Tenant
) -> None:
    """CWE-89 SQL injection: respondents' and studies' tokens, in the API and the pages,
    and API keys, holding SQL: never a match, never an error, nothing changed."""
    before = stored_data(app)
    for injected in INJECTIONS:
        tried_as_link_and_key(client, injected)
    assert stored_data(app) == before


def tried_as_link_and_key(client: TestClient, injected: str) -> None:
    token = quote(injected, safe="")
    answers = {"answers": {"listen-feedback": 1}}
    for method, path, body in (
        ("GET", f"/api/v1/respond/{token}", None),
        ("PUT", f"/api/v1/respond/{token}", answers),
        ("POST", f"/api/v1/respond/{token}/submit", None),
        ("GET", f"/r/{token}/welcome", None),
        ("GET", f"/s/{token}", None),
        ("GET", f"/api/v1/studies/{token}", None),
        ("POST", f"/api/v1/studies/{token}", None),
    ):
        answer = client.request(method, path, json=body)
        assert answer.status_code == 404, (path, answer.status_code, answer.text[:200])
    for key in (injected, f"ak_{injected}", f"ak_x_{injected}"):
        headers = {"Authorization": f"Bearer {key}"}
        assert client.get("/api/v1/organisations", headers=headers).status_code == 401


def test_sql_in_filters_searches_and_names_finds_only_what_it_says(
    app: FastAPI, client: TestClient, session: Session, ours: Tenant, theirs: Tenant
) -> None:
    """CWE-89 SQL injection: filters, group-bys, searches, questionnaire ids and research
    parameters holding SQL: a clear refusal or an empty answer, never another tenant's
    data, never an error, nothing changed."""
    pages = signed_in(app, session, ours.consultant)
    before = stored_data(app)
    for injected in INJECTIONS:
        tried_in_queries(client, pages, ours, injected)
    assert stored_data(app) == before


def tried_in_queries(client: TestClient, pages: TestClient, ours: Tenant, injected: str) -> None:
    headers = ours.consultant.headers
    value = quote(injected, safe="")
    results = f"/api/v1/assessments/{ours.assessment_id}/results"
    everyone = client.get(results, headers=headers).json()
    for query in (f"filter=team:{value}", f"filter={value}", f"group_by={value}"):
        answer = client.get(f"{results}?{query}", headers=headers)
        assert answer.status_code in (200, 422), (query, answer.text[:200])
        assert answer.status_code == 422 or answer.json() != everyone, query
    for path in (
        f"/api/v1/questionnaires/{value}",
        f"/api/v1/questionnaires/service-check/diff?from={value}&to=2",
        f"/api/v1/research/questionnaires/{value}/versions/2/export",
        f"/api/v1/organisations/{ours.organisation_id}/assessments?status={value}",
        f"/api/v1/assessments/{ours.assessment_id}/invitations?status={value}",
    ):
        answer = client.get(path, headers=headers)
        assert answer.status_code in (200, 403, 404, 422), (path, answer.text[:200])
        assert MARK not in answer.text, path
    dashboard = pages.get(f"/dashboard?q={value}")
    assert dashboard.status_code == 200
    assert f"{MARK} GmbH" not in dashboard.text
    assert "Alpha GmbH" not in dashboard.text
