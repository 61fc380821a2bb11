"""An organisation whose every text a user could type holds the same hostile text: its
name, its assessment's name and wave, its respondents' labels, departments and remarks,
and every text of the questionnaire it uses (published by an admin as a new one)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

import yaml
from fastapi.testclient import TestClient
from pypdf import PdfReader

from tests.conftest import SERVICE_CHECK, Caller
from tests.polling import until


@dataclass(frozen=True)
class Hostile:
    """What was made, and the text every field holds (`short` where at most 64 fit)."""

    organisation_id: str
    assessment_id: str
    tokens: list[str]
    text: str
    short: str


def questionnaire_with(text: str, questionnaire_id: str) -> str:
    """The service-check questionnaire with every text, in every language, set to `text`."""
    data = yaml.safe_load(SERVICE_CHECK.read_text(encoding="utf-8"))

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            if set(node) <= {"de", "en"} and all(isinstance(v, str) for v in node.values()):
                return dict.fromkeys(node, text)
            return {key: walk(value) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(value) for value in node]
        return node

    data = walk(data)
    data["id"] = questionnaire_id
    return yaml.safe_dump(data, allow_unicode=True)


def make_hostile(
    client: TestClient, admin: Caller, consultant: Caller, text: str, short: str
) -> Hostile:
    """The organisation, its questionnaire, an open assessment, three submitted responses
    (the fewest a report shows) and one in progress, every text among them `text` (or
    `short`)."""
    published = client.post(
        "/api/v1/questionnaires",
        content=questionnaire_with(text, "hostile").encode(),
        headers={**admin.headers, "Content-Type": "application/yaml"},
    )
    assert published.status_code == 201, published.text
    headers = consultant.headers
    org = client.post(
        "/api/v1/organisations",
        json={"name": text, "industry": "retail", "country": "de"},
        headers=headers,
    ).json()["id"]
    made = client.post(
        f"/api/v1/organisations/{org}/assessments",
        json={"questionnaire_id": "hostile", "name": text, "wave": short},
        headers=headers,
    )
    assert made.status_code == 201, made.text
    assessment = made.json()["id"]
    client.post(f"/api/v1/assessments/{assessment}/open", headers=headers)
    people = [{"label": f"{text} {n}", "department": short} for n in range(4)]
    invited = client.post(
        f"/api/v1/assessments/{assessment}/invitations",
        json={"invitations": people},
        headers=headers,
    )
    assert invited.status_code == 201, invited.text
    tokens = [i["token"] for i in invited.json()]
    for n, token in enumerate(tokens):
        answers = {"listen-feedback": 3 + n, "act-owner": "team", "share-silo": 2}
        body = {"answers": answers, "profile": {"team": "front", "remark": text}}
        assert client.put(f"/api/v1/respond/{token}", json=body).status_code == 200
        if n:
            assert client.post(f"/api/v1/respond/{token}/submit").status_code == 200
    return Hostile(org, assessment, tokens, text, short)


def report_pdf(client: TestClient, caller: Caller, assessment: str, **asked: Any) -> bytes:
    """The assessment's PDF report, asked for through the API and waited for."""
    started = client.post(
        f"/api/v1/assessments/{assessment}/reports",
        json={"language": "en", **asked},
        headers=caller.headers,
    )
    assert started.status_code == 202, started.text
    state = started.json()

    def ended() -> bool:
        nonlocal state
        if state["status"] not in ("done", "failed"):
            state = client.get(started.json()["status_url"], headers=caller.headers).json()
        return state["status"] in ("done", "failed")

    until(ended, timeout=180, every=0.2, message=lambda: f"not made in time: {state}")
    assert state["status"] == "done", state
    pdf = client.get(state["download_url"], headers=caller.headers)
    assert pdf.status_code == 200
    return pdf.content


def pdf_words(pdf: bytes) -> str:
    """The PDF's text, its whitespace taken out (lines break anywhere)."""
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", "", " ".join(page.extract_text() for page in reader.pages))
