"""Organisations, assessments, invitations and report jobs made through the API as a
consultant makes them, for the tests of the API, the pages, the jobs and the attacks."""

from __future__ import annotations

import io
import re
import uuid
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlmodel import Session

from assess.persistence.models.jobs import JobKind, ReportJob
from assess.persistence.repository.reports import create_report_job
from tests.conftest import ROOT, Caller
from tests.factories import csv_bytes
from tests.polling import until

API = "/api/v1"
DEMO = (ROOT / "examples" / "answers-demo-v1.csv").read_text()
# The columns of an answers file of service-check.
SERVICE_CHECK_COLUMNS = [
    "respondent",
    "listen-feedback",
    "listen-ignore",
    "listen-nps",
    "act-owner",
    "act-speed",
    "share-wiki",
    "share-silo",
]
# What each anonymous respondent of a service-check study answers.
STUDY_ANSWERS = {"listen-feedback": 7, "listen-nps": True, "act-owner": "team", "share-wiki": False}


def new_organisation(client: TestClient, caller: Caller, name: str = "Muster GmbH") -> str:
    """A new organisation with only a name; its id."""
    made = client.post(f"{API}/organisations", json={"name": name}, headers=caller.headers)
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


def make_assessment(client: TestClient, caller: Caller, organisation: str, **options: Any) -> str:
    """An assessment in a new organisation (options as for `assessment_in`); its id."""
    org = client.post("/api/v1/organisations", json={"name": organisation}, headers=caller.headers)
    return assessment_in(client, caller, org.json()["id"], **options)


def assessment_in(
    client: TestClient,
    caller: Caller,
    organisation_id: str,
    *,
    answers: str | None = DEMO,
    close: bool = True,
    wave: str = "2026",
) -> str:
    """An assessment of the default questionnaire in an organisation, with imported
    answers, closed unless told otherwise; its id."""
    made = client.post(
        f"/api/v1/organisations/{organisation_id}/assessments",
        json={"questionnaire_id": "cx-maturity", "name": f"CX {wave}", "wave": wave},
        headers=caller.headers,
    ).json()
    if answers:
        imported = client.post(
            f"/api/v1/assessments/{made['id']}/import",
            content=answers.encode(),
            headers={**caller.headers, "Content-Type": "text/csv"},
        )
        assert imported.status_code == 201, imported.text
    if close:
        client.post(f"/api/v1/assessments/{made['id']}/close", headers=caller.headers)
    return str(made["id"])


def queued_report(session: Session, caller: Caller, assessment: str, language: str) -> ReportJob:
    """A report job of the assessment, queued and handed to no worker."""
    return create_report_job(
        session,
        user=caller.user,
        kind=JobKind.report,
        language=language,
        assessment_id=uuid.UUID(assessment),
    )


def invite(client: TestClient, caller: Caller, assessment: dict, *labels: str, **extra) -> list:
    """Invitations of the assessment, one per label; the API's answer."""
    body = {"invitations": [{"label": label} for label in labels], **extra}
    response = client.post(
        f"/api/v1/assessments/{assessment['id']}/invitations", json=body, headers=caller.headers
    )
    assert response.status_code == 201, response.text
    return response.json()


def finished(client: TestClient, url: str, headers: dict[str, str], seconds: float = 120) -> dict:
    """The job at `url` once it is done or failed."""

    def ended() -> dict | None:
        state = client.get(url, headers=headers).json()
        return state if state["status"] in ("done", "failed") else None

    told = f"{url} did not finish within {seconds} s"
    return until(ended, timeout=seconds, every=0.2, message=told)


