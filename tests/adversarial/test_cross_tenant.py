"""Cross-tenant ids on every route, API and pages: the routes come from the application's
own route table, so a route added later is attacked too, and a path parameter this file
does not know fails the test until someone says which kind of id it is."""

from __future__ import annotations

import uuid

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session

from tests.adversarial.conftest import MARK, Route, Tenant, every_route, signed_in
from tests.adversarial.routes import SHARED
from tests.web.browsing import form_token

# Path parameters that name a tenant's object: another tenant's must answer as if absent.
TENANT_IDS = (
    "organisation_id",
    "assessment_id",
    "invitation_id",
    "report_id",
    "job_id",
    "user_id",
    "membership_invitation_id",
)
PARENTS = ("organisation_id", "assessment_id")


def scoped(app: FastAPI) -> list[Route]:
    """Every route with a path parameter naming a tenant's object."""
    routes = every_route(app)
    unknown = {p for r in routes for p in r.parameters if p not in (*TENANT_IDS, *SHARED)}
    assert not unknown, f"say in TENANT_IDS or SHARED what these path parameters are: {unknown}"
    return [r for r in routes if set(r.parameters) & set(TENANT_IDS)]


class Attacker:
    """A's consultant or member: API routes with their key, pages in their signed-in
    browser with a valid form token (so that only the tenant check can refuse)."""

    def __init__(self, app: FastAPI, client: TestClient, ours: Tenant, role: str) -> None:
        self.client, self.ours = client, ours
        self.caller = ours.consultant if role == "consultant" else ours.member
        with Session(app.state.engine) as session:
            self.pages = signed_in(app, session, self.caller)
        self.form_token = form_token(self.pages.get("/dashboard").text)

    def call(self, route: Route, ids: dict[str, str]) -> Response:
        """The route with `ids` in its path."""
        path = route.path.format(**{**SHARED, "token": self.ours.tokens[0], **ids})
        if route.api:
            return self.client.request(route.method, path, headers=self.caller.headers, json={})
        if route.method == "GET":
            return self.pages.get(path)
        data = {"form_token": self.form_token, "confirm": "yes"}
        return self.pages.request(route.method, path, data=data)


def same_as_absent(
    theirs: Response, absent: Response, their_ids: dict[str, str], absent_ids: dict[str, str]
) -> bool:
    """Whether the answer to another tenant's ids tells nothing an absent id does not: a
    404, or (where something else is refused first) the very refusal an absent id gets."""
    if theirs.status_code == absent.status_code == 404:
        return True
    if 200 <= theirs.status_code < 300 or theirs.status_code != absent.status_code:
        return False
    return _seen(theirs, their_ids) == _seen(absent, absent_ids)


def _seen(answer: Response, ids: dict[str, str]) -> str:
    """The answer's body and redirect target with the ids asked for blanked out."""
    text = answer.text + answer.headers.get("location", "")
    for value in ids.values():
        text = text.replace(value, "ID")
    return text


@pytest.mark.parametrize("role", ["consultant", "member"])
def test_another_tenants_ids_answer_404_on_every_route_as_if_absent(
    app: FastAPI, client: TestClient, ours: Tenant, theirs: Tenant, role: str
) -> None:
    """CWE-639 Authorization bypass through user-controlled key (IDOR): every id of
    organisation B, in every route's path, called by a consultant or member of A."""
    attacker = Attacker(app, client, ours, role)
    wrong = []
    for route in scoped(app):
        absent = {p: str(uuid.uuid4()) for p in TENANT_IDS}
        mine, missing = attacker.call(route, theirs.ids()), attacker.call(route, absent)
        if not same_as_absent(mine, missing, theirs.ids(), absent) or MARK in mine.text:
            wrong.append((route, mine.status_code, missing.status_code, mine.text[:120]))
    assert not wrong, wrong


@pytest.mark.parametrize("role", ["consultant", "member"])
def test_another_tenants_objects_under_our_own_organisation_answer_404(
    app: FastAPI, client: TestClient, ours: Tenant, theirs: Tenant, role: str
) -> None:
    """CWE-639 Authorization bypass through user-controlled key: B's invitation, report,
    job or member under A's own organisation or assessment (the parent check passes)."""
    attacker = Attacker(app, client, ours, role)
    wrong = []
    for route in scoped(app):
        children = [p for p in route.parameters if p in TENANT_IDS and p not in PARENTS]
        if not children:
            continue
        ids = {**ours.ids(), **{p: theirs.ids()[p] for p in children}}
        absent = {**ids, **{p: str(uuid.uuid4()) for p in children}}
        mine, missing = attacker.call(route, ids), attacker.call(route, absent)
        if not same_as_absent(mine, missing, ids, absent) or MARK in mine.text:
            wrong.append((route, mine.status_code, missing.status_code, mine.text[:120]))
    assert not wrong, wrong


def test_the_attack_reaches_every_kind_of_route(app: FastAPI) -> None:
    """CWE-639: the route table read above holds the API and the pages, so neither is
    left out of the attack by a change in how routers are included."""
    routes = scoped(app)
    assert Route("GET", "/api/v1/assessments/{assessment_id}/results") in routes
    assert Route("GET", "/assessments/{assessment_id}/links.csv") in routes
    assert Route("GET", "/api/v1/portfolio/{job_id}") in routes
    assert Route("DELETE", "/api/v1/organisations/{organisation_id}/members/{user_id}") in routes
    assert len(routes) >= 50


@pytest.mark.parametrize("role", ["consultant", "member"])
def test_routes_without_an_id_list_only_our_own_data(
    app: FastAPI, client: TestClient, session: Session, ours: Tenant, theirs: Tenant, role: str
) -> None:
    """CWE-200 Exposure of sensitive information to an unauthorized actor: every GET route
    without a path parameter (lists, dashboards, searches) shows A nothing of B."""
    caller = ours.consultant if role == "consultant" else ours.member
    pages = signed_in(app, session, caller)
    listed = [r for r in every_route(app) if r.method == "GET" and not r.parameters]
    assert Route("GET", "/api/v1/organisations") in listed
    assert Route("GET", "/dashboard") in listed
    for route in listed:
        for query in ("", "?q=Beta", "?search=Beta"):  # a search echoes only what was typed
            if route.api:
                answer = client.get(route.path + query, headers=caller.headers)
            else:
                answer = pages.get(route.path + query)
            assert answer.status_code < 500, (route, answer.text[:200])
            assert MARK not in answer.text, route
    own = client.get("/api/v1/organisations", headers=caller.headers).json()
    assert [o["id"] for o in own] == [ours.organisation_id]
