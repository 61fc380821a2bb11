"""What the OpenAPI schema promises, kept with plain requests: moments with their offset,
limits the schema states and the API keeps, a 405 that names every method, one value for
a single-valued parameter, and every integer that reaches the database bounded (422
naming the field, never a 500)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlmodel import Session

from assess.domain.validation import load_questionnaire
from assess.persistence.repository.exports import create_export_job
from assess.persistence.repository.questionnaires import get_questionnaire_version
from tests.adversarial.conftest import Tenant
from tests.conftest import QUESTIONNAIRES, Caller

HUGE = 10**30
DEFAULT = QUESTIONNAIRES / "cx-maturity.yaml"
NEWEST = QUESTIONNAIRES / "cx-maturity-v2.yaml"  # what new assessments are made with


def schema_of(client: TestClient) -> dict[str, Any]:
    """The application's OpenAPI schema."""
    schema: dict[str, Any] = client.get("/openapi.json").json()
    return schema


def component(client: TestClient, name: str) -> dict[str, Any]:
    """One schema of the components, by name."""
    found: dict[str, Any] = schema_of(client)["components"]["schemas"][name]
    return found


def parameter(client: TestClient, path: str, method: str, name: str) -> dict[str, Any]:
    """The schema of one parameter of one operation."""
    operation = schema_of(client)["paths"][f"/api/v1{path}"][method]
    [found] = [p["schema"] for p in operation["parameters"] if p["name"] == name]
    return dict(found)


def named_fields(response: Any) -> list[list[str]]:
    """The fields a 422 names."""
    assert response.status_code == 422, response.text
    return [error["loc"] for error in response.json().get("errors", [])]


def test_job_times_carry_their_utc_offset(
    client: TestClient, session: Session, admin: Caller, published: object
) -> None:
    """SQLite hands back times without an offset; every one the API answers has it."""
    version = get_questionnaire_version(session, questionnaire_id="cx-maturity", version=None)
    assert version is not None
    job = create_export_job(
        session, user=admin.user, version_id=version.id, format="csv", language="en"
    )
    job.started_at = job.finished_at = datetime.now(UTC)
    session.add(job)
    session.commit()
    answered = client.get(f"/api/v1/research/exports/{job.id}", headers=admin.headers).json()
    for name in ("created_at", "started_at", "finished_at"):
        assert datetime.fromisoformat(answered[name]).tzinfo is not None, (name, answered)
    log = client.get("/api/v1/audit-log", headers=admin.headers).json()
    assert log
    assert all(datetime.fromisoformat(e["at"]).tzinfo is not None for e in log)


def test_limits_the_schema_states_are_those_the_api_keeps(client: TestClient, ours: Tenant) -> None:
    """Empty languages and colours, long addresses and subjects: refused by the schema
    exactly where the API refuses them, and what the schema allows is taken."""
    email = component(client, "InvitationCreate")["properties"]["email"]
    assert {"type": "string", "format": "email", "maxLength": 254} in email["anyOf"]
    assert component(client, "TemplateBody")["properties"]["subject"]["maxLength"] == 200
    assert "pattern" in component(client, "ReportRequest")["properties"]["accent"]["anyOf"][0]
    language = parameter(client, "/respond/{token}", "get", "lang")
    assert "pattern" in language["anyOf"][0]
    exported = "/research/questionnaires/{questionnaire_id}/versions/{version}/exports"
    assert parameter(client, exported, "post", "language")["enum"] == ["de", "en"]
    template = "/organisations/{organisation_id}/mail-templates/{kind}/{language}"
    assert parameter(client, template, "delete", "language")["enum"] == ["de", "en"]

    headers = ours.consultant.headers
    invitations = f"/api/v1/assessments/{ours.assessment_id}/invitations"
    longest = "a" * 64 + "@" + ".".join(["b" * 61] * 3) + ".org"
    assert len(longest) == 254
    for address, status in ((longest, 201), ("c" + longest, 422)):
        body = {"invitations": [{"label": "Long", "email": address}]}
        assert client.post(invitations, json=body, headers=headers).status_code == status
    token = ours.tokens[0]
    assert named_fields(client.get(f"/api/v1/respond/{token}?lang=")) == [["query", "lang"]]
    preview = f"/api/v1/assessments/{ours.assessment_id}/reports/preview?accent=red"
    assert named_fields(client.get(preview, headers=headers)) == [["query", "accent"]]
    organisation = f"/api/v1/organisations/{ours.organisation_id}/mail-templates/invitation/fr"
    assert named_fields(client.delete(organisation, headers=headers)) == [["path", "language"]]


def test_the_answers_example_names_an_item_of_the_bundled_questionnaire(
    client: TestClient,
) -> None:
    """The respond examples use item ids (and importance keys) of the newest cx-maturity,
    so trying them works."""
    example = component(client, "AnswersBody")["properties"]["answers"]["examples"][0]
    newest = load_questionnaire(NEWEST)
    assert newest.importance is not None
    known = set(newest.item_ids()) | {f"importance:{d.id}" for d in newest.dimensions}
    assert set(example) <= known


