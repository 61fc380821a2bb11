"""Schemathesis against the whole OpenAPI schema, on a database seeded so that ids in
paths name real rows, with every check it has: no request may end in a 5xx, every answer
must be one the schema declares (status, body, headers, content type, Allow), what the
schema allows is accepted and what it forbids refused, and the API key is enforced. Once
with the rate limits counting (small enough that the respondents' links reach them) and
once with them off."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.schemas import OpenApiSchema
from sqlmodel import Session, col, select

from assess.domain.answer_files import read_answers
from assess.domain.answers import NA
from assess.domain.validation import load_questionnaire
from assess.persistence.models.jobs import JobStatus, ReportJob
from tests.conftest import QUESTIONNAIRES, QueueWorker, application, make_caller
from tests.polling import until

ROOT = Path(__file__).parents[3]
DEMO = ROOT / "examples" / "answers-demo-v1.csv"
DEFAULT = QUESTIONNAIRES / "cx-maturity.yaml"
# Bounded for CI; more by hand, e.g. ASSESS_FUZZ_EXAMPLES=50 ASSESS_FUZZ_SEED=3.
EXAMPLES_PER_OPERATION = int(os.environ.get("ASSESS_FUZZ_EXAMPLES", "5"))
FUZZ_SEED = int(os.environ.get("ASSESS_FUZZ_SEED", "8"))
SEQUENCES = 3 * EXAMPLES_PER_OPERATION
SEQUENCE_STEPS = 6
# Operations that render reports in worker processes: a few examples each, without the
# coverage phase's dozens of edge cases, keep the renders they start few.
RENDERING = "/reports|/portfolio"
RENDERING_EXAMPLES = 2
YAML = {"Content-Type": "application/yaml"}
ORGANISATION = {"name": "Muster GmbH", "industry": "retail", "size": "250-999", "country": "de"}
MEMBER = {"email": "member@example.org", "role": "member"}
ADMIN_AS_MEMBER = {"email": "admin@example.org", "role": "member"}
# Requests whose fields fit the schema but whose meaning depends on what is stored, which no
# schema can say: a questionnaire file's rules across its ids; answers, profile questions,
# languages and departments of the questionnaire a link or assessment uses; an
# organisation's exact name to erase it; a questionnaire that is published; a logo's
# image; a mail template's placeholders; a peer group's values and scores; the targets'
# dimensions and stages of an assessment's questionnaire; a workshop's grouping; a consensus
# answer's item and the answers it takes. These answer
# 422 with the problem named, besides what positive_data_acceptance takes.
DEPENDS_ON_STORED_DATA = [
    ("POST", "^/api/v1/questionnaires$"),
    ("DELETE", "^/api/v1/organisations/[^/]+$"),
    ("POST", "/organisations/[^/]+/assessments$"),
    ("GET|PUT", "^/api/v1/respond/[^/]+$"),
    ("POST", "/respond/[^/]+/submit$"),
    ("GET|POST", "^/api/v1/studies/"),
    ("POST|PATCH", "/invitations(/[^/]+)?$"),
    ("GET|POST", "/results|/import$"),
    ("GET|POST", "/reports"),
    ("PUT|POST", "/mail-templates/"),
    ("GET|POST", "^/api/v1/research/questionnaires/"),
    ("PUT", "/targets$"),
    ("PUT", "/consensus/[^/]+$"),
    ("GET", "/workshop$"),
]
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]
# The limits while they count: the fuzzer reaches those of respondents' links, so their
# 429 answers are checked too. A wrong API key is refused with 401 as the schema says,
# and ignored_auth tries one on every operation, from one address: past its own limit
# that would be a 429, so it stays out of the fuzzer's reach (tests/web/test_rate_limits
# tests it).
RATE_LIMITS = {
    "on": {
        "rate_limits": True,
        "rate_limit_per_link": 20,
        "rate_limit_per_address": 200,
        "rate_limit_bad_api_keys_per_address": 100_000,
    },
    "off": {"rate_limits": False},
}


@dataclass(frozen=True)
class Seed:
    """The rows the fuzzer aims at: ids by path parameter name."""

    headers: dict[str, str]
    values: dict[str, list[Any]]


@pytest.fixture(scope="module")
def fuzzed_app(database_url: str, queue_worker: QueueWorker | None) -> Iterator[FastAPI]:
    """The application for this module: seeded once, fuzzed by every test; the reports
    it was asked for are finished before its tables are emptied (on PostgreSQL by the
    job worker, asked for here: the seed waits for a report before any test starts it)."""
    made = application(database_url)
    app = next(made)
    yield app
    try:
        _wait_for_reports(app)
    finally:
        next(made, None)  # its tables emptied whatever the wait found: the next tests' own


def _wait_for_reports(app: FastAPI, seconds: float = 300) -> None:
    # Running ones only: a queued job that the application's runner will not take (once
    # closed, it drops what it is handed) renders nothing, and finds no row if it starts.
    busy = col(ReportJob.status) == JobStatus.running
    rendering = 0

    def idle() -> bool:
        nonlocal rendering
        with Session(app.state.engine) as session:  # a fresh one: no read blocks the jobs
            rendering = len(session.exec(select(ReportJob.id).where(busy)).all())
        return not rendering

    until(idle, timeout=seconds, every=0.2, message=lambda: f"{rendering} reports still rendering")


class Api:
    """The admin's calls that build the seed; each must succeed."""

    def __init__(self, client: TestClient, headers: dict[str, str]) -> None:
        self.client = client
        self.headers = headers

    def call(self, method: str, url: str, status: int = 200, **kwargs: Any) -> Any:
        """The JSON answer of a call that must answer `status`."""
        headers = {**self.headers, **kwargs.pop("headers", {})}
        response = self.client.request(method, f"/api/v1{url}", headers=headers, **kwargs)
        assert response.status_code == status, response.text
        return response.json()

    def finished(self, url: str) -> str:
        """The id of a report job at `url` once it is done."""
        job: dict[str, Any] = {}

        def done() -> bool:
            nonlocal job
            job = self.call("GET", url)
            assert job["status"] != "failed", job
            return bool(job["status"] == "done")

        until(done, timeout=120, every=0.2, message=lambda: str(job))
        return str(job["id"])


