"""The organisation page offers every published version of a questionnaire, the newest
chosen unless someone picks another, and makes the assessment with the version picked."""

from __future__ import annotations

import re

import pytest
import yaml
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from assess.persistence.models.assessments import Assessment
from assess.persistence.repository.questionnaires import version_by_id
from tests.conftest import Caller
from tests.second_version import FIRST, second_version_data
from tests.web.browsing import browser, post_form, sign_in, with_password
from tests.web.console.consulting import make_organisation


@pytest.fixture
def consultant_browser(
    app: FastAPI, client: TestClient, session: Session, admin: Caller
) -> TestClient:
    """A consultant signed in to the console, with versions 1 and 2 of cx-maturity."""
    second = yaml.safe_dump(second_version_data(), allow_unicode=True)
    for source in (FIRST.read_text(encoding="utf-8"), second):
        published = client.post(
            "/api/v1/questionnaires",
            content=source.encode(),
            headers={**admin.headers, "Content-Type": "application/yaml"},
        )
        assert published.status_code == 201, published.text
    with_password(session, "consultant@example.org")
    return sign_in(browser(app), "consultant@example.org")


def versions_made(session: Session) -> list[int]:
    assessments = session.exec(select(Assessment).order_by(Assessment.created_at)).all()
    return [
        version_by_id(session, version_id=a.questionnaire_version_id).version for a in assessments
    ]


def test_both_versions_are_offered_and_the_newest_is_chosen(
    consultant_browser: TestClient,
) -> None:
    organisation = make_organisation(consultant_browser)
    page = consultant_browser.get(f"/organisations/{organisation}").text
    options = re.findall(r'<option value="(cx-maturity@\d)"( selected)?', page)
    assert options == [("cx-maturity@2", " selected"), ("cx-maturity@1", "")]


def test_the_version_picked_is_the_version_of_the_assessment(
    consultant_browser: TestClient, session: Session
) -> None:
    organisation = make_organisation(consultant_browser)
    page = f"/organisations/{organisation}"
    for picked in ("cx-maturity@1", "cx-maturity", "cx-maturity@2"):
        made = post_form(
            consultant_browser,
            page,
            f"{page}/assessments",
            {"questionnaire": picked, "name": "CX 2026", "kind": "assessment"},
        )
        assert made.status_code == 303, made.text
    assert versions_made(session) == [1, 2, 2]
