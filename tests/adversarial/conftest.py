"""Two tenants for the attacks: organisation A, whose people attack, and organisation B,
whose data they must never reach. Everything is made through the API, as an attacker's
victims would make it; B's texts all carry MARK, so a leak shows in any response body."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlmodel import Session, SQLModel

from assess.persistence.models.accounts import MembershipInvitation
from assess.persistence.models.jobs import JobKind
from assess.persistence.repository.reports import create_report_job
from tests.conftest import Caller, add_member, application, make_caller
from tests.web.browsing import browser, sign_in, with_password

MARK = "Beta-Secret"
# Bookkeeping of sessions, sign-in failures, keys' last use and rate limits: requests
# count, data stays.
NOT_DATA = {"web_sessions", "sign_in_failures", "request_counts"}
NOT_DATA_COLUMNS = {"last_used_at"}
ANSWERS = {"listen-feedback": 7, "listen-nps": True, "act-owner": "team", "share-silo": 2}


@dataclass(frozen=True)
class Tenant:
    """One organisation with everything that has an id: an open assessment with submitted
    responses, its invitations, a report, a portfolio, a consultant and a member, and an
    invitation to join it that waits for its answer."""

    consultant: Caller
    member: Caller
    organisation_id: str
    assessment_id: str
    invitation_id: str
    tokens: list[str]
    report_id: str
    portfolio_id: str
    membership_invitation_id: str

    def ids(self) -> dict[str, str]:
        """This tenant's id for every kind of path parameter that names one."""
        return {
            "organisation_id": self.organisation_id,
            "assessment_id": self.assessment_id,
            "invitation_id": self.invitation_id,
            "report_id": self.report_id,
            "job_id": self.portfolio_id,
            "user_id": str(self.member.user.id),
            "membership_invitation_id": self.membership_invitation_id,
        }


def make_tenant(client: TestClient, session: Session, name: str, respondents: int = 3) -> Tenant:
    """An organisation called `name` with an open assessment of service-check and
    `respondents` submitted responses, every text of it holding `name`."""
    slug = name.lower()
    consultant = make_caller(session, f"{slug}-consultant@example.org")
    member = make_caller(session, f"{slug}-member@example.org")
    headers = consultant.headers
    org = client.post(
        "/api/v1/organisations",
        json={"name": f"{name} GmbH", "industry": "retail"},
        headers=headers,
    ).json()["id"]
    add_member(client, org, consultant, member)
    # An invitation still waiting for its answer, to someone without an account yet.
    newcomer = {"email": f"{slug}-newcomer@example.org", "role": "member"}
    client.put(f"/api/v1/organisations/{org}/members", json=newcomer, headers=headers)
    waiting = session.execute(
        select(MembershipInvitation.id).where(MembershipInvitation.email == newcomer["email"])
    ).scalar_one()
    assessment = client.post(
        f"/api/v1/organisations/{org}/assessments",
        json={"questionnaire_id": "service-check", "name": f"{name} Wave", "wave": name},
        headers=headers,
    ).json()["id"]
    client.post(f"/api/v1/assessments/{assessment}/open", headers=headers)
    invited = client.post(
        f"/api/v1/assessments/{assessment}/invitations",
        json={
            "invitations": [
                {"label": f"{name} Person {i}", "email": f"person{i}@{slug}.example.org"}
                for i in range(respondents)
            ]
        },
        headers=headers,
    ).json()
    for invitation in invited:
        body = {"answers": ANSWERS, "profile": {"team": "front", "remark": f"{name} remark"}}
        client.put(f"/api/v1/respond/{invitation['token']}", json=body)
        assert client.post(f"/api/v1/respond/{invitation['token']}/submit").status_code == 200
    report = create_report_job(
        session,
        user=consultant.user,
        kind=JobKind.report,
        language="en",
        assessment_id=uuid.UUID(assessment),
    )
    portfolio = create_report_job(
        session, user=consultant.user, kind=JobKind.portfolio, language="en"
    )
    return Tenant(
        consultant,
        member,
        org,
        assessment,
        invited[0]["id"],
        [i["token"] for i in invited],
        str(report.id),
        str(portfolio.id),
        str(waiting),
    )


@pytest.fixture
def app(database_url: str) -> Iterator[FastAPI]:
    """The application with e-mail configured (a mail server that is never reached: the
    sender starts with the server's lifespan, which tests do not run), so the e-mail
    routes go past "e-mail is off" to the checks under attack."""
    yield from application(
        database_url,
        smtp_host="127.0.0.1",
        smtp_port=9,
        smtp_tls="none",
        smtp_from="assess@example.org",
        public_url="https://assess.example.org",
        # Revoked keys are tried on every route (~100 requests): past the per-address
        # limit of wrong keys, which would answer 429 before the key is looked at.
        rate_limit_bad_api_keys_per_address=10_000,
    )


@pytest.fixture
def ours(client: TestClient, session: Session, published: object) -> Tenant:
    """Organisation A: the attackers' own."""
    return make_tenant(client, session, "Alpha")


@pytest.fixture
def theirs(client: TestClient, session: Session, published: object) -> Tenant:
    """Organisation B: the victims, every text of theirs holding MARK."""
    return make_tenant(client, session, MARK)


def stored_data(app: FastAPI) -> dict[str, list[str]]:
    """Every row of every table that holds data, as text: equal before and after an
    attack means the attack changed nothing."""
    found: dict[str, list[str]] = {}
    with app.state.engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            if table.name in NOT_DATA:
                continue
            columns = [c for c in table.columns if c.name not in NOT_DATA_COLUMNS]
            rows = connection.execute(select(*columns)).all()
            found[table.name] = sorted(repr(tuple(row)) for row in rows)
    return found


def signed_in(app: FastAPI, session: Session, caller: Caller) -> TestClient:
    """A browser signed in to the pages as `caller` (given a password for it)."""
    with_password(session, caller.user.email)
    return sign_in(browser(app), caller.user.email)


@dataclass(frozen=True)
class Route:
    """One method of one route of the application."""

    method: str
    path: str

    @property
    def api(self) -> bool:
        """Whether it is a JSON API route (API keys) rather than a page (session cookie)."""
        return self.path.startswith("/api/")

    @property
    def parameters(self) -> list[str]:
        """The names of its path parameters, in order."""
        return [part[1:-1] for part in self.path.split("/") if part.startswith("{")]


def every_route(app: FastAPI) -> list[Route]:
    """Every route of the application, API and pages, read from its own route table (with
    the routers it includes), so a route added later is attacked too."""
    # path_format: the path without convertors ({invitation_id:uuid} names invitation_id),
    # as the schema and the attacks name it.
    return [Route(m, r.path_format) for r in route_table(app) for m in sorted(r.methods - {"HEAD"})]


def route_table(app: FastAPI) -> list[APIRoute]:
    """The application's routes, those of the routers it includes among them."""
    found: list[APIRoute] = []

    def walk(routes: list) -> None:
        for route in routes:
            included = getattr(route, "original_router", None)
            if included is not None:
                walk(included.routes)
            elif isinstance(route, APIRoute):
                found.append(route)

    walk(app.router.routes)
    return found