def _assessment(api: Api, organisation: str, name: str, **extra: Any) -> str:
    made = api.call(
        "POST",
        f"/organisations/{organisation}/assessments",
        201,
        json={"questionnaire_id": "cx-maturity", "name": name, "wave": name, **extra},
    )
    return str(made["id"])


def _answered(api: Api, assessment: str) -> list[dict[str, Any]]:
    """The demo's respondents invited to an open assessment; all but two submit."""
    responses = read_answers(DEMO.read_bytes(), load_questionnaire(DEFAULT))
    api.call("POST", f"/assessments/{assessment}/open")
    people = [
        {"label": r.respondent, "department": r.profile["department"], "email": "a@example.org"}
        for r in responses
    ]
    invited: list[dict[str, Any]] = api.call(
        "POST", f"/assessments/{assessment}/invitations", 201, json={"invitations": people}
    )
    for response, invitation in zip(responses[:-2], invited, strict=False):
        answers = {k: ("na" if v is NA else v) for k, v in response.answers.items()}
        url = f"/respond/{invitation['token']}/submit"
        api.client.post(f"/api/v1{url}", json={"answers": answers}).raise_for_status()
    return invited


@pytest.fixture(scope="module")
def seed(fuzzed_app: FastAPI) -> Seed:
    """An organisation taking part in benchmarks, with a member (who accepted an
    invitation, and invited the admin to an organisation of their own), a draft, an open and a
    closed assessment (the last two with the demo's respondents invited, most of them
    submitted), a study with its public link, a finished report and portfolio."""
    with Session(fuzzed_app.state.engine, expire_on_commit=False) as session:
        admin = make_caller(session, "admin@example.org", admin=True)
        member = make_caller(session, "member@example.org")
    api = Api(TestClient(fuzzed_app), admin.headers)
    api.call("POST", "/questionnaires", 201, content=DEFAULT.read_bytes(), headers=YAML)
    org = api.call("POST", "/organisations", 201, json=ORGANISATION)["id"]
    api.call("PUT", f"/organisations/{org}/members", 202, json=MEMBER)
    as_member = Api(api.client, member.headers)
    [joining] = as_member.call("GET", "/membership-invitations")
    as_member.call("POST", f"/membership-invitations/{joining['id']}/accept")
    # An invitation for the fuzzer's admin to answer: to the member's own organisation.
    own = as_member.call("POST", "/organisations", 201, json={"name": "Eigene GmbH"})["id"]
    as_member.call("PUT", f"/organisations/{own}/members", 202, json=ADMIN_AS_MEMBER)
    [waiting] = api.call("GET", "/membership-invitations")
    api.call("POST", f"/organisations/{org}/benchmark/opt-in")
    draft, opened, closed = (_assessment(api, org, name) for name in ("draft", "open", "closed"))
    invited = _answered(api, opened) + _answered(api, closed)
    api.call("POST", f"/assessments/{closed}/close")
    study = _assessment(api, org, "study", kind="study")
    api.call("POST", f"/assessments/{study}/open")
    public = api.call("POST", f"/assessments/{study}/public-link", 201)["token"]
    report = api.call("POST", f"/assessments/{closed}/reports", 202)["status_url"]
    portfolio = api.call("POST", "/portfolio", 202)["status_url"]
    return Seed(
        headers=admin.headers,
        values={
            "organisation_id": [org],
            "assessment_id": [draft, opened, closed, study],
            "invitation_id": [i["id"] for i in invited],
            "token": [i["token"] for i in invited],
            "public_token": [public],
            "user_id": [str(member.user.id)],
            "membership_invitation_id": [waiting["id"]],
            "questionnaire_id": ["cx-maturity"],
            "item_id": ["strategy-board-kpis", "strategy-purpose"],
            "version": [1],
            "report_id": [api.finished(report.removeprefix("/api/v1"))],
            "job_id": [api.finished(portfolio.removeprefix("/api/v1"))],
        },
    )


