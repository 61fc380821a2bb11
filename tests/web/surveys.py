"""A survey that privacy requests act on: an organisation in the benchmarks whose
assessment four invited respondents answered, one with a remark only they wrote."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import Caller

API = "/api/v1"


@dataclass(frozen=True)
class Survey:
    """An organisation with one assessment answered by four invited respondents."""

    organisation: str
    assessment: str
    invitations: list[dict[str, Any]]


def answers(level: int) -> dict[str, Any]:
    """Answers to service-check that rise with `level` (0..3)."""
    return {
        "listen-feedback": 1 + level,
        "listen-ignore": 5 - level,
        "listen-nps": "yes" if level > 1 else "no",
        "act-owner": ["nobody", "team", "board", "board"][level],
        "act-speed": 1 + level,
        "share-wiki": "yes",
        "share-silo": 4 - level,
    }


def make_survey(
    client: TestClient, caller: Caller, *, name: str = "Muster GmbH", close: bool = True
) -> Survey:
    """Four respondents (the first, Anna, with a remark only she wrote) who all submitted;
    the organisation takes part in benchmarks; the assessment closed if `close`."""
    org = client.post(
        f"{API}/organisations",
        json={"name": name, "industry": "retail", "size": "1-49", "country": "de"},
        headers=caller.headers,
    ).json()["id"]
    client.post(f"{API}/organisations/{org}/benchmark/opt-in", headers=caller.headers)
    made = client.post(
        f"{API}/organisations/{org}/assessments",
        json={"questionnaire_id": "service-check", "name": "CX 2026"},
        headers=caller.headers,
    ).json()["id"]
    people = [
        {"label": label, "email": f"{label.lower()}.{name[:3].lower()}@example.org"}
        for label in ("Anna", "Ben", "Cem", "Dora")
    ]
    invited = client.post(
        f"{API}/assessments/{made}/invitations",
        json={"invitations": people},
        headers=caller.headers,
    ).json()
    assert client.post(f"{API}/assessments/{made}/open", headers=caller.headers).is_success
    for level, invitation in enumerate(invited):
        profile = {"team": "front", "remark": f"SECRET-REMARK-{name[:3]}"} if level == 0 else {}
        body = {"answers": answers(level), "profile": profile}
        saved = client.put(f"{API}/respond/{invitation['token']}", json=body)
        assert saved.status_code == 200, saved.text
        assert client.post(f"{API}/respond/{invitation['token']}/submit").status_code == 200
    if close:
        assert client.post(f"{API}/assessments/{made}/close", headers=caller.headers).is_success
    return Survey(org, made, invited)


def personal_data_url(survey: Survey, index: int = 0) -> str:
    """Where the API gives one respondent's personal data."""
    invitation = survey.invitations[index]["id"]
    return f"{API}/assessments/{survey.assessment}/invitations/{invitation}/personal-data"