def words_of(pdf: bytes) -> str:
    """A PDF's text, its white space made single spaces."""
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def rising_answers(level: int) -> bytes:
    """Three respondents (the fewest whose results are shown) whose answers rise with
    `level` (0..10)."""
    owner = ["nobody", "team", "board"][min(level // 4, 2)]
    rows = [
        [
            f"r{i}",
            min(level + i, 10),
            10 - level,
            "yes" if level > 4 else "no",
            owner,
            1 + min(level // 3, 3),
            "yes",
            5 - min(level // 2, 4),
        ]
        for i in range(3)
    ]
    return csv_bytes(SERVICE_CHECK_COLUMNS, *rows)


def organisation(
    client: TestClient, caller: Caller, industry: str = "retail", size: str = "1-49"
) -> str:
    """A new organisation of that industry and size, in Germany; its id."""
    body = {"name": f"Org {industry} {size}", "industry": industry, "size": size, "country": "de"}
    return client.post(f"{API}/organisations", json=body, headers=caller.headers).json()["id"]


def closed_assessment(client: TestClient, caller: Caller, org: str, level: int) -> str:
    """A closed assessment of service-check with `rising_answers(level)`; its id."""
    made = client.post(
        f"{API}/organisations/{org}/assessments",
        json={"questionnaire_id": "service-check", "name": "wave"},
        headers=caller.headers,
    ).json()["id"]
    imported = client.post(
        f"{API}/assessments/{made}/import",
        content=rising_answers(level),
        headers={**caller.headers, "Content-Type": "text/csv"},
    )
    assert imported.status_code == 201, imported.text
    assert client.post(f"{API}/assessments/{made}/close", headers=caller.headers).is_success
    return made


def opt_in(client: TestClient, caller: Caller, org: str) -> dict:
    """The organisation takes part in benchmarks; the answer's body."""
    response = client.post(f"{API}/organisations/{org}/benchmark/opt-in", headers=caller.headers)
    assert response.status_code == 200, response.text
    return response.json()


def make_study(client: TestClient, caller: Caller, name: str = "Marktstudie 2026") -> dict:
    """An open study of service-check in a new organisation; the API's answer."""
    org = client.post("/api/v1/organisations", json={"name": "Institut"}, headers=caller.headers)
    study = client.post(
        f"/api/v1/organisations/{org.json()['id']}/assessments",
        json={"questionnaire_id": "service-check", "name": name, "kind": "study"},
        headers=caller.headers,
    ).json()
    client.post(f"/api/v1/assessments/{study['id']}/open", headers=caller.headers)
    return dict(study)


def public_link(client: TestClient, caller: Caller, study: dict) -> str:
    """The token of the study's public link."""
    made = client.post(f"/api/v1/assessments/{study['id']}/public-link", headers=caller.headers)
    assert made.status_code == 201, made.text
    return str(made.json()["token"])


def answer(app: FastAPI, public_token: str, profile: dict[str, Any]) -> str:
    """One respondent in a browser of their own: start, then submit; their token."""
    browser = TestClient(app)
    started = browser.post(f"/api/v1/studies/{public_token}")
    assert started.status_code == 201, started.text
    token = str(started.json()["token"])
    body = {"answers": STUDY_ANSWERS, "profile": profile}
    submitted = browser.post(
        f"/api/v1/respond/{token}/submit", json=body, headers={"Idempotency-Key": "1"}
    )
    assert submitted.status_code == 200, submitted.text
    return token


def open_assessment_of(
    client: TestClient, consultant: Caller, admin: Caller, source: bytes, name: str
) -> dict:
    """An open assessment, in a new organisation of `consultant`, of the questionnaire
    `source` (YAML) that `admin` publishes first; the API's answer."""
    published = client.post(
        f"{API}/questionnaires",
        content=source,
        headers={**admin.headers, "Content-Type": "application/yaml"},
    )
    assert published.status_code == 201, published.text
    questionnaire_id = published.json()["id"]
    org = client.post(f"{API}/organisations", json={"name": "Us"}, headers=consultant.headers)
    made = client.post(
        f"{API}/organisations/{org.json()['id']}/assessments",
        json={"questionnaire_id": questionnaire_id, "name": name},
        headers=consultant.headers,
    ).json()
    client.post(f"{API}/assessments/{made['id']}/open", headers=consultant.headers)
    return dict(made)
