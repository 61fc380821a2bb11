"""Schemathesis against the whole OpenAPI schema, on a database seeded so that ids in
paths name real rows: no request may end in a 5xx, and every answer must be one the
schema declares (status, body, headers, content type)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.schemas import OpenApiSchema
from sqlmodel import Session, col, select

from assess.domain.answers import NA, read_answers
from assess.domain.validation import load_questionnaire
from assess.models import JobStatus, ReportJob
from tests.conftest import QUESTIONNAIRES, application, make_caller

ROOT = Path(__file__).parent.parent.parent
DEMO = ROOT / "examples" / "answers-demo.csv"
DEFAULT = QUESTIONNAIRES / "cx-maturity.yaml"
EXAMPLES_PER_OPERATION = 25
# Operations that render reports in worker processes: a few examples each keep the run
# short, and the renders they start finish before the tables are emptied.
RENDERING = "/reports|/portfolio"
RENDERING_EXAMPLES = 4
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
]


@dataclass(frozen=True)
class Seed:
    """The rows the fuzzer aims at: ids by path parameter name."""

    headers: dict[str, str]
    values: dict[str, list[Any]]


@pytest.fixture(scope="module")
def fuzzed_app(database_url: str) -> Iterator[FastAPI]:
    """The application for this module: seeded once, fuzzed by every test; the reports
    it was asked for are finished before its tables are emptied."""
    for made in application(database_url):
        yield made
        _wait_for_reports(made)


def _wait_for_reports(app: FastAPI, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    busy = col(ReportJob.status).in_([JobStatus.queued, JobStatus.running])
    while True:
        with Session(app.state.engine) as session:  # a fresh one: no read blocks the jobs
            if session.exec(select(ReportJob.id).where(busy)).first() is None:
                return
        assert time.monotonic() < deadline, "reports still rendering"
        time.sleep(0.2)


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


@pytest.fixture(scope="module")
def seed(fuzzed_app: FastAPI) -> Seed:
    """An organisation with a draft, an open and a closed assessment (the last two with
    submitted responses from the demo answers), a study with a public link, and a member."""
    with Session(fuzzed_app.state.engine, expire_on_commit=False) as session:
        admin = make_caller(session, "admin@example.org", admin=True)
        member = make_caller(session, "member@example.org")
    client = TestClient(fuzzed_app)
    h = admin.headers
    _ok(
        client.post(
            "/api/v1/questionnaires",
            content=DEFAULT.read_bytes(),
            headers={**h, "Content-Type": "application/yaml"},
        ),
        201,
    )
    org = _ok(
        client.post(
            "/api/v1/organisations",
            json={"name": "Muster GmbH", "industry": "retail", "size": "250-999", "country": "de"},
            headers=h,
        ),
        201,
    )
    _ok(
        client.put(
            f"/api/v1/organisations/{org['id']}/members",
            json={"email": "member@example.org", "role": "member"},
            headers=h,
        ),
        201,
    )
    responses = read_answers(DEMO.read_bytes(), load_questionnaire(DEFAULT))
    assessments, invitations, tokens = [], [], []
    for name in ("draft", "open", "closed"):
        made = _ok(
            client.post(
                f"/api/v1/organisations/{org['id']}/assessments",
                json={"questionnaire_id": "cx-maturity", "name": name, "wave": name},
                headers=h,
            ),
            201,
        )
        assessments.append(made["id"])
        if name == "draft":
            continue
        _ok(client.post(f"/api/v1/assessments/{made['id']}/open", headers=h))
        invited = _ok(
            client.post(
                f"/api/v1/assessments/{made['id']}/invitations",
                json={
                    "invitations": [
                        {
                            "label": r.respondent,
                            "department": r.profile["department"],
                            "email": f"{r.respondent}@example.org",
                        }
                        for r in responses
                    ]
                },
                headers=h,
            ),
            201,
        )
        for response, invitation in zip(responses[:-2], invited, strict=False):
            answers = {k: ("na" if v is NA else v) for k, v in response.answers.items()}
            _ok(
                client.post(
                    f"/api/v1/respond/{invitation['token']}/submit", json={"answers": answers}
                )
            )
        invitations += [i["id"] for i in invited]
        tokens += [i["token"] for i in invited]
        if name == "closed":
            _ok(client.post(f"/api/v1/assessments/{made['id']}/close", headers=h))
    study = _ok(
        client.post(
            f"/api/v1/organisations/{org['id']}/assessments",
            json={"questionnaire_id": "cx-maturity", "name": "study", "kind": "study"},
            headers=h,
        ),
        201,
    )
    assessments.append(study["id"])
    _ok(client.post(f"/api/v1/assessments/{study['id']}/open", headers=h))
    public = _ok(client.post(f"/api/v1/assessments/{study['id']}/public-link", headers=h), 201)
    return Seed(
        headers=h,
        values={
            "organisation_id": [org["id"]],
            "assessment_id": assessments,
            "invitation_id": invitations,
            "token": tokens,
            "public_token": [public["token"]],
            "user_id": [str(member.user.id)],
            "questionnaire_id": ["cx-maturity"],
            "version": [1],
        },
    )


@pytest.fixture(scope="module")
def api_schema(fuzzed_app: FastAPI, seed: Seed) -> OpenApiSchema:
    """The application's own schema, with the seed's ids as likely path parameters."""
    config = SchemathesisConfig.from_dict(
        {
            "seed": 8,
            "dictionaries": {name: {"values": values} for name, values in seed.values.items()},
            "parameters": {
                f"path.{name}": {"dictionary": name, "probability": 0.9} for name in seed.values
            },
            "generation": {"max-examples": EXAMPLES_PER_OPERATION, "deterministic": True},
            "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
            "request-timeout": 60,
            "operations": [
                {
                    "include-path-regex": RENDERING,
                    "generation": {"max-examples": RENDERING_EXAMPLES},
                }
            ],
        }
    )
    return schemathesis.openapi.from_asgi("/openapi.json", fuzzed_app, config=config)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
def test_api_answers_as_its_schema_says(case: schemathesis.Case, seed: Seed) -> None:
    case.call_and_validate(headers=seed.headers)