def test_405_lists_every_method_of_the_address(client: TestClient, admin: Caller) -> None:
    """FastAPI makes a route per method; the Allow header names all of them."""
    answered = client.request("OPTIONS", "/api/v1/organisations", headers=admin.headers)
    assert answered.status_code == 405
    assert answered.headers["Allow"] == "GET, POST"


def test_an_unsupported_method_on_sending_invitations_is_405_not_an_invitation_id(
    client: TestClient, ours: Tenant
) -> None:
    """…/invitations/send is not …/invitations/{invitation_id}: PATCH is not allowed."""
    url = f"/api/v1/assessments/{ours.assessment_id}/invitations/send"
    answered = client.patch(url, json={}, headers=ours.consultant.headers)
    assert answered.status_code == 405
    assert answered.headers["Allow"] == "POST"


def test_the_audit_log_refuses_a_number_as_a_moment(client: TestClient, admin: Caller) -> None:
    """`until` is a date-time with its offset, not seconds since 1970 nor a date alone."""
    for wrong in ("0.5", "1700000000", "2026-01-01", "2026-01-01T00:00:00"):
        answered = client.get("/api/v1/audit-log", params={"until": wrong}, headers=admin.headers)
        assert named_fields(answered) == [["query", "until"]], wrong
    right = client.get(
        "/api/v1/audit-log", params={"until": "2026-01-01T00:00:00Z"}, headers=admin.headers
    )
    assert right.status_code == 200


def test_a_repeated_limit_is_refused_naming_it(client: TestClient, admin: Caller) -> None:
    """`limit` takes one value: two are refused rather than one silently dropped."""
    answered = client.get("/api/v1/questionnaires?limit=1&limit=2", headers=admin.headers)
    assert named_fields(answered) == [["query", "limit"]]
    values = client.get(
        "/api/v1/research/questionnaires/cx-maturity/versions/1/benchmarks?kind=size&value=a&value=b",
        headers=admin.headers,
    )
    assert values.status_code != 422  # an array parameter takes several


def test_admins_reach_personal_data_and_sending_invitations(
    client: TestClient, admin: Caller, ours: Tenant
) -> None:
    """Admins run every organisation: neither route answers them 401 or 403."""
    invitation = f"/api/v1/assessments/{ours.assessment_id}/invitations"
    data = client.get(f"{invitation}/{ours.invitation_id}/personal-data", headers=admin.headers)
    assert data.status_code == 200, data.text
    sent = client.post(f"{invitation}/send", headers=admin.headers)
    assert sent.status_code == 202, sent.text


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("GET", f"/questionnaires/cx-maturity?version={HUGE}", None, ["query", "version"]),
        ("GET", f"/questionnaires/cx-maturity/diff?from=1&to={HUGE}", None, ["query", "to"]),
        ("GET", f"/research/questionnaires/cx-maturity/versions/{HUGE}/export", None, None),
        ("GET", f"/research/questionnaires/cx-maturity/versions/{HUGE}/benchmarks", None, None),
        (
            "GET",
            f"/research/questionnaires/cx-maturity/versions/{HUGE}/item-statistics",
            None,
            None,
        ),
        ("POST", f"/research/questionnaires/cx-maturity/versions/{HUGE}/exports", None, None),
        ("POST", "/organisations/{org}/assessments", HUGE, ["body", "questionnaire_version"]),
        ("POST", "/organisations/{org}/assessments", -(2**63) - 1, None),
        ("POST", "/assessments/{assessment}/reminders", {"round": HUGE}, ["body", "round"]),
    ],
)
def test_integers_beyond_the_database_are_refused_naming_the_field(
    client: TestClient,
    admin: Caller,
    ours: Tenant,
    method: str,
    path: str,
    body: Any,
    field: list[str] | None,
) -> None:
    """A number no column stores is a 422 that names it, on SQLite and PostgreSQL alike."""
    url = "/api/v1" + path.format(org=ours.organisation_id, assessment=ours.assessment_id)
    if isinstance(body, int):
        body = {"questionnaire_id": "cx-maturity", "name": "Huge", "questionnaire_version": body}
    answered = client.request(method, url, json=body, headers=admin.headers)
    expected = field or (["path", "version"] if "/versions/" in path else None)
    expected = expected or ["body", "questionnaire_version"]
    assert named_fields(answered) == [expected]


@pytest.mark.parametrize("version", [HUGE, -(2**63) - 1, 0, 2**31])
def test_a_questionnaire_version_beyond_the_database_is_a_problem_of_the_file(
    client: TestClient, admin: Caller, version: int
) -> None:
    """The file's `version:` is checked like every key: line, column and what to change."""
    data = yaml.safe_load(DEFAULT.read_text(encoding="utf-8"))
    data["version"] = version
    answered = client.post(
        "/api/v1/questionnaires",
        content=yaml.safe_dump(data, sort_keys=False).encode(),
        headers={**admin.headers, "Content-Type": "application/yaml"},
    )
    assert answered.status_code == 422, answered.text
    [problem] = answered.json()["problems"]
    assert problem.endswith(f"version must be between 1 and 2147483647, got {version}")
    assert problem.startswith("questionnaire.yaml:")
