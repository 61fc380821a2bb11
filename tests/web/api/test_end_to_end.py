"""The demo's twelve respondents answer through invitation links; the API's results
equal what `assess score` computes from the same CSV file, figure for figure."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from assess.cli.main import app as cli
from assess.domain.answer_files import read_answers
from assess.domain.answers import NA
from assess.domain.validation import load_questionnaire
from tests.conftest import Caller

ROOT = Path(__file__).parents[3]
DEMO = ROOT / "examples" / "answers-demo-v1.csv"
DEFAULT = ROOT / "questionnaires" / "cx-maturity.yaml"


def test_demo_through_invitations_matches_the_command(
    client: TestClient, consultant: Caller, published: object
) -> None:
    questionnaire = load_questionnaire(DEFAULT)
    responses = read_answers(DEMO.read_bytes(), questionnaire)
    org = client.post(
        "/api/v1/organisations",
        json={"name": "Muster GmbH", "industry": "retail", "size": "250-999", "country": "de"},
        headers=consultant.headers,
    ).json()
    assessment = client.post(
        f"/api/v1/organisations/{org['id']}/assessments",
        json={"questionnaire_id": "cx-maturity", "name": "CX 2026", "wave": "1"},
        headers=consultant.headers,
    ).json()
    client.post(f"/api/v1/assessments/{assessment['id']}/open", headers=consultant.headers)
    invitations = client.post(
        f"/api/v1/assessments/{assessment['id']}/invitations",
        json={
            "invitations": [
                {"label": r.respondent, "department": r.profile["department"]} for r in responses
            ]
        },
        headers=consultant.headers,
    ).json()
    for response, invitation in zip(responses, invitations, strict=True):
        answers = {k: ("na" if v is NA else v) for k, v in response.answers.items()}
        half = dict(list(answers.items())[:10])
        token = invitation["token"]
        assert client.put(f"/api/v1/respond/{token}", json={"answers": half}).status_code == 200
        body = {"answers": answers}
        submitted = client.post(f"/api/v1/respond/{token}/submit", json=body)
        assert submitted.status_code == 200, submitted.text

    state = client.get(f"/api/v1/assessments/{assessment['id']}", headers=consultant.headers)
    assert state.json()["counts"] == {
        "invited": 12,
        "started": 12,
        "submitted": 12,
        "response_rate": 1.0,
    }
    api = client.get(
        f"/api/v1/assessments/{assessment['id']}/results", headers=consultant.headers
    ).json()
    command = CliRunner().invoke(cli, ["score", "-q", str(DEFAULT), "-a", str(DEMO), "-f", "json"])
    expected = json.loads(command.stdout)
    assert _rounded(api) == _rounded({**expected, "view": "answered"})
    assert any(d["flagged"] for d in api["divergence"]["department"].values())

    sales_only = client.get(
        f"/api/v1/assessments/{assessment['id']}/results",
        params={"filter": "department:sales"},
        headers=consultant.headers,
    ).json()
    assert sales_only["respondents"] == 3
    assert (
        sales_only["dimensions"]["strategy"]["score"]
        == api["groups"]["department"]["sales"]["dimensions"]["strategy"]["score"]
    )

    closed = client.post(
        f"/api/v1/assessments/{assessment['id']}/close", headers=consultant.headers
    )
    assert closed.json()["status"] == "closed"


def _rounded(value: object) -> object:
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value
