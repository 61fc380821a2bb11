"""What a consultant meets on their first day in the console: whole links, next steps
instead of empty results, buttons that say what they do, assessments of different
clients told apart, an audit log in words, plain German and an icon on every page."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from assess.persistence.models.jobs import JobKind
from assess.persistence.repository.reports import create_report_job
from tests.conftest import Caller
from tests.web.browsing import browser, post_form, sign_in, with_password
from tests.web.console.consulting import make_assessment, make_organisation
from tests.web.surveys import make_survey

ROOT = Path(__file__).parents[3]
CATALOGUES = [
    ROOT / "assess" / "web" / "locale" / "de" / "LC_MESSAGES" / "messages.po",
    ROOT / "assess" / "reporting" / "locale" / "de" / "LC_MESSAGES" / "messages.po",
]
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@pytest.fixture
def consultant_browser(app: FastAPI, session: Session, consultant: Caller) -> TestClient:
    with_password(session, consultant.user.email)
    return sign_in(browser(app), consultant.user.email)


@pytest.fixture
def admin_browser(app: FastAPI, session: Session, admin: Caller) -> TestClient:
    with_password(session, admin.user.email)
    return sign_in(browser(app), admin.user.email)


def visible(html: str) -> str:
    """The text a reader sees, without tags and the addresses in them."""
    return re.sub(r"<[^>]+>", " ", html)


def button_texts(html: str) -> list[str]:
    """The texts of the page's links styled as buttons."""
    return re.findall(r'<a class="button[^"]*" href="[^"]*">([^<]+)</a>', html)


def test_the_invitation_list_shows_each_whole_link_in_a_field_to_copy(
    consultant_browser: TestClient, session: Session, published: object
) -> None:
    assessment = make_assessment(consultant_browser, make_organisation(consultant_browser))
    page = f"/assessments/{assessment}"
    post_form(consultant_browser, page, f"{page}/respondents", {"respondents": "Anna\nBen"})
    shown = consultant_browser.get(page).text
    fields = re.findall(r'<textarea id="link-(\d)" readonly[^>]*>([^<]+)</textarea>', shown)
    assert [n for n, _ in fields] == ["1", "2"]
    assert all(re.fullmatch(r"https://testserver/r/[\w-]{20,}", link) for _, link in fields)
    assert 'data-copy="link-1"' in shown


def test_a_draft_offers_no_results_until_answers_come_and_says_what_to_do_next(
    consultant_browser: TestClient, client: TestClient, consultant: Caller, published: object
) -> None:
    organisation = make_organisation(consultant_browser)
    draft = f"/assessments/{make_assessment(consultant_browser, organisation)}"
    empty = consultant_browser.get(f"{draft}?lang=en").text
    assert f'href="{draft}/results' not in empty
    assert "Next: add respondents below, then open the assessment" in empty
    post_form(consultant_browser, draft, f"{draft}/respondents", {"respondents": "Anna"})
    invited = consultant_browser.get(draft).text
    assert f'href="{draft}/results' not in invited
    assert "Next: open the assessment, so that respondents can answer" in invited
    german = consultant_browser.get(f"{draft}?lang=de").text
    assert "Als Nächstes: Öffnen Sie die Erhebung" in german
    for listing in ("/dashboard", f"/organisations/{organisation}"):
        assert f'href="{draft}/results' not in consultant_browser.get(listing).text

    answered = make_survey(client, consultant, name="Beispiel AG")
    page = consultant_browser.get(f"/assessments/{answered.assessment}?lang=en").text
    assert button_texts(page) == [
        "See the results",
        "Create the report as PDF",
        "Prepare a consensus workshop",
    ]
    dashboard = consultant_browser.get("/dashboard").text
    assert f'href="/assessments/{answered.assessment}/results"' in dashboard
    assert (
        "Bericht als PDF erstellen"
        in consultant_browser.get(f"/assessments/{answered.assessment}?lang=de").text
    )


def test_a_new_assessment_is_named_after_the_organisation_unless_the_consultant_renames_it(
    consultant_browser: TestClient, published: object
) -> None:
    first = make_organisation(consultant_browser, "Muster GmbH")
    second = make_organisation(consultant_browser, "Beispiel AG")
    year = datetime.now(UTC).year
    for organisation, name in ((first, "Muster GmbH"), (second, "Beispiel AG")):
        form = consultant_browser.get(f"/organisations/{organisation}?lang=de").text
        [value] = re.findall(r'<input id="f-name" name="name"[^>]* value="([^"]*)"', form)
        assert value.startswith(f"{name} – ")
        assert value.endswith(str(year))


