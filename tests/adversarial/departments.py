"""Organisations whose respondents name a department (and tenure and site), and a member
who reads their results: what the differencing attacks are made on."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from assess.persistence.models.accounts import Role
from assess.persistence.repository.accounts import set_membership
from tests.conftest import Caller, make_caller

API = "/api/v1"
K = 3  # the smallest group an organisation's results describe
OPTIONS = ("a", "b", "c")


def questionnaire_yaml(qid: str, questions: Sequence[int]) -> str:
    """A small questionnaire whose respondents answer len(questions) profile questions
    (the first is `department`), each with that many options."""
    profile = "\n".join(
        f"  - id: {name}\n    type: choice\n    scope: respondent\n"
        f"    text: {{en: '{name}'}}\n    options:\n"
        + "\n".join(f"      - {{value: {o}, label: {{en: '{o}'}}}}" for o in OPTIONS[:n])
        for name, n in zip(("department", "tenure", "site"), questions, strict=False)
    )
    return f"""id: {qid}
version: 1
languages: [en]
title: {{en: "Differencing"}}
scale: {{min: 1, max: 5}}
stages:
  - {{id: low, min_score: 0, name: {{en: "Low"}}}}
  - {{id: high, min_score: 50, name: {{en: "High"}}}}
dimensions:
  - id: d
    name: {{en: "D"}}
    items:
      - {{id: i1, type: scale, text: {{en: "One"}}}}
      - {{id: i2, type: scale, text: {{en: "Two"}}}}
profile:
{profile}
"""


def publish(client: TestClient, admin: Caller, qid: str, questions: Sequence[int]) -> None:
    """The questionnaire `qid` published through the API."""
    response = client.post(
        f"{API}/questionnaires",
        content=questionnaire_yaml(qid, questions).encode(),
        headers={**admin.headers, "Content-Type": "application/yaml"},
    )
    assert response.status_code == 201, response.text


@dataclass
class Tenant:
    """An organisation with its consultant, a member and an open assessment."""

    consultant: Caller
    member: Caller
    assessment: str
    rows: list[str] = field(default_factory=list)


def organisation_with_member(
    client: TestClient, session: Session, admin: Caller, qid: str, questions: Sequence[int]
) -> Tenant:
    """A new organisation with a member, answering `qid` in an open assessment."""
    publish(client, admin, qid, questions)
    consultant = make_caller(session, f"consultant-{qid}@example.org")
    member = make_caller(session, f"member-{qid}@example.org")
    org = client.post(f"{API}/organisations", json={"name": qid}, headers=consultant.headers)
    org_id = org.json()["id"]
    set_membership(session, organisation_id=uuid.UUID(org_id), user=member.user, role=Role.member)
    made = client.post(
        f"{API}/organisations/{org_id}/assessments",
        json={"questionnaire_id": qid, "name": "wave"},
        headers=consultant.headers,
    )
    assessment = made.json()["id"]
    client.post(f"{API}/assessments/{assessment}/open", headers=consultant.headers)
    return Tenant(consultant, member, assessment)


def submit(client: TestClient, org: Tenant, header: str, *rows: str) -> None:
    """Responses added as if submitted (an import of answers collected offline)."""
    start = len(org.rows)
    body = "\n".join([header, *(f"p{start + i:02d},{row}" for i, row in enumerate(rows))])
    org.rows += rows
    imported = client.post(
        f"{API}/assessments/{org.assessment}/import",
        content=body.encode(),
        headers={**org.consultant.headers, "Content-Type": "text/csv"},
    )
    assert imported.status_code == 201, imported.text


def results(client: TestClient, caller: Caller, assessment: str, **params: Any) -> Any:
    """The assessment's results as `caller` reads them."""
    return client.get(
        f"{API}/assessments/{assessment}/results", params=params, headers=caller.headers
    )
