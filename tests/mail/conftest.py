"""A local SMTP server (aiosmtpd on 127.0.0.1, a free port) that keeps what it receives,
and the application set up to send through it."""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assess.mail.delivery.sender import MailSender
from assess.persistence.models.common import utcnow
from tests.conftest import Caller, application

PUBLIC_URL = "https://assess.example.org"
SENDER = "CX-Erhebung <cx@example.org>"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (just now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Inbox:
    """What the server received, and its answers: `refuse` maps an address to the reply
    to RCPT TO (say "550 5.1.1 No such user"); `stall` makes it keep a message and wait
    that many seconds before saying so."""

    port: int = 0
    messages: list[tuple[list[str], EmailMessage]] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)
    stall: float = 0.0

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook names)
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append((list(envelope.rcpt_tos), message))
        if self.stall:  # taken, but the answer comes late
            await asyncio.sleep(self.stall)
        return "250 2.0.0 Accepted"

    def to(self, address: str) -> list[EmailMessage]:
        """The messages that reached `address`."""
        return [m for recipients, m in self.messages if address in recipients]


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    """A running SMTP server on 127.0.0.1 and what it receives."""
    kept = Inbox(port=free_port())
    controller = Controller(kept, hostname="127.0.0.1", port=kept.port)
    controller.start()
    yield kept
    controller.stop()


def mail_settings(port: int, **extra: Any) -> dict[str, Any]:
    """Settings that send through 127.0.0.1:`port` without TLS."""
    return {
        "smtp_host": "127.0.0.1",
        "smtp_port": port,
        "smtp_tls": "none",
        "smtp_from": SENDER,
        "smtp_timeout": 5,
        "public_url": PUBLIC_URL,
        **extra,
    }


@pytest.fixture
def app(database_url: str, inbox: Inbox) -> Iterator[FastAPI]:
    """The application sending through the test server."""
    yield from application(database_url, **mail_settings(inbox.port))


class Clock:
    """The sender's clock: real time, moved on by hand to reach retries and stalls."""

    def __init__(self) -> None:
        self.ahead = timedelta(0)

    def __call__(self) -> datetime:
        return utcnow() + self.ahead

    def advance(self, delta: timedelta) -> None:
        """Move on by `delta`."""
        self.ahead += delta


@pytest.fixture
def clock(app: FastAPI) -> Clock:
    """The clock of the application's sender."""
    made = Clock()
    app.state.mail_sender.clock = made
    return made


def sender_of(app: FastAPI) -> MailSender:
    """The application's sender (its thread is not started: tests call send_due)."""
    sender: MailSender = app.state.mail_sender
    return sender


def send_all(app: FastAPI) -> int:
    """Run the sender until nothing is due; how many messages it handled."""
    handled = 0
    while True:
        batch = sender_of(app).send_due()
        if batch == 0:
            return handled
        handled += batch


@pytest.fixture
def assessment(client: TestClient, consultant: Caller, published: object) -> dict[str, Any]:
    """An open assessment of the service-check questionnaire (German and English)."""
    org = client.post(
        "/api/v1/organisations", json={"name": "Muster GmbH"}, headers=consultant.headers
    )
    created = client.post(
        f"/api/v1/organisations/{org.json()['id']}/assessments",
        json={"questionnaire_id": "service-check", "name": "Kundenblick 2026"},
        headers=consultant.headers,
    ).json()
    client.post(f"/api/v1/assessments/{created['id']}/open", headers=consultant.headers)
    return dict(created)


def invite(
    client: TestClient, caller: Caller, assessment: dict[str, Any], *people: dict[str, Any]
) -> dict[str, dict[str, Any]]:
    """Invitations for `people` (label, email, language…), by label."""
    response = client.post(
        f"/api/v1/assessments/{assessment['id']}/invitations",
        json={"invitations": list(people)},
        headers=caller.headers,
    )
    assert response.status_code == 201, response.text
    return {i["label"]: i for i in response.json()}


def body_of(message: EmailMessage) -> str:
    """A message's text as written (SMTP carries its lines ended by CRLF)."""
    return str(message.get_content()).replace("\r\n", "\n")


def deliveries(
    client: TestClient, caller: Caller, assessment: dict[str, Any]
) -> dict[str, dict[str, Any]]:
    """Each respondent's e-mails, by label."""
    response = client.get(
        f"/api/v1/assessments/{assessment['id']}/deliveries", headers=caller.headers
    )
    assert response.status_code == 200, response.text
    return {d["label"]: d for d in response.json()}