def test_the_report_page_and_titles_name_the_organisation(
    consultant_browser: TestClient,
    client: TestClient,
    session: Session,
    consultant: Caller,
    published: object,
) -> None:
    survey = make_survey(client, consultant, name="Beispiel AG")
    job = create_report_job(
        session,
        user=consultant.user,
        kind=JobKind.report,
        language="de",
        assessment_id=uuid.UUID(survey.assessment),
    )
    page = consultant_browser.get(f"/assessments/{survey.assessment}/reports/{job.id}").text
    [crumbs] = re.findall(r'<p class="crumbs">(.*?)</p>', page)
    assert f'<a href="/organisations/{survey.organisation}">Beispiel AG</a>' in crumbs
    assert "Beispiel AG · assess</title>" in page
    assessment = consultant_browser.get(f"/assessments/{survey.assessment}").text
    assert "CX 2026 · Beispiel AG · assess</title>" in assessment


def test_the_audit_log_says_who_did_what_to_which_named_object_in_both_languages(
    admin_browser: TestClient, client: TestClient, consultant: Caller, published: object
) -> None:
    survey = make_survey(client, consultant, name="Beispiel AG")
    english = admin_browser.get("/audit-log?lang=en").text
    [table] = re.findall(r'<table class="audit-log">.*?</table>', english, re.S)
    assert not UUID.search(visible(table)), visible(table)
    assert "{" not in table
    assert (
        f'Organisation <span class="object"><a href="/organisations/{survey.organisation}">'
        in table
    )
    assert re.search(
        r"Assessment <span class=\"object\"><a [^>]+>CX 2026</a></span> "
        r"<span class=\"muted\">\(Beispiel AG\)</span>",
        table,
    )
    assert "<dt>Made in</dt><dd>the API</dd>" in table
    assert "<dt>Number</dt><dd>4</dd>" in table
    german = admin_browser.get("/audit-log?lang=de").text
    [tabelle] = re.findall(r'<table class="audit-log">.*?</table>', german, re.S)
    assert not UUID.search(visible(tabelle))
    assert "<dt>Angelegt über</dt><dd>die API</dd>" in tabelle
    assert "<dt>Anzahl</dt><dd>4</dd>" in tabelle
    assert "Erhebung <span" in tabelle


def test_an_erased_organisation_keeps_its_name_in_the_audit_log(
    admin_browser: TestClient, client: TestClient, consultant: Caller, published: object
) -> None:
    survey = make_survey(client, consultant, name="Beispiel AG")
    page = f"/organisations/{survey.organisation}"
    erased = post_form(admin_browser, page, f"{page}/erase", {"confirm_name": "Beispiel AG"})
    assert erased.status_code == 303
    log = admin_browser.get("/audit-log?lang=en&action=organisation.erased").text
    [table] = re.findall(r'<table class="audit-log">.*?</table>', log, re.S)
    assert 'Organisation <span class="object">Beispiel AG</span>' in table
    assert "(erased since)" in table
    assert re.search(r"<dt>Deleted</dt><dd>[^<]*assessments: 1", table)
    assert not UUID.search(visible(table))


def test_every_page_links_an_icon_and_favicon_ico_is_served(
    consultant_browser: TestClient, client: TestClient
) -> None:
    for page in (client.get("/sign-in"), consultant_browser.get("/dashboard")):
        assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page.text
    svg = client.get("/static/favicon.svg")
    assert svg.status_code == 200
    assert svg.headers["content-type"].startswith("image/svg+xml")
    ico = client.get("/favicon.ico")
    assert ico.status_code == 200
    assert ico.headers["content-type"] == "image/x-icon"
    assert ico.content[:4] == b"\x00\x00\x01\x00"  # an icon file's header


def test_the_first_run_command_wraps_between_its_words(client: TestClient) -> None:
    page = client.get("/sign-in").text
    [command] = re.findall(r'<pre class="command"><code>(.*?)</code></pre>', page)
    words = re.findall(r"<span>([^<]+)</span>", command)
    assert (
        " ".join(words) == ".venv/bin/assess user create --email you@example.org --admin --password"
    )


def test_german_texts_say_comparison_with_similar_organisations_not_peer_benchmarks() -> None:
    jargon = re.compile(r"(?i)peer|benchmark|\bitems?\b|download")
    found = []
    for path in CATALOGUES:
        with path.open("rb") as handle:
            for message in read_po(handle, locale="de"):
                strings = message.string if isinstance(message.string, tuple) else [message.string]
                found += [text for text in strings if text and jargon.search(text)]
    assert found == []
