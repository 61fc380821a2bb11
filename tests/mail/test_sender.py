"""The sender in the background: requests answer at once, several senders (web
workers) never send one message twice, and what a stopped sender left is resolved at
most once."""

from __future__ import annotations

import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from assess.config import SmtpTls
from assess.mail.delivery.sender import MailSender
from assess.mail.delivery.smtp import MailServer, Postman
from assess.persistence.engine import make_engine
from assess.persistence.repository.outbox import claim_mail, hand_mail
from tests.conftest import Caller
from tests.mail.conftest import (
    PUBLIC_URL,
    Clock,
    Inbox,
    deliveries,
    free_port,
    invite,
    send_all,
    sender_of,
)
from tests.polling import until


def queue(client: TestClient, caller: Caller, assessment: dict[str, Any], count: int) -> None:
    people = [{"label": f"P{i:02}", "email": f"p{i}@example.org"} for i in range(count)]
    invite(client, caller, assessment, *people)
    response = client.post(
        f"/api/v1/assessments/{assessment['id']}/invitations/send", headers=caller.headers
    )
    assert response.json()["queued"] == count


def statuses(client: TestClient, caller: Caller, assessment: dict[str, Any]) -> list[str]:
    return [
        m["status"] for d in deliveries(client, caller, assessment).values() for m in d["mails"]
    ]


def test_the_sender_thread_sends_while_requests_answer_at_once(
    app: FastAPI, consultant: Caller, assessment: dict, inbox: Inbox
) -> None:
    with TestClient(app) as live:  # starts the application's sender thread
        queue(live, consultant, assessment, 3)
        told = "the sender did not send in time"
        until(lambda: len(inbox.messages) >= 3, timeout=10, every=0.05, message=told)
        until(
            lambda: not {"queued", "sending"} & set(statuses(live, consultant, assessment)),
            timeout=10,
            every=0.05,
        )
        assert statuses(live, consultant, assessment) == ["sent"] * 3


def test_several_senders_never_send_one_message_twice(
    app: FastAPI,
    client: TestClient,
    consultant: Caller,
    assessment: dict,
    inbox: Inbox,
    database_url: str,
) -> None:
    queue(client, consultant, assessment, 45)
    first = sender_of(app)
    engines = [make_engine(database_url, pool_size=2) for _ in range(3)]
    senders = [
        MailSender(engine, first.server, key=first.key, public_url=PUBLIC_URL) for engine in engines
    ]
    errors: list[BaseException] = []

    def work(sender: MailSender) -> None:
        try:
            while sender.send_due():
                pass
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(s,)) for s in senders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    for engine in engines:
        engine.dispose()
    assert errors == []
    recipients = [r for rs, _ in inbox.messages for r in rs]
    assert sorted(recipients) == sorted(f"p{i}@example.org" for i in range(45))
    assert len({m["Message-ID"] for _, m in inbox.messages}) == 45
    assert statuses(client, consultant, assessment) == ["sent"] * 45


def test_a_message_claimed_by_a_stopped_sender_is_sent_once_it_counts_as_stalled(
    app: FastAPI,
    client: TestClient,
    consultant: Caller,
    assessment: dict,
    inbox: Inbox,
    clock: Clock,
) -> None:
    queue(client, consultant, assessment, 1)
    with Session(app.state.engine) as session:  # a sender claims it, then its process stops
        [claimed] = claim_mail(session, claim="gone", now=clock(), limit=5)
    assert send_all(app) == 0
    assert statuses(client, consultant, assessment) == ["sending"]
    clock.advance(sender_of(app).stall_after + timedelta(minutes=1))
    assert send_all(app) == 1
    assert statuses(client, consultant, assessment) == ["sent"]
    assert len(inbox.messages) == 1
    with Session(app.state.engine) as session:  # the stopped sender cannot touch it any more
        assert not hand_mail(
            session,
            mail_id=claimed,
            claim="gone",
            now=clock(),
            recipient="x",
            language="de",
            subject="s",
        )


