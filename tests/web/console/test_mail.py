"""E-mail on the pages of those who run assessments: the send buttons (forms with the
page's token), each respondent's e-mails with their status, and the page where the
wording is edited, in German and English."""

# ruff: noqa: F811 (the fixtures app, inbox come from tests/mail/conftest.py, imported below)
from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from assess.persistence.models.assessments import Invitation
from assess.persistence.models.mail import OutboxMail
from tests.conftest import application
from tests.mail.conftest import Inbox, app, inbox, send_all  # noqa: F401
from tests.web.browsing import browser, form_token, sign_in, with_password


@pytest.fixture
def runner(app: FastAPI, session: Session, published: object) -> TestClient:
    with_password(session, "consultant@example.org")
    return sign_in(browser(app), "consultant@example.org")


def post_form(client: TestClient, page: str, action: str, data: dict[str, Any]) -> Any:
    token = form_token(client.get(page).text)
    return client.post(action, data={**data, "form_token": token})


def open_assessment(client: TestClient, respondents: str) -> str:
    """An open assessment of service-check (en, de) with the respondents of a list."""
    made = post_form(client, "/dashboard", "/organisations", {"name": "Muster GmbH"})
    organisation = made.headers["location"].split("?")[0].rsplit("/", 1)[1]
    created = post_form(
        client,
        f"/organisations/{organisation}",
        f"/organisations/{organisation}/assessments",
        {"questionnaire": "service-check@2", "name": "Kundenblick", "kind": "assessment"},
    )
    assert created.status_code == 303, created.text
    page = created.headers["location"].split("?")[0]
    added = post_form(client, page, f"{page}/respondents", {"respondents": respondents})
    assert added.status_code == 303, added.text
    assert post_form(client, page, f"{page}/open", {}).status_code == 303
    return page


LIST = "Anna Berg, anna@example.org, de\nBen Kurz; ben@example.org\nCem\n"


def test_respondents_with_addresses_are_invited_by_e_mail_from_the_page(
    app: FastAPI, runner: TestClient, session: Session, inbox: Inbox
) -> None:
    page = open_assessment(runner, LIST)
    stored = {i.label: i for i in session.exec(select(Invitation)).all()}
    assert (stored["Anna Berg"].email, stored["Anna Berg"].language) == ("anna@example.org", "de")
    assert (stored["Ben Kurz"].email, stored["Ben Kurz"].language) == ("ben@example.org", "en")
    assert stored["Cem"].email is None
    shown = runner.get(page).text
    assert 'action="' + page + '/send-invitations"' in shown
    assert "No address" in shown

    sent = post_form(runner, page, f"{page}/send-invitations", {})
    assert sent.status_code == 303
    assert "done=invitations_queued&n=2&s=1" in sent.headers["location"]
    notice = runner.get(sent.headers["location"]).text
    assert "2 e-mails are on their way" in notice
    assert "1 respondent gets none this time" in notice
    assert "waiting to be sent" in notice
    send_all(app)
    after = runner.get(page).text
    assert (
        after.count("Invitation:\nsent") == 2 or len(re.findall(r"Invitation:\s*sent", after)) == 2
    )
    assert {tuple(r) for r, _ in inbox.messages} == {("anna@example.org",), ("ben@example.org",)}
    # sending again from a page left open sends nobody a second copy
    again = post_form(runner, page, f"{page}/send-invitations", {})
    assert "n=0&s=3" in again.headers["location"]


def test_a_reminder_form_sent_twice_reminds_nobody_twice(
    app: FastAPI, runner: TestClient, session: Session, inbox: Inbox
) -> None:
    page = open_assessment(runner, LIST)
    shown = runner.get(page).text
    assert 'name="round" value="1"' in shown
    token = form_token(shown)
    for _ in range(2):
        runner.post(f"{page}/send-reminders", data={"form_token": token, "round": "1"})
    send_all(app)
    assert len(inbox.messages) == 2
    assert 'name="round" value="2"' in runner.get(page).text


