"""A respondent answering at /r/{token} as a browser without JavaScript does: an open
assessment, a link, and each page got before its form is posted."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from httpx import Response

from tests.conftest import Caller

SCRIPT = "<script>alert(1)</script>"
# What the respondent of the whole flow posts, page by page (service-check questionnaire).
PAGES = {
    "profile": {"team": "back", "tenure": "2", "remark": "More <b>time</b>, please"},
    "level/1": {"listen-feedback": "7", "listen-ignore": "2", "listen-nps": "yes"},
    "level/2": {"act-owner": "team", "act-speed": "na"},
    "level/3": {"share-wiki": "no", "share-silo": "4"},
}


def open_assessment(client: TestClient, caller: Caller, questionnaire: str, name: str) -> dict:
    """An open assessment of `questionnaire` in a new organisation; the API's answer."""
    org = client.post("/api/v1/organisations", json={"name": "Us"}, headers=caller.headers)
    created = client.post(
        f"/api/v1/organisations/{org.json()['id']}/assessments",
        json={"questionnaire_id": questionnaire, "name": name},
        headers=caller.headers,
    ).json()
    client.post(f"/api/v1/assessments/{created['id']}/open", headers=caller.headers)
    return created


def new_link(
    client: TestClient, caller: Caller, assessment: dict, label: str, expires_at: str | None = None,
    **extra: str,
) -> str:  # fmt: skip
    """The token of a new invitation's link."""
    body = {"invitations": [{"label": label, **extra}], "expires_at": expires_at}
    response = client.post(
        f"/api/v1/assessments/{assessment['id']}/invitations", json=body, headers=caller.headers
    )
    assert response.status_code == 201, response.text
    return response.json()[0]["token"]


def form_token(page: Response) -> str:
    """The form token of a respondent's page."""
    match = re.search(r'name="form_token" value="([0-9a-f]+)"', page.text)
    assert match, page.text
    return match.group(1)


def post(client: TestClient, token: str, page: str, data: dict, lang: str = "en") -> Response:
    """Post a page as a browser without JavaScript does: first get it, then send its form."""
    shown = client.get(f"/r/{token}/{page}?lang={lang}")
    assert shown.status_code == 200, shown.text
    body = {"form_token": form_token(shown), **data}
    return client.post(f"/r/{token}/{page}?lang={lang}", data=body, follow_redirects=False)
