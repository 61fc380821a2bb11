"""The respondent's pages at /r/{token}: the whole form with JavaScript off (form posts
only), in German and English, and every way a link can be misused."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from assess.domain.scoring import score_answers
from assess.domain.validation import load_questionnaire
from assess.persistence.models.assessments import Assessment
from assess.persistence.models.responses import Response as StoredResponse
from assess.persistence.repository.invitations import create_invitations
from assess.web.pages.language import LOCALE_DIR as LOCALE
from assess.web.pages.language import choose_language
from tests.conftest import SERVICE_CHECK, Caller
from tests.factories import dimension, questionnaire_data, scale_item
from tests.web.answering import PAGES, SCRIPT, form_token, new_link, open_assessment, post

WEB = Path(__file__).parents[3] / "assess" / "web"


@pytest.fixture
def assessment(client: TestClient, consultant: Caller, published: object) -> dict:
    return open_assessment(client, consultant, "service-check", "Wave 1")


@pytest.fixture
def token(client: TestClient, consultant: Caller, assessment: dict) -> str:
    return new_link(client, consultant, assessment, "Anna")


def stored(session: Session) -> StoredResponse:
    session.expire_all()
    return session.exec(select(StoredResponse)).one()


def test_the_whole_form_without_javascript_stores_what_was_posted_and_scores_as_the_engine(
    client: TestClient, token: str, assessment: dict, consultant: Caller, session: Session
) -> None:
    start = client.get(f"/r/{token}?lang=en", follow_redirects=False)
    assert start.status_code == 303
    assert start.headers["location"] == f"/r/{token}/welcome?lang=en"
    welcome = client.get(start.headers["location"])
    assert f'href="/r/{token}/profile?lang=en"' in welcome.text
    locations = []
    for page, data in PAGES.items():
        sent = post(client, token, page, {**data, "go": "next"})
        assert sent.status_code == 303
        locations.append(sent.headers["location"].split("?")[0])
    assert locations == [f"/r/{token}/{p}" for p in ("level/1", "level/2", "level/3", "review")]
    back = post(client, token, "level/2", {**PAGES["level/2"], "go": "back"})
    assert back.headers["location"] == f"/r/{token}/level/1?lang=en"

    review = client.get(f"/r/{token}/review?lang=en")
    assert "Not answered" not in review.text
    for shown in ("7", "2", "Yes", "A team", "Not applicable", "No", "4", "Back office"):
        assert f"<dd>{shown}</dd>" in review.text
    submission = re.search(r'name="submission" value="([^"]+)"', review.text)
    assert submission
    done = client.post(
        f"/r/{token}/review?lang=en",
        data={"form_token": form_token(review), "submission": submission.group(1)},
        follow_redirects=False,
    )
    assert done.headers["location"] == f"/r/{token}/thanks?lang=en"
    assert "Thank you!" in client.get(done.headers["location"]).text

    response = stored(session)
    assert response.status == "submitted"
    assert response.answers == {
        "listen-feedback": 7.0, "listen-ignore": 2.0, "listen-nps": True,
        "act-owner": "team", "act-speed": "na", "share-wiki": False, "share-silo": 4.0,
    }  # fmt: skip
    assert response.profile == {"team": "back", "tenure": 2.0, "remark": PAGES["profile"]["remark"]}
    posted = {k: v for data in PAGES.values() for k, v in data.items()}
    as_file = json.dumps([{"respondent": "Anna", **posted}]).encode()
    expected = score_answers(as_file, load_questionnaire(SERVICE_CHECK), kind="json").to_dict()
    results = client.get(
        f"/api/v1/assessments/{assessment['id']}/results", headers=consultant.headers
    ).json()
    assert results == {**expected, "view": "answered"}
    assert results["overall"]["score"] is not None


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("de", ["Was wir fragen", "Ebene 1 von 3", "Wir sammeln Feedback.", "Antworten prüfen"]),
        ("en", ["What we ask", "Level 1 of 3", "We collect feedback.", "Review your answers"]),
    ],
)
def test_every_page_speaks_the_chosen_language(
    client: TestClient, token: str, lang: str, words: list[str]
) -> None:
    pages = ["welcome", "profile", "level/1", "level/2", "level/3", "review"]
    shown = {page: client.get(f"/r/{token}/{page}?lang={lang}") for page in pages}
    for page, response in shown.items():
        assert response.status_code == 200, page
        assert response.headers["content-type"].startswith("text/html")
        assert f'<html lang="{lang}">' in response.text
        other = "en" if lang == "de" else "de"
        assert f'href="/r/{token}/{page}?lang={other}"' in response.text  # the switch
    text = "".join(r.text for r in shown.values())
    assert all(word in text for word in words)
    review = shown["review"]
    client.post(
        f"/r/{token}/review?lang={lang}",
        data={"form_token": form_token(review), "submission": "once"},
    )
    thanks = client.get(f"/r/{token}/thanks?lang={lang}")
    assert f'<html lang="{lang}">' in thanks.text
    assert ("Vielen Dank!" if lang == "de" else "Thank you!") in thanks.text


def test_the_browser_language_counts_when_the_link_names_none(
    client: TestClient, token: str
) -> None:
    german = client.get(f"/r/{token}/welcome", headers={"Accept-Language": "fr, de-AT;q=0.8"})
    assert '<html lang="de">' in german.text
    english = client.get(f"/r/{token}/welcome?lang=en", headers={"Accept-Language": "de"})
    assert '<html lang="en">' in english.text
    assert choose_language(None, "en-GB,en;q=0.9,de;q=0.8", "de") == "en"
    assert choose_language("xx", "de;q=0, fr", "en") == "en"
    assert choose_language(None, None, "de") == "de"


def test_the_german_catalogue_translates_every_message_of_the_pages() -> None:
    method_map = [
        ("**/templates/**.j2", "jinja2"),
        ("**/pages/**.py", "python"),
        ("**/console/**.py", "python"),
    ]
    options = {"**/templates/**.j2": {"extensions": "jinja2.ext.do"}}
    found = list(extract_from_dir(WEB, method_map, options_map=options))
    with (LOCALE / "de" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        german = read_po(handle, locale="de")
    assert len(found) > 50
    # Some words are the same in both languages (Status, Link): present and filled is enough.
    missing = []
    for _, _, message, _, _ in found:
        entry = german.get(message[0] if isinstance(message, tuple) else message)
        strings = entry.string if entry else ""
        if not all(strings) if isinstance(strings, tuple) else not strings:
            missing.append(message)
    assert missing == []


def test_resume_opens_the_first_page_with_an_unanswered_question_on_any_device(
    app: FastAPI, client: TestClient, token: str
) -> None:
    post(client, token, "profile", {**PAGES["profile"], "go": "next"})
    post(client, token, "level/1", {**PAGES["level/1"], "go": "next"})
    post(client, token, "level/2", {"act-owner": "board", "go": "next"})  # act-speed left open
    other_device = TestClient(app)
    resumed = other_device.get(f"/r/{token}?lang=de", follow_redirects=False)
    assert resumed.headers["location"] == f"/r/{token}/level/2?lang=de"
    page = other_device.get(resumed.headers["location"])
    assert 'value="board" checked' in page.text
    post(other_device, token, "level/2", {"act-owner": "board", "act-speed": "3"})
    post(other_device, token, "level/3", PAGES["level/3"])
    done = client.get(f"/r/{token}", follow_redirects=False)
    assert done.headers["location"].startswith(f"/r/{token}/review")


def test_a_form_without_its_form_token_is_refused_and_saves_nothing(
    client: TestClient, token: str, consultant: Caller, assessment: dict, session: Session
) -> None:
    post(client, token, "level/1", {"listen-feedback": "3"})
    other = new_link(client, consultant, assessment, "Ben")
    foreign = form_token(client.get(f"/r/{other}/level/1"))
    for sent in ({}, {"form_token": "0" * 64}, {"form_token": foreign}):
        refused = client.post(
            f"/r/{token}/level/1?lang=de",
            data={**sent, "listen-feedback": "9"},
            follow_redirects=False,
        )
        assert refused.status_code == 403
        assert "Diese Seite konnte nicht gespeichert werden" in refused.text
        assert f'href="/r/{token}/level/1?lang=de"' in refused.text
    submit = client.post(f"/r/{token}/review", data={"submission": "x"})
    assert submit.status_code == 403
    response = stored(session)
    assert (response.status, response.answers) == ("in_progress", {"listen-feedback": 3.0})


def test_the_submit_form_posted_twice_is_harmless(
    client: TestClient, token: str, session: Session
) -> None:
    post(client, token, "level/1", PAGES["level/1"])
    review = client.get(f"/r/{token}/review")
    data = {"form_token": form_token(review), "submission": "same-page"}
    first = client.post(f"/r/{token}/review", data=data, follow_redirects=False)
    second = client.post(f"/r/{token}/review", data=data, follow_redirects=False)
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    submitted_at = stored(session).submitted_at
    stale = client.post(
        f"/r/{token}/review", data={**data, "submission": "other-device"}, follow_redirects=False
    )
    assert stale.status_code == 409
    assert "already submitted" in stale.text
    change = client.post(
        f"/r/{token}/level/1", data={"form_token": data["form_token"], "listen-feedback": "0"}
    )
    assert change.status_code == 409
    again = client.get(f"/r/{token}/level/1?lang=de")
    assert again.status_code == 409
    assert "bereits abgeschickt" in again.text
    response = stored(session)
    assert response.answers["listen-feedback"] == 7.0
    assert response.submitted_at == submitted_at


def test_an_answer_that_is_not_an_option_comes_back_with_its_problem_and_loses_nothing(
    client: TestClient, token: str, session: Session
) -> None:
    post(client, token, "level/2", {"act-owner": "board"})
    sent = post(client, token, "level/2", {"act-owner": "everyone", "act-speed": "3"}, lang="de")
    assert sent.status_code == 422
    assert 'aria-describedby="e-act-owner"' in sent.text
    assert '<p class="error" id="e-act-owner">Bitte wählen Sie' in sent.text
    assert 'href="#f-act-owner"' in sent.text  # the summary links to the question's field
    assert 'id="f-act-owner"' in sent.text
    assert 'value="3" checked' in sent.text  # the other answer is shown as saved
    assert stored(session).answers == {"act-owner": "board", "act-speed": 3.0}


def test_a_huge_text_is_refused_with_its_limit_and_the_rest_of_the_page_is_saved(
    client: TestClient, token: str, session: Session
) -> None:
    post(client, token, "profile", {"remark": "short"})
    huge = "x" * 20_000
    sent = post(client, token, "profile", {"team": "front", "remark": huge})
    assert sent.status_code == 422
    assert "shorten this to 500 characters; it has 20000" in sent.text
    assert 'maxlength="500"' in sent.text
    assert stored(session).profile == {"team": "front", "remark": "short"}


def test_unknown_links_get_a_friendly_page_in_the_visitors_language(
    client: TestClient, token: str
) -> None:
    for address in ("/r/" + "x" * 32, f"/r/{token[:-1]}/level/1", "/r/" + "a" * 5000):
        page = client.get(address, headers={"Accept-Language": "de-DE,de;q=0.9"})
        assert page.status_code == 404
        assert page.headers["content-type"].startswith("text/html")
        assert "Dieser Link funktioniert nicht" in page.text
        assert "Traceback" not in page.text
    assert client.get(f"/r/{token}/level/9").status_code == 404


def test_an_expired_link_is_410_and_a_closed_assessment_409_keeping_what_was_saved(
    client: TestClient, token: str, consultant: Caller, assessment: dict, session: Session
) -> None:
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    late = new_link(client, consultant, assessment, "Late", expires_at=past)
    expired = client.get(f"/r/{late}?lang=de")
    assert expired.status_code == 410
    assert "Dieser Link ist abgelaufen" in expired.text

    post(client, token, "level/1", {"listen-feedback": "4"})
    stale = client.get(f"/r/{token}/level/1")  # a page left open while the assessment closes
    client.post(f"/api/v1/assessments/{assessment['id']}/close", headers=consultant.headers)
    sent = client.post(
        f"/r/{token}/level/1",
        data={"form_token": form_token(stale), "listen-feedback": "9"},
        follow_redirects=False,
    )
    assert sent.status_code == 409
    assert "This assessment is closed" in sent.text
    assert "were not saved" in sent.text
    assert client.get(f"/r/{token}").status_code == 409
    assert stored(session).answers == {"listen-feedback": 4.0}


def test_markup_in_labels_departments_and_questionnaire_texts_is_shown_as_text(
    client: TestClient, admin: Caller, consultant: Caller, session: Session
) -> None:
    data = questionnaire_data(dimension("d1", scale_item("i1", text={"de": SCRIPT, "en": SCRIPT})))
    data["title"] = {"de": "<b>Titel</b>", "en": "<b>Title</b>"}
    data["profile"][0]["options"][0]["label"] = {"de": SCRIPT, "en": SCRIPT}
    client.post(
        "/api/v1/questionnaires",
        content=yaml.safe_dump(data).encode(),
        headers={**admin.headers, "Content-Type": "application/yaml"},
    )
    created = open_assessment(client, consultant, "test", f"Wave {SCRIPT}")
    assessment = session.get(Assessment, uuid.UUID(created["id"]))
    assert assessment is not None
    [(_, token)] = create_invitations(
        session, assessment=assessment, entries=[(SCRIPT, "<i>x</i>")], key="k" * 32
    )
    pages = [client.get(f"/r/{token}/{page}") for page in ("welcome", "profile", "level/1")]
    text = "".join(p.text for p in pages)
    assert all(p.status_code == 200 for p in pages)
    for markup in ("<script>alert", "<b>", "<i>x"):
        assert markup not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;i&gt;x&lt;/i&gt;" in text


def test_a_department_from_the_invitation_is_shown_fixed_on_the_profile_page(
    client: TestClient, consultant: Caller, published: object, session: Session
) -> None:
    created = open_assessment(client, consultant, "cx-maturity", "CX 2026")
    token = new_link(client, consultant, created, "Anna", department="sales")
    profile = client.get(f"/r/{token}/profile")
    assert "<strong>Vertrieb</strong>" in profile.text
    assert 'name="department"' not in profile.text  # unless the assessment lets them change it
    # the department is the only profile question: resuming skips a page already answered
    post(client, token, "level/1", {"go": "next"})
    assert (
        client.get(f"/r/{token}", follow_redirects=False)
        .headers["location"]
        .startswith(f"/r/{token}/level/1")
    )
    assert stored(session).profile == {"department": "sales"}


def test_pages_load_nothing_from_elsewhere_and_leak_no_link(client: TestClient, token: str) -> None:
    page = client.get(f"/r/{token}/level/1")
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"
    assert not re.search(r'(src|href)="(https?:)?//', page.text)
    for asset in ("/static/form.css", "/static/form.js"):
        assert client.get(asset).status_code == 200