def test_a_message_handed_over_by_a_stopped_sender_is_marked_interrupted_not_sent_again(
    app: FastAPI,
    client: TestClient,
    consultant: Caller,
    assessment: dict,
    inbox: Inbox,
    clock: Clock,
) -> None:
    queue(client, consultant, assessment, 1)
    with Session(app.state.engine) as session:  # handed to the server, then the process stops
        [claimed] = claim_mail(session, claim="gone", now=clock(), limit=5)
        assert hand_mail(
            session,
            mail_id=claimed,
            claim="gone",
            now=clock(),
            recipient="p0@example.org",
            language="en",
            subject="Your invitation",
        )
    clock.advance(sender_of(app).stall_after + timedelta(minutes=1))
    assert send_all(app) == 0
    [delivery] = deliveries(client, consultant, assessment).values()
    [mail] = delivery["mails"]
    assert (mail["status"], mail["reason"]) == ("interrupted", "interrupted")
    assert "it may have arrived" in mail["error"]
    assert inbox.messages == []
    again = client.post(
        f"/api/v1/assessments/{assessment['id']}/invitations/{delivery['invitation_id']}/send",
        headers=consultant.headers,
    )
    assert again.json()["queued"] == 1  # sent again only when asked for this one
    send_all(app)
    assert len(inbox.messages) == 1


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, made with the openssl command."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return key, cert


@pytest.fixture(params=[SmtpTls.starttls, SmtpTls.tls])
def tls_inbox(
    request: pytest.FixtureRequest, certificate: tuple[Path, Path]
) -> Iterator[tuple[Inbox, SmtpTls]]:
    """A server that speaks STARTTLS (and requires it) or TLS from the first byte."""
    key, cert = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    kept = Inbox(port=free_port())
    if request.param == SmtpTls.starttls:
        options: dict[str, Any] = {"tls_context": context, "require_starttls": True}
    else:
        options = {"ssl_context": context}
    controller = Controller(kept, hostname="127.0.0.1", port=kept.port, **options)
    controller.start()
    yield kept, request.param
    controller.stop()


def test_tls_and_starttls_send_to_a_server_whose_certificate_is_trusted_and_refuse_others(
    app: FastAPI,
    client: TestClient,
    consultant: Caller,
    assessment: dict,
    tls_inbox: tuple[Inbox, SmtpTls],
    certificate: tuple[Path, Path],
) -> None:
    server, mode = tls_inbox
    sender = sender_of(app)
    settings: MailServer = replace(sender.server, port=server.port, tls=mode)
    sender.server = settings
    queue(client, consultant, assessment, 2)
    send_all(app)  # the system's trust store does not know the test certificate
    mails = [m for d in deliveries(client, consultant, assessment).values() for m in d["mails"]]
    assert {(m["status"], m["reason"]) for m in mails} == {("failed", "tls")}
    assert "certificate" in mails[0]["error"]

    trusting = ssl.create_default_context(cafile=str(certificate[1]))
    sender.postman = lambda server: Postman(server, context=trusting)
    for delivery in deliveries(client, consultant, assessment).values():
        client.post(
            f"/api/v1/assessments/{assessment['id']}/invitations/{delivery['invitation_id']}/send",
            headers=consultant.headers,
        )
    send_all(app)
    assert len(server.messages) == 2


def test_a_clock_set_back_does_not_hold_up_mail_that_a_stopped_sender_left(
    app: FastAPI,
    client: TestClient,
    consultant: Caller,
    assessment: dict,
    inbox: Inbox,
    clock: Clock,
) -> None:
    clock.advance(timedelta(hours=2))
    assert send_all(app) == 0  # the sender last looked for stalled mail two hours ahead
    clock.advance(timedelta(hours=-2))  # then the machine's clock is set right
    queue(client, consultant, assessment, 1)
    with Session(app.state.engine) as session:
        claim_mail(session, claim="gone", now=clock(), limit=5)
    clock.advance(sender_of(app).stall_after + timedelta(minutes=1))
    assert send_all(app) == 1  # not two hours later
    assert statuses(client, consultant, assessment) == ["sent"]
    assert len(inbox.messages) == 1