@pytest.fixture(scope="module", params=sorted(RATE_LIMITS))
def api_schema(
    request: pytest.FixtureRequest, fuzzed_app: FastAPI, seed: Seed
) -> Iterator[OpenApiSchema]:
    """The application's own schema, with the seed's ids as likely path parameters, and
    the application's rate limits on or off."""
    settings = fuzzed_app.state.settings
    fuzzed_app.state.settings = settings.model_copy(update=RATE_LIMITS[request.param])
    config = SchemathesisConfig.from_dict(
        {
            "seed": FUZZ_SEED,
            # The admin's key for every request, as the run's own header: a negative case
            # that leaves the key out is then not taken for one that sends it.
            "headers": seed.headers,
            "dictionaries": {name: {"values": values} for name, values in seed.values.items()},
            "parameters": {
                f"path.{name}": {"dictionary": name, "probability": 0.9} for name in seed.values
            },
            # Text without NUL bytes or lone surrogates: no database stores them, and every
            # route refuses them before it reads the request (422, tests/adversarial).
            "generation": {
                "max-examples": EXAMPLES_PER_OPERATION,
                "deterministic": True,
                "allow-x00": False,
                "codec": "utf-8",
            },
            "checks": {"enabled": True},
            "request-timeout": 60,
            "operations": [
                *(
                    {
                        "include-method-regex": methods,
                        "include-path-regex": path,
                        "checks": {
                            "positive_data_acceptance": {"expected-statuses": [*ACCEPTED, 422]}
                        },
                    }
                    for methods, path in DEPENDS_ON_STORED_DATA
                ),
                {
                    "include-path-regex": RENDERING,
                    "generation": {"max-examples": RENDERING_EXAMPLES},
                    "phases": {"coverage": {"enabled": False}},
                    # No rate limit counts these consultants' routes: one pass renders.
                    "enabled": request.param == "off",
                },
            ],
        }
    )
    yield schemathesis.openapi.from_asgi("/openapi.json", fuzzed_app, config=config)
    fuzzed_app.state.settings = settings


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.mark.slow
@schema.parametrize()
def test_api_answers_as_its_schema_says(case: schemathesis.Case) -> None:
    case.call_and_validate()


@pytest.mark.slow
def test_calls_in_sequence_answer_as_the_schema_says(api_schema: OpenApiSchema, seed: Seed) -> None:
    """Sequences of calls that use what earlier ones made (the links Schemathesis infers
    from the schema: ids in bodies and Location headers), so that the checks about
    resources come into play: nothing deleted is still served (use_after_free), and
    nothing just made is missing (ensure_resource_availability)."""
    # Renders are the per-operation test's (they take seconds each, in worker processes).
    # So is setting targets: its answer (the assessment) would link it to every call on
    # an assessment, and whether one is open then depends on what earlier sequences
    # left in the database, which Hypothesis reports as inconsistent data generation.
    made = (
        api_schema.exclude(path_regex=RENDERING)
        .exclude(method="PUT", path_regex="/targets$")
        .as_state_machine()
    )

    class Sequences(made):  # type: ignore[misc, valid-type]
        def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, Any]:
            return {"headers": seed.headers}

        def before_call(self, case: schemathesis.Case) -> None:
            # The admin's key, not one the generator made up: sequences reach past 401.
            case.headers = {**(case.headers or {}), **seed.headers}

    Sequences.run(
        settings=hypothesis.settings(
            max_examples=SEQUENCES,
            stateful_step_count=SEQUENCE_STEPS,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(hypothesis.HealthCheck),
            phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
        )
    )
