"""A study's public link in the browser (/s/{public_token}): its welcome page, the "Start"
form, and the anonymous respondent's pages at /r/ that follow, with JavaScript off (form
posts only)."""

from __future__ import annotations

import re
import uuid

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session, func, select

from assess.persistence.models.assessments import Invitation
from assess.persistence.models.responses import Response as StoredResponse
from assess.web.actions.answered import cookie_name
from assess.web.pages.visit import form_token as make_form_token
from tests.conftest import Caller
from tests.web.answering import PAGES, SCRIPT, form_token, post
from tests.web.assessments import make_study, public_link

# The study's respondent also says something about their organisation (remote: scope
# organisation), which an invitation's respondent is never asked.
PROFILE = {**PAGES["profile"], "remote": "yes"}


@pytest.fixture
def study(client: TestClient, consultant: Caller, published: object) -> dict:
    return make_study(client, consultant)


@pytest.fixture
def public_token(client: TestClient, consultant: Caller, study: dict) -> str:
    return public_link(client, consultant, study)


def start(browser: TestClient, public_token: str, lang: str = "de") -> Response:
    """Press "Start" as a browser does: get the welcome page, then post its form."""
    welcome = browser.get(f"/s/{public_token}?lang={lang}")
    assert welcome.status_code == 200, welcome.text
    return browser.post(
        f"/s/{public_token}?lang={lang}",
        data={"form_token": form_token(welcome)},
        follow_redirects=False,
    )


def personal_token(started: Response) -> str:
    assert started.status_code == 303, started.text
    match = re.fullmatch(r"/r/([^/?]+)\?lang=(de|en)", started.headers["location"])
    assert match, started.headers["location"]
    return match.group(1)


def submit(browser: TestClient, token: str, lang: str = "de") -> Response:
    review = browser.get(f"/r/{token}/review?lang={lang}")
    assert review.status_code == 200, review.text
    submission = re.search(r'name="submission" value="([^"]+)"', review.text)
    assert submission
    return browser.post(
        f"/r/{token}/review?lang={lang}",
        data={"form_token": form_token(review), "submission": submission.group(1)},
        follow_redirects=False,
    )


def invitations(session: Session) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(Invitation)).one()


def test_a_study_is_answered_in_german_from_its_public_link_to_the_thanks_page(
    app: FastAPI, session: Session, study: dict, public_token: str
) -> None:
    browser = TestClient(app)
    welcome = browser.get(f"/s/{public_token}?lang=de")
    assert welcome.status_code == 200
    assert '<html lang="de">' in welcome.text
    assert f'href="/s/{public_token}?lang=en"' in welcome.text  # the language switch
    for words in ("Marktstudie 2026", "Was wir fragen", "Sie antworten anonym", "Etwa 3 Minuten"):
        assert words in welcome.text
    assert "mindestens 5 Befragten" in welcome.text  # k of the settings
    assert f'action="/s/{public_token}?lang=de"' in welcome.text

    token = personal_token(start(browser, public_token))
    first = browser.get(f"/r/{token}?lang=de", follow_redirects=False)
    assert first.headers["location"] == f"/r/{token}/profile?lang=de"  # welcomed at /s/
    profile = browser.get(first.headers["location"])
    assert "Zu Ihrer Person und Ihrem Unternehmen" in profile.text
    assert 'name="remote"' in profile.text
    locations = []
    for page, data in {**PAGES, "profile": PROFILE}.items():
        sent = post(browser, token, page, {**data, "go": "next"}, lang="de")
        assert sent.status_code == 303, sent.text
        locations.append(sent.headers["location"])
    assert locations[-1] == f"/r/{token}/review?lang=de"
    assert "<dd>Ja</dd>" in browser.get(f"/r/{token}/review?lang=de").text  # remote: yes

    done = submit(browser, token)
    assert done.headers["location"] == f"/r/{token}/thanks?lang=de"
    cookie = done.headers["set-cookie"]
    assert cookie.startswith(cookie_name(uuid.UUID(study["id"])) + "=1;")
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    thanks = browser.get(done.headers["location"])
    assert "anonym in die Ergebnisse der Studie" in thanks.text

    session.expire_all()
    stored = session.exec(select(StoredResponse)).one()
    assert stored.status == "submitted"
    assert stored.answers == {
        "listen-feedback": 7.0, "listen-ignore": 2.0, "listen-nps": True,
        "act-owner": "team", "act-speed": "na", "share-wiki": False, "share-silo": 4.0,
    }  # fmt: skip
    assert stored.profile == {
        "team": "back", "tenure": 2.0, "remark": PAGES["profile"]["remark"], "remote": True,
    }  # fmt: skip