def test_a_refused_address_is_shown_with_why_and_can_be_sent_again(
    app: FastAPI, runner: TestClient, session: Session, inbox: Inbox
) -> None:
    inbox.refuse["anna@example.org"] = "550 5.1.1 mailbox unknown"
    page = open_assessment(runner, LIST)
    post_form(runner, page, f"{page}/send-invitations", {})
    send_all(app)
    shown = runner.get(page).text
    assert "not delivered" in shown
    assert "The mail server refused this address." in shown
    assert "550 5.1.1 mailbox unknown" in shown
    german = runner.get(f"{page}?lang=de").text
    assert "Der Mailserver hat diese Adresse abgelehnt." in german
    assert "Einladungen senden" in german

    inbox.refuse.clear()
    anna = session.exec(select(Invitation).where(Invitation.label == "Anna Berg")).one()
    resent = post_form(runner, page, f"{page}/respondents/{anna.id}/send", {})
    assert "done=invitation_again&n=1" in resent.headers["location"]
    send_all(app)
    assert len(inbox.to("anna@example.org")) == 1


def test_a_send_form_without_its_token_changes_nothing(
    runner: TestClient, session: Session
) -> None:
    page = open_assessment(runner, LIST)
    refused = runner.post(f"{page}/send-invitations", data={"form_token": "forged"})
    assert refused.status_code == 403
    assert session.exec(select(OutboxMail)).all() == []


def test_without_a_mail_server_the_page_says_to_hand_out_the_links(
    database_url: str, published: object
) -> None:
    for bare in application(database_url):
        from sqlmodel import Session as DbSession

        with DbSession(bare.state.engine) as session:
            with_password(session, "consultant@example.org")
        client = sign_in(browser(bare), "consultant@example.org")
        page = open_assessment(client, LIST)
        shown = client.get(page).text
        assert "This server sends no e-mail" in shown
        assert "/send-invitations" not in shown
        refused = post_form(client, page, f"{page}/send-invitations", {})
        assert refused.headers["location"].endswith("done=mail_mail_off")


def test_the_wording_is_edited_checked_and_previewed_in_both_languages(
    app: FastAPI, runner: TestClient, inbox: Inbox
) -> None:
    page = open_assessment(runner, LIST)
    texts = f"{page}/mail-texts"
    shown = runner.get(texts).text
    assert shown.count('name="subject"') == 4
    assert "Ihre Einladung: {assessment}" in shown
    assert "Ihre Einladung: Kundenblick" in shown  # the preview
    assert "https://assess.example.org/r/EXAMPLE-LINK?lang=de" in shown

    bad = {"kind": "invitation", "language": "de", "action": "assessment"}
    refused = post_form(
        runner, texts, texts, {**bad, "subject": "Hallo {vorname}", "body": "ohne Link"}
    )
    assert refused.status_code == 422
    assert "The subject has an unknown placeholder {vorname}" in refused.text
    assert "The text has no {link}" in refused.text
    assert "ohne Link" in refused.text  # what was typed stays
    german = post_form(
        runner, f"{texts}?lang=de", f"{texts}?lang=de", {**bad, "subject": "{x}", "body": "x"}
    )
    assert "Der Betreff enthält einen unbekannten Platzhalter {x}" in german.text
    runner.get(f"{texts}?lang=en")  # back to English

    own = {"subject": "Bitte mitmachen: {assessment}", "body": "Hallo,\n{link}\nbis {closes}\n"}
    saved = post_form(runner, texts, texts, {**bad, **own})
    assert saved.headers["location"].endswith("done=saved")
    assert "This assessment's own wording." in runner.get(texts).text
    post_form(runner, page, f"{page}/send-invitations", {})
    send_all(app)
    assert inbox.to("anna@example.org")[0]["Subject"] == "Bitte mitmachen: Kundenblick"
    assert inbox.to("ben@example.org")[0]["Subject"] == "Your invitation: Kundenblick"

    reset = post_form(runner, texts, texts, {**bad, "action": "reset"})
    assert reset.headers["location"].endswith("done=reset")
    assert "This assessment's own wording." not in runner.get(texts).text


def test_members_cannot_open_the_wording_page(
    app: FastAPI, runner: TestClient, session: Session
) -> None:
    page = open_assessment(runner, LIST)
    organisation = runner.get(page).text.split('href="/organisations/')[1].split('"')[0]
    with_password(session, "member@example.org")
    post_form(
        runner,
        f"/organisations/{organisation}",
        f"/organisations/{organisation}/members",
        {"email": "member@example.org", "role": "member"},
    )
    member = sign_in(browser(app), "member@example.org")
    assert member.get(f"{page}/mail-texts").status_code in (403, 404)
