"""The thank-you page shows a respondent their own scores, where the assessment allows it."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient

from assess.domain.scoring import score_answers
from assess.domain.validation import load_questionnaire
from assess.formatting import score_text
from tests.conftest import SERVICE_CHECK, Caller
from tests.web.test_pages import PAGES, form_token, invite, post


def answer_everything(client: TestClient, token: str, lang: str) -> str:
    for page, data in PAGES.items():
        post(client, token, page, {**data, "go": "next"}, lang=lang)
    review = client.get(f"/r/{token}/review?lang={lang}")
    submission = re.search(r'name="submission" value="([^"]+)"', review.text)
    assert submission
    done = client.post(
        f"/r/{token}/review?lang={lang}",
        data={"form_token": form_token(review), "submission": submission.group(1)},
        follow_redirects=False,
    )
    return client.get(done.headers["location"]).text


def open_assessment(client: TestClient, caller: Caller, **extra: object) -> dict:
    org = client.post("/api/v1/organisations", json={"name": "Us"}, headers=caller.headers)
    created = client.post(
        f"/api/v1/organisations/{org.json()['id']}/assessments",
        json={"questionnaire_id": "service-check", "name": "Wave 1", **extra},
        headers=caller.headers,
    ).json()
    client.post(f"/api/v1/assessments/{created['id']}/open", headers=caller.headers)
    return created


def test_own_scores_are_shown_when_allowed_and_equal_the_engines(
    client: TestClient, consultant: Caller, published: object
) -> None:
    assessment = open_assessment(client, consultant, show_own_scores=True)
    assert assessment["show_own_scores"] is True
    page = answer_everything(client, invite(client, consultant, assessment, "Anna"), "de")
    assert "Ihre eigenen Werte" in page
    posted = {k: v for data in PAGES.values() for k, v in data.items()}
    as_file = json.dumps([{"respondent": "Anna", **posted}]).encode()
    expected = score_answers(as_file, load_questionnaire(SERVICE_CHECK), kind="json")
    for figures in expected.total.dimensions.values():
        assert f"<td>{score_text(figures.score, 'de')}</td>" in page
    assert f"<td>{score_text(expected.total.overall.score, 'de')}</td>" in page


def test_own_scores_are_not_shown_by_default(
    client: TestClient, consultant: Caller, published: object
) -> None:
    assessment = open_assessment(client, consultant)
    assert assessment["show_own_scores"] is False
    page = answer_everything(client, invite(client, consultant, assessment, "Anna"), "en")
    assert "Thank you!" in page
    assert "Your own scores" not in page
