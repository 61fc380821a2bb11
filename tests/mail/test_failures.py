"""What goes wrong on the way to the mail server is kept per respondent: temporary
trouble is tried again with growing pauses, permanent refusals are not, and a message
that may have arrived is never sent a second time."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assess.mail.delivery.sender import BACKOFF, MAX_ATTEMPTS
from tests.conftest import Caller
from tests.mail.conftest import Clock, Inbox, deliveries, free_port, invite, send_all, sender_of

ANNA = {"label": "Anna", "email": "anna@example.org", "language": "de"}


def queue(client: TestClient, caller: Caller, assessment: dict[str, Any]) -> None:
    response = client.post(
        f"/api/v1/assessments/{assessment['id']}/invitations/send", headers=caller.headers
    )
    assert response.status_code == 202, response.text


def annas_mail(client: TestClient, caller: Caller, assessment: dict[str, Any]) -> dict[str, Any]:
    [mail] = deliveries(client, caller, assessment)["Anna"]["mails"]
    return dict(mail)


def point_at(app: FastAPI, port: int, **changes: Any) -> None:
    """Send through another port (and settings) from now on."""
    sender = sender_of(app)
    sender.server = replace(sender.server, port=port, **changes)


def test_a_server_that_is_down_is_tried_again_with_growing_pauses_then_given_up(
    app: FastAPI, client: TestClient, consultant: Caller, assessment: dict, clock: Clock
) -> None:
    point_at(app, free_port())  # nothing listens there
    invite(client, consultant, assessment, ANNA)
    queue(client, consultant, assessment)
    for attempt, pause in enumerate(BACKOFF, start=1):
        assert send_all(app) == 1
        mail = annas_mail(client, consultant, assessment)
        assert (mail["status"], mail["reason"], mail["attempts"]) == (
            "queued",
            "unreachable",
            attempt,
        )
        assert "refused" in mail["error"].lower()
        assert send_all(app) == 0  # waits for its pause
        clock.advance(pause + timedelta(seconds=1))
    assert send_all(app) == 1
    mail = annas_mail(client, consultant, assessment)
    assert (mail["status"], mail["attempts"]) == ("failed", MAX_ATTEMPTS)
    assert mail["error"].startswith(f"Gave up after {MAX_ATTEMPTS} attempts.")
    assert mail["next_attempt_at"] is None


def test_a_server_that_does_not_answer_times_out_and_is_tried_again(
    app: FastAPI, client: TestClient, consultant: Caller, assessment: dict
) -> None:
    with socket.socket() as silent:  # takes connections, never greets
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        point_at(app, silent.getsockname()[1], timeout=0.3)
        invite(client, consultant, assessment, ANNA)
        queue(client, consultant, assessment)
        send_all(app)
    mail = annas_mail(client, consultant, assessment)
    assert (mail["status"], mail["reason"]) == ("queued", "timeout")
    assert "did not answer within 0.3 seconds" in mail["error"]


@pytest.fixture
def guarded() -> Iterator[tuple[Inbox, int]]:
    """A server that asks for a sign-in and refuses every one."""

    def refuse(*_: Any) -> AuthResult:
        return AuthResult(success=False, handled=False)

    kept = Inbox(port=free_port())
    controller = Controller(
        kept,
        hostname="127.0.0.1",
        port=kept.port,
        authenticator=refuse,
        auth_required=True,
        auth_require_tls=False,
    )
    controller.start()
    yield kept, kept.port
    controller.stop()


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_a_refused_sign_in_fails_for_good_and_says_what_to_check(
    app: FastAPI,
    client: TestClient,
    consultant: Caller,
    assessment: dict,
    guarded: tuple[Inbox, int],
    clock: Clock,
) -> None:
    server, port = guarded
    point_at(app, port, username="cx", password="wrong")
    invite(client, consultant, assessment, ANNA, {"label": "Ben", "email": "ben@example.org"})
    queue(client, consultant, assessment)
    send_all(app)
    shown = deliveries(client, consultant, assessment)
    for label in ("Anna", "Ben"):  # one sign-in for the batch, its outcome for each
        [mail] = shown[label]["mails"]
        assert (mail["status"], mail["reason"], mail["smtp_code"]) == ("failed", "sign_in", 535)
        assert "ASSESS_SMTP_USERNAME" in mail["error"]
    clock.advance(timedelta(hours=6))
    assert send_all(app) == 0
    assert server.messages == []


def test_a_connection_lost_after_the_message_was_handed_over_is_not_sent_again(
    app: FastAPI,
    client: TestClient,
    consultant: Caller,
    assessment: dict,
    inbox: Inbox,
    clock: Clock,
) -> None:
    inbox.stall = 1.0  # takes the message, answers too late
    point_at(app, inbox.port, timeout=0.3)
    invite(client, consultant, assessment, ANNA)
    queue(client, consultant, assessment)
    send_all(app)
    mail = annas_mail(client, consultant, assessment)
    assert (mail["status"], mail["reason"]) == ("interrupted", "interrupted")
    assert "may have arrived" in mail["error"]
    clock.advance(timedelta(days=1))
    assert send_all(app) == 0
    again = client.post(
        f"/api/v1/assessments/{assessment['id']}/invitations/send", headers=consultant.headers
    ).json()
    assert (again["queued"], again["skipped"][0]["reason"]) == (0, "sent")
    assert len(inbox.messages) == 1  # the server did take it: once
