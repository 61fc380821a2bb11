"""Revoked API keys on every route that takes a key, long-running ones included."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from assess.persistence.repository.accounts import revoke_api_key
from tests.adversarial.conftest import Tenant
from tests.conftest import Caller, make_caller

# The API's routes without a key: the respondents' and studies' (reached by their link),
# and reading the published questionnaires (a catalogue anyone may read).
KEYLESS_PREFIXES = ("/api/v1/respond/", "/api/v1/studies/")
CATALOGUE = "/api/v1/questionnaires"


def keyed_routes(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path) of every API operation that the OpenAPI schema says needs a key."""
    return [
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        for method, operation in operations.items()
        if operation.get("security")
    ]


def revoke(session: Session, caller: Caller) -> None:
    prefix = "_".join(caller.headers["Authorization"].split()[1].split("_")[:2])
    assert revoke_api_key(session, prefix=prefix)


def test_every_route_but_the_respondents_needs_a_key(app: FastAPI) -> None:
    """CWE-306 Missing authentication for critical function: an API route without a key
    is one of the respondents' or studies' (reached by their link), or reads the public
    questionnaire catalogue; nothing else."""
    keyed = set(keyed_routes(app))
    keyless = [
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        for method in operations
        if (method.upper(), path) not in keyed
    ]
    unexpected = [
        (method, path)
        for method, path in keyless
        if not path.startswith(KEYLESS_PREFIXES)
        and not (method == "GET" and path.startswith(CATALOGUE))
    ]
    assert keyless
    assert not unexpected, unexpected
    assert len(keyed) >= 40


def test_a_revoked_key_is_refused_on_every_route(
    app: FastAPI, client: TestClient, session: Session, ours: Tenant
) -> None:
    """CWE-613 Insufficient session expiration: a consultant's and an admin's revoked keys
    get 401 on every route that takes a key, with nothing done."""
    admin = make_caller(session, "root@example.org", admin=True)
    for caller in (ours.consultant, admin):
        assert client.get("/api/v1/me", headers=caller.headers).status_code == 200
        revoke(session, caller)
    values = {**ours.ids(), "questionnaire_id": "service-check", "version": "2"}
    values |= {"kind": "invitation", "language": "en", "item_id": "listen-feedback"}
    for caller in (ours.consultant, admin):
        for method, path in keyed_routes(app):
            answer = client.request(method, path.format(**values), headers=caller.headers, json={})
            assert answer.status_code == 401, (method, path, answer.text[:200])
            assert answer.headers["WWW-Authenticate"] == "Bearer"


def test_a_key_revoked_after_a_long_job_started_gets_neither_status_nor_file(
    client: TestClient, session: Session, ours: Tenant
) -> None:
    """CWE-613 Insufficient session expiration: a report and a portfolio asked for with a
    key, and a research export streamed to a researcher's key, need the key still valid
    when the status, the file or the stream is fetched."""
    researcher = make_caller(session, "researcher@example.org")
    researcher.user.is_researcher = True
    session.add(researcher.user)
    session.commit()
    export = "/api/v1/research/questionnaires/service-check/versions/2/export?format=csv"
    assert client.get(export, headers=researcher.headers).status_code in (200, 404)
    report = f"/api/v1/assessments/{ours.assessment_id}/reports/{ours.report_id}"
    portfolio = f"/api/v1/portfolio/{ours.portfolio_id}"
    assert client.get(report, headers=ours.consultant.headers).status_code == 200
    assert client.get(portfolio, headers=ours.consultant.headers).status_code == 200
    revoke(session, ours.consultant)
    revoke(session, researcher)
    for url in (report, f"{report}/pdf", portfolio, f"{portfolio}/zip"):
        assert client.get(url, headers=ours.consultant.headers).status_code == 401, url
    with client.stream("GET", export, headers=researcher.headers) as streamed:
        assert streamed.status_code == 401