def test_a_browser_that_answered_gets_the_409_page_and_a_fresh_browser_can_start(
    app: FastAPI, session: Session, public_token: str
) -> None:
    browser = TestClient(app)
    token = personal_token(start(browser, public_token))
    other_tab = personal_token(start(browser, public_token))
    assert submit(browser, token).status_code == 303

    again = browser.get(f"/s/{public_token}?lang=en")
    assert again.status_code == 409
    assert "This browser has already answered this study" in again.text
    before = invitations(session)
    pressed = browser.post(
        f"/s/{public_token}?lang=en", data={"form_token": "0" * 64}, follow_redirects=False
    )
    assert pressed.status_code == 409
    assert "already answered" in pressed.text
    assert invitations(session) == before
    refused = submit(browser, other_tab, lang="en")
    assert refused.status_code == 409
    assert "already answered" in refused.text
    assert "Nothing was changed." in refused.text
    api = browser.post(f"/api/v1/studies/{public_token}")  # the JSON API sees the same mark
    assert api.status_code == 409

    fresh = TestClient(app)
    assert fresh.get(f"/s/{public_token}").status_code == 200
    assert personal_token(start(fresh, public_token))
    assert invitations(session) == before + 1


def test_the_start_form_needs_its_token_bound_to_the_public_link(
    app: FastAPI, client: TestClient, consultant: Caller, session: Session, public_token: str
) -> None:
    browser = TestClient(app)
    secret = app.state.secret_key
    other = public_link(client, consultant, make_study(client, consultant, "Other study"))
    forged = [
        {},
        {"form_token": "0" * 64},
        {"form_token": make_form_token(secret, public_token)},  # a respondent form's token
        {"form_token": make_form_token(secret, other, "study-start")},  # another study's
    ]
    for data in forged:
        refused = browser.post(f"/s/{public_token}?lang=en", data=data, follow_redirects=False)
        assert refused.status_code == 403
        assert "The study could not be started" in refused.text
        assert f'href="/s/{public_token}?lang=en"' in refused.text
    assert invitations(session) == 0
    assert personal_token(start(browser, public_token, "en"))


def test_an_unknown_study_link_gets_the_friendly_404_page(app: FastAPI, public_token: str) -> None:
    browser = TestClient(app)
    for address in ("/s/not-a-token", f"/s/{public_token[:-1]}", "/s/" + "x" * 300):
        shown = browser.get(address, headers={"Accept-Language": "de"})
        assert shown.status_code == 404
        assert shown.headers["content-type"].startswith("text/html")
        assert "Dieser Link zur Studie funktioniert nicht" in shown.text
    posted = browser.post("/s/not-a-token", data={"form_token": "0" * 64})
    assert posted.status_code == 404


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ("close", "This study is closed"),
        (None, "This study has not started yet"),
    ],
)
def test_a_study_that_is_not_open_gets_the_friendly_409_page(
    app: FastAPI,
    client: TestClient,
    consultant: Caller,
    session: Session,
    published: object,
    change: str | None,
    words: str,
) -> None:
    org = client.post("/api/v1/organisations", json={"name": "I"}, headers=consultant.headers)
    study = client.post(
        f"/api/v1/organisations/{org.json()['id']}/assessments",
        json={"questionnaire_id": "service-check", "name": "Draft study", "kind": "study"},
        headers=consultant.headers,
    ).json()
    if change:
        client.post(f"/api/v1/assessments/{study['id']}/open", headers=consultant.headers)
        client.post(f"/api/v1/assessments/{study['id']}/{change}", headers=consultant.headers)
    token = public_link(client, consultant, study)
    shown = TestClient(app).get(f"/s/{token}?lang=en")
    assert shown.status_code == 409
    assert words in shown.text
    assert "Draft study" in shown.text
    pressed = TestClient(app).post(f"/s/{token}?lang=en", data={"form_token": "0" * 64})
    assert pressed.status_code == 409
    assert invitations(session) == 0


def test_a_started_response_of_a_study_that_closed_gets_the_study_page(
    app: FastAPI, client: TestClient, consultant: Caller, study: dict, public_token: str
) -> None:
    browser = TestClient(app)
    token = personal_token(start(browser, public_token, "en"))
    client.post(f"/api/v1/assessments/{study['id']}/close", headers=consultant.headers)
    shown = browser.get(f"/r/{token}/level/1?lang=en")
    assert shown.status_code == 409
    assert "This study is closed" in shown.text


def test_markup_in_the_study_name_is_shown_as_text(
    app: FastAPI, client: TestClient, consultant: Caller, published: object
) -> None:
    token = public_link(client, consultant, make_study(client, consultant, SCRIPT))
    browser = TestClient(app)
    pages = [browser.get(f"/s/{token}?lang=en")]
    respondent = personal_token(start(browser, token, "en"))
    pages.append(browser.get(f"/r/{respondent}/welcome?lang=en"))
    for page in pages:
        assert page.status_code == 200
        assert SCRIPT not in page.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


def test_the_study_pages_speak_english_and_tell_nothing_of_an_invitation(
    app: FastAPI, public_token: str
) -> None:
    browser = TestClient(app)
    welcome = browser.get(f"/s/{public_token}", headers={"Accept-Language": "en-GB"})
    assert '<html lang="en">' in welcome.text
    assert "You are invited to take part in this study anonymously." in welcome.text
    assert "at least 5 respondents" in welcome.text
    token = personal_token(start(browser, public_token, "en"))
    again = browser.get(f"/r/{token}/welcome?lang=en")
    assert "You take part in this study anonymously." in again.text
    assert "This link was made for" not in again.text
    assert "anonymous-" not in again.text  # the generated label stays unseen
    assert "About you and your organisation" in browser.get(f"/r/{token}/profile?lang=en").text
