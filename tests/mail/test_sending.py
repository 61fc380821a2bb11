"""Invitations and reminders by e-mail, through a local SMTP server: in each respondent's
language, sent in the background, never twice, failures kept per respondent."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.conftest import Caller, add_member, make_caller
from tests.mail.conftest import (
    PUBLIC_URL,
    Clock,
    Inbox,
    body_of,
    deliveries,
    invite,
    send_all,
)

PEOPLE = (
    {"label": "Anna", "email": "anna@example.org", "language": "de"},
    {"label": "Ben", "email": "ben@example.org", "language": "en"},
    {"label": "Cara"},
)


def send(
    client: TestClient,
    caller: Caller,
    assessment: dict[str, Any],
    what: str = "invitations/send",
    **body: Any,
) -> dict[str, Any]:
    response = client.post(
        f"/api/v1/assessments/{assessment['id']}/{what}", json=body or None, headers=caller.headers
    )
    assert response.status_code == 202, response.text
    return dict(response.json())


def skipped(result: dict[str, Any]) -> dict[str, str]:
    return {s["label"]: s["reason"] for s in result["skipped"]}


def test_invitations_go_out_in_each_respondents_language_with_their_link(
    app: FastAPI, client: TestClient, consultant: Caller, assessment: dict, inbox: Inbox
) -> None:
    invited = invite(client, consultant, assessment, *PEOPLE)
    result = send(client, consultant, assessment)
    assert result["queued"] == 2
    assert skipped(result) == {"Cara": "no_address"}
    assert inbox.messages == []  # the request only queued them
    assert send_all(app) == 2

    [anna] = inbox.to("anna@example.org")
    assert anna["Subject"] == "Ihre Einladung: Kundenblick 2026"
    assert anna["From"] == "CX-Erhebung <cx@example.org>"
    assert anna["To"] == "anna@example.org"
    assert anna["Content-Language"] == "de"
    assert anna.get_content_type() == "text/plain"
    text = body_of(anna)
    assert "Muster GmbH lädt Sie zur Erhebung „Kundenblick 2026“ ein" in text
    assert f"{PUBLIC_URL}/r/{invited['Anna']['token']}?lang=de" in text
    assert "bis zum" not in text  # no closing date: that line is left out
    [ben] = inbox.to("ben@example.org")
    assert ben["Subject"] == "Your invitation: Kundenblick 2026"
    assert f"{PUBLIC_URL}/r/{invited['Ben']['token']}?lang=en" in body_of(ben)
    assert anna["Message-ID"] != ben["Message-ID"]

    # the link in the e-mail opens the form
    assert client.get(f"/api/v1/respond/{invited['Anna']['token']}").status_code == 200
    shown = deliveries(client, consultant, assessment)
    [mail] = shown["Anna"]["mails"]
    assert (mail["status"], mail["kind"], mail["recipient"]) == (
        "sent",
        "invitation",
        "anna@example.org",
    )
    assert mail["subject"] == "Ihre Einladung: Kundenblick 2026"
    assert mail["sent_at"] is not None
    assert shown["Cara"]["mails"] == []


def test_a_respondent_without_a_language_gets_the_questionnaires_first(
    app: FastAPI, client: TestClient, consultant: Caller, assessment: dict, inbox: Inbox
) -> None:
    invited = invite(client, consultant, assessment, {"label": "Dora", "email": "dora@example.org"})
    assert invited["Dora"]["language"] == "en"  # service-check lists en first
    send(client, consultant, assessment)
    send_all(app)
    [dora] = inbox.to("dora@example.org")
    assert dora["Subject"].startswith("Your invitation")


def test_the_closing_date_is_written_in_the_respondents_language(
    app: FastAPI, client: TestClient, consultant: Caller, published: object, inbox: Inbox
) -> None:
    org = client.post("/api/v1/organisations", json={"name": "Muster"}, headers=consultant.headers)
    created = client.post(
        f"/api/v1/organisations/{org.json()['id']}/assessments",
        json={
            "questionnaire_id": "service-check",
            "name": "Welle",
            "closes_at": "2099-11-26T12:00:00Z",
        },
        headers=consultant.headers,
    ).json()
    client.post(f"/api/v1/assessments/{created['id']}/open", headers=consultant.headers)
    invite(client, consultant, created, *PEOPLE[:2])
    send(client, consultant, created)
    send_all(app)
    assert "Bitte antworten Sie bis zum 26. November 2099." in body_of(
        inbox.to("anna@example.org")[0]
    )
    assert "Please answer by 26 November 2099." in body_of(inbox.to("ben@example.org")[0])


def test_sending_twice_sends_nobody_a_second_copy(
    app: FastAPI, client: TestClient, consultant: Caller, assessment: dict, inbox: Inbox
) -> None:
    invite(client, consultant, assessment, *PEOPLE)
    first = send(client, consultant, assessment)
    while_queued = send(client, consultant, assessment)
    assert (first["queued"], while_queued["queued"]) == (2, 0)
    assert skipped(while_queued) == {"Anna": "pending", "Ben": "pending", "Cara": "no_address"}
    send_all(app)
    after = send(client, consultant, assessment)
    assert after["queued"] == 0
    assert skipped(after) == {"Anna": "sent", "Ben": "sent", "Cara": "no_address"}
    send_all(app)
    assert len(inbox.messages) == 2


def test_one_respondent_can_be_sent_their_invitation_again(
    app: FastAPI, client: TestClient, consultant: Caller, assessment: dict, inbox: Inbox
) -> None:
    invited = invite(client, consultant, assessment, *PEOPLE[:1])
    send(client, consultant, assessment)
    send_all(app)
    again = send(client, consultant, assessment, f"invitations/{invited['Anna']['id']}/send")
    twice = send(client, consultant, assessment, f"invitations/{invited['Anna']['id']}/send")
    assert (again["queued"], skipped(twice)) == (1, {"Anna": "pending"})
    send_all(app)
    assert len(inbox.to("anna@example.org")) == 2
    rounds = [m["round"] for m in deliveries(client, consultant, assessment)["Anna"]["mails"]]
    assert rounds == [0, 1]


def test_reminders_go_only_to_those_who_have_not_submitted(
    app: FastAPI, client: TestClient, consultant: Caller, assessment: dict, inbox: Inbox
) -> None:
    invited = invite(
        client,
        consultant,
        assessment,
        *PEOPLE,
        {"label": "Dirk", "email": "dirk@example.org", "language": "de"},
    )
    send(client, consultant, assessment)
    send_all(app)
    token = invited["Dirk"]["token"]
    client.put(f"/api/v1/respond/{token}", json={"answers": {"listen-feedback": 7}})
    assert client.post(f"/api/v1/respond/{token}/submit").status_code == 200

    first = send(client, consultant, assessment, "reminders")
    assert (first["round"], first["queued"]) == (1, 2)
    assert skipped(first) == {"Cara": "no_address", "Dirk": "submitted"}
    repeated = send(client, consultant, assessment, "reminders", round=1)  # a form sent twice
    assert repeated["queued"] == 0
    send_all(app)
    [reminder] = [m for m in inbox.to("anna@example.org") if "Erinnerung" in m["Subject"]]
    assert reminder["Subject"] == "Erinnerung: Kundenblick 2026"
    assert f"/r/{invited['Anna']['token']}?lang=de" in body_of(reminder)
    assert inbox.to("dirk@example.org")[0]["Subject"].startswith("Ihre Einladung")
    assert len(inbox.to("dirk@example.org")) == 1

    second = send(client, consultant, assessment, "reminders")
    assert (second["round"], second["queued"]) == (2, 2)
    too_far = client.post(
        f"/api/v1/assessments/{assessment['id']}/reminders",
        json={"round": 9},
        headers=consultant.headers,
    )
    assert too_far.status_code == 422
    assert "next reminder round is 3" in too_far.json()["detail"]


def test_a_reminder_for_someone_who_submits_meanwhile_is_not_sent(
    app: FastAPI, client: TestClient, consultant: Caller, assessment: dict, inbox: Inbox
) -> None:
    invited = invite(client, consultant, assessment, *PEOPLE[:1])
    send(client, consultant, assessment, "reminders")
    token = invited["Anna"]["token"]
    client.put(f"/api/v1/respond/{token}", json={"answers": {"listen-feedback": 7}})
    client.post(f"/api/v1/respond/{token}/submit")
    send_all(app)
    assert inbox.messages == []
    [mail] = deliveries(client, consultant, assessment)["Anna"]["mails"]
    assert (mail["status"], mail["reason"]) == ("cancelled", "submitted")


def test_a_refused_recipient_fails_for_good_and_the_others_still_go(
    app: FastAPI, client: TestClient, consultant: Caller, assessment: dict, inbox: Inbox
) -> None:
    inbox.refuse["anna@example.org"] = "550 5.1.1 <anna@example.org>: no such user"
    invite(client, consultant, assessment, *PEOPLE)
    send(client, consultant, assessment)
    send_all(app)
    shown = deliveries(client, consultant, assessment)
    [anna] = shown["Anna"]["mails"]
    assert (anna["status"], anna["reason"], anna["smtp_code"]) == ("failed", "refused", 550)
    assert "no such user" in anna["error"]
    assert anna["next_attempt_at"] is None
    assert shown["Ben"]["mails"][0]["status"] == "sent"  # same connection, after RSET
    assert len(inbox.messages) == 1

    # the same address is not tried again, by invitations or reminders
    assert skipped(send(client, consultant, assessment))["Anna"] == "refused_address"
    assert skipped(send(client, consultant, assessment, "reminders"))["Anna"] == "refused_address"
    # a corrected address, and the invitation goes out with the next send
    inbox.refuse.clear()
    fixed = client.patch(
        f"/api/v1/assessments/{assessment['id']}/invitations/{shown['Anna']['invitation_id']}",
        json={"email": "anna.berger@example.org"},
        headers=consultant.headers,
    )
    assert fixed.json()["email"] == "anna.berger@example.org"
    assert send(client, consultant, assessment)["queued"] == 1
    send_all(app)
    assert len(inbox.to("anna.berger@example.org")) == 1


def test_a_temporary_refusal_is_tried_again_later(
    app: FastAPI,
    client: TestClient,
    consultant: Caller,
    assessment: dict,
    inbox: Inbox,
    clock: Clock,
) -> None:
    inbox.refuse["anna@example.org"] = "451 4.3.0 Mailbox busy, try later"
    invite(client, consultant, assessment, *PEOPLE[:1])
    send(client, consultant, assessment)
    send_all(app)
    [mail] = deliveries(client, consultant, assessment)["Anna"]["mails"]
    assert (mail["status"], mail["reason"], mail["smtp_code"], mail["attempts"]) == (
        "queued",
        "refused",
        451,
        1,
    )
    assert "Mailbox busy" in mail["error"]
    assert send_all(app) == 0  # not due yet
    inbox.refuse.clear()
    clock.advance(timedelta(minutes=1, seconds=1))
    assert send_all(app) == 1
    [mail] = deliveries(client, consultant, assessment)["Anna"]["mails"]
    assert (mail["status"], mail["attempts"]) == ("sent", 2)
    assert len(inbox.messages) == 1


def test_markup_in_names_arrives_as_plain_text(
    app: FastAPI, client: TestClient, consultant: Caller, assessment: dict, inbox: Inbox
) -> None:
    invite(
        client,
        consultant,
        assessment,
        {"label": "<script>alert(1)</script>", "email": "x@example.org", "language": "en"},
    )
    template = {"subject": "Hi {respondent}", "body": "<b>Dear</b> {respondent},\n{link}\n"}
    client.put(
        f"/api/v1/assessments/{assessment['id']}/mail-templates/invitation/en",
        json=template,
        headers=consultant.headers,
    )
    send(client, consultant, assessment)
    send_all(app)
    [message] = inbox.to("x@example.org")
    assert not message.is_multipart()
    assert message.get_content_type() == "text/plain"
    assert message["Subject"] == "Hi <script>alert(1)</script>"
    assert body_of(message).startswith("<b>Dear</b> <script>alert(1)</script>,\n")


def test_line_breaks_in_names_add_no_header_or_recipient(
    app: FastAPI, client: TestClient, consultant: Caller, published: object, inbox: Inbox
) -> None:
    org = client.post(
        "/api/v1/organisations",
        json={"name": "Evil\r\nBcc: org@attacker.example"},
        headers=consultant.headers,
    )
    created = client.post(
        f"/api/v1/organisations/{org.json()['id']}/assessments",
        json={"questionnaire_id": "service-check", "name": "Wave\nBcc: wave@attacker.example"},
        headers=consultant.headers,
    ).json()
    client.post(f"/api/v1/assessments/{created['id']}/open", headers=consultant.headers)
    invite(
        client,
        consultant,
        created,
        {"label": "Anna\r\nCc: label@attacker.example", "email": "anna@example.org"},
    )
    client.put(
        f"/api/v1/assessments/{created['id']}/mail-templates/invitation/en",
        json={"subject": "{assessment} {organisation} {respondent}", "body": "{link}"},
        headers=consultant.headers,
    )
    send(client, consultant, created)
    send_all(app)
    [(recipients, message)] = inbox.messages
    assert recipients == ["anna@example.org"]
    assert message["Bcc"] is None
    assert message["Cc"] is None
    assert message["Subject"] == (
        "Wave Bcc: wave@attacker.example Evil Bcc: org@attacker.example "
        "Anna Cc: label@attacker.example"
    )


def test_an_address_with_a_line_break_or_a_second_recipient_is_refused(
    client: TestClient, consultant: Caller, assessment: dict
) -> None:
    for address in (
        "anna@example.org\r\nBcc: x@attacker.example",
        "anna@example.org, x@attacker.example",
        "Anna <anna@example.org>",
        "anna@localhost",
    ):
        response = client.post(
            f"/api/v1/assessments/{assessment['id']}/invitations",
            json={"invitations": [{"label": "Anna", "email": address}]},
            headers=consultant.headers,
        )
        assert response.status_code == 422, address
        assert "email" in response.json()["detail"]


def test_without_a_mail_server_sending_is_refused_with_what_to_do_instead(
    database_url: str, published: object
) -> None:
    from tests.conftest import application

    for bare in application(database_url):
        client = TestClient(bare)
        from sqlmodel import Session

        with Session(bare.state.engine) as session:
            runner = make_caller(session, "runner@example.org")
        org = client.post("/api/v1/organisations", json={"name": "O"}, headers=runner.headers)
        created = client.post(
            f"/api/v1/organisations/{org.json()['id']}/assessments",
            json={"questionnaire_id": "service-check", "name": "W"},
            headers=runner.headers,
        ).json()
        client.post(f"/api/v1/assessments/{created['id']}/open", headers=runner.headers)
        for what in ("invitations/send", "reminders"):
            refused = client.post(
                f"/api/v1/assessments/{created['id']}/{what}", headers=runner.headers
            )
            assert refused.status_code == 409
            assert "ASSESS_SMTP_HOST" in refused.json()["detail"]
            assert "links" in refused.json()["detail"]


def test_a_draft_sends_nothing_and_members_may_not_send(
    client: TestClient, consultant: Caller, admin: Caller, session: Any, published: object
) -> None:
    org = client.post("/api/v1/organisations", json={"name": "O"}, headers=consultant.headers)
    created = client.post(
        f"/api/v1/organisations/{org.json()['id']}/assessments",
        json={"questionnaire_id": "service-check", "name": "W"},
        headers=consultant.headers,
    ).json()
    draft = client.post(
        f"/api/v1/assessments/{created['id']}/invitations/send", headers=consultant.headers
    )
    assert draft.status_code == 409
    assert "draft" in draft.json()["detail"]
    member = make_caller(session, "member@example.org")
    add_member(client, org.json()["id"], consultant, member)
    for what in ("invitations/send", "reminders"):
        response = client.post(
            f"/api/v1/assessments/{created['id']}/{what}", headers=member.headers
        )
        assert response.status_code == 403
    assert (
        client.post(
            f"/api/v1/assessments/{created['id']}/invitations/send", headers=admin.headers
        ).status_code
        == 409
    )  # an admin may: the draft is what stops it
