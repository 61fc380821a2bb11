"""Mail templates through the API: shipped in German and English, replaced per
organisation or per assessment, checked before they are stored, used when sending."""

# ruff: noqa: F811 (fixtures app, assessment, inbox: imported from tests/mail/conftest.py)
from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.conftest import Caller, add_member, make_caller
from tests.mail.conftest import (  # noqa: F401
    Inbox,
    app,
    assessment,
    body_of,
    inbox,
    invite,
    send_all,
)

OWN = {"subject": "Bitte mitmachen: {assessment}", "body": "Hallo {respondent},\n\n{link}\n"}


def templates(client: TestClient, caller: Caller, path: str) -> dict[tuple[str, str], Any]:
    response = client.get(f"/api/v1/{path}/mail-templates", headers=caller.headers)
    assert response.status_code == 200, response.text
    return {(t["kind"], t["language"]): t for t in response.json()["templates"]}


def test_both_kinds_come_shipped_in_german_and_english(
    client: TestClient, consultant: Caller, assessment: dict
) -> None:
    response = client.get(
        f"/api/v1/assessments/{assessment['id']}/mail-templates", headers=consultant.headers
    ).json()
    assert set(response["placeholders"]) == {
        "link",
        "assessment",
        "organisation",
        "closes",
        "respondent",
    }
    shown = {(t["kind"], t["language"]): t for t in response["templates"]}
    assert set(shown) == {(k, lang) for k in ("invitation", "reminder") for lang in ("de", "en")}
    assert {t["source"] for t in shown.values()} == {"default"}
    assert shown[("reminder", "de")]["subject"] == "Erinnerung: {assessment}"
    assert "{link}" in shown[("invitation", "en")]["body"]


def test_an_assessments_own_wording_comes_before_its_organisations(
    client: TestClient, consultant: Caller, assessment: dict
) -> None:
    org = f"organisations/{assessment['organisation_id']}"
    mine = f"assessments/{assessment['id']}"
    put = client.put(
        f"/api/v1/{org}/mail-templates/invitation/de",
        json={**OWN, "subject": "Von der Firma: {assessment}"},
        headers=consultant.headers,
    )
    assert put.status_code == 200, put.text
    assert templates(client, consultant, mine)[("invitation", "de")]["source"] == "organisation"
    client.put(f"/api/v1/{mine}/mail-templates/invitation/de", json=OWN, headers=consultant.headers)
    shown = templates(client, consultant, mine)[("invitation", "de")]
    assert (shown["source"], shown["subject"]) == ("assessment", OWN["subject"])
    assert templates(client, consultant, mine)[("invitation", "en")]["source"] == "default"
    assert templates(client, consultant, org)[("invitation", "de")]["subject"].startswith("Von der")

    removed = client.delete(
        f"/api/v1/{mine}/mail-templates/invitation/de", headers=consultant.headers
    )
    assert removed.status_code == 204
    assert templates(client, consultant, mine)[("invitation", "de")]["source"] == "organisation"
    client.delete(f"/api/v1/{org}/mail-templates/invitation/de", headers=consultant.headers)
    assert templates(client, consultant, mine)[("invitation", "de")]["source"] == "default"


def test_unknown_placeholders_and_a_missing_link_are_refused_naming_them(
    client: TestClient, consultant: Caller, assessment: dict
) -> None:
    path = f"/api/v1/assessments/{assessment['id']}/mail-templates/invitation/de"
    refused = client.put(
        path,
        json={"subject": "Hallo {vorname}", "body": "Bis {frist}!"},
        headers=consultant.headers,
    )
    assert refused.status_code == 422
    problems = refused.json()["problems"]
    assert any("unknown placeholder {vorname}" in p for p in problems)
    assert any("unknown placeholder {frist}" in p for p in problems)
    assert any("no {link}" in p for p in problems)
    header = client.put(
        path,
        json={"subject": "Hi\r\nBcc: x@example.org", "body": "{link}"},
        headers=consultant.headers,
    )
    assert header.status_code == 422
    assert "line break" in header.json()["detail"]
    assert (
        client.put(
            f"/api/v1/assessments/{assessment['id']}/mail-templates/invitation/fr",
            json=OWN,
            headers=consultant.headers,
        ).status_code
        == 422
    )
    shown = templates(client, consultant, f"assessments/{assessment['id']}")
    assert shown[("invitation", "de")]["source"] == "default"  # nothing was stored


def test_the_preview_fills_in_the_assessment_and_an_example_link(
    client: TestClient, consultant: Caller, assessment: dict
) -> None:
    path = f"/api/v1/assessments/{assessment['id']}/mail-templates/reminder/de/preview"
    shipped = client.post(path, headers=consultant.headers).json()
    assert shipped["subject"] == "Erinnerung: Kundenblick 2026"
    assert "https://assess.example.org/r/EXAMPLE-LINK?lang=de" in shipped["body"]
    assert "läuft bis" not in shipped["body"]  # no closing date
    draft = client.post(path, json=OWN, headers=consultant.headers).json()
    assert draft["body"].startswith("Hallo Anna,")
    assert (
        client.post(
            path, json={"subject": "x", "body": "{nope}"}, headers=consultant.headers
        ).status_code
        == 422
    )


def test_sending_uses_the_wording_in_force(
    app: FastAPI, client: TestClient, consultant: Caller, assessment: dict, inbox: Inbox
) -> None:
    invite(
        client,
        consultant,
        assessment,
        {"label": "Anna", "email": "anna@example.org", "language": "de"},
    )
    client.put(
        f"/api/v1/assessments/{assessment['id']}/mail-templates/invitation/de",
        json=OWN,
        headers=consultant.headers,
    )
    client.post(
        f"/api/v1/assessments/{assessment['id']}/invitations/send", headers=consultant.headers
    )
    send_all(app)
    [message] = inbox.to("anna@example.org")
    assert message["Subject"] == "Bitte mitmachen: Kundenblick 2026"
    assert body_of(message).startswith("Hallo Anna,\n\nhttps://assess.example.org/r/")


def test_members_may_not_read_or_change_templates(
    client: TestClient, consultant: Caller, assessment: dict, session: Session
) -> None:
    member = make_caller(session, "member@example.org")
    add_member(client, assessment["organisation_id"], consultant, member)
    for path in (
        f"assessments/{assessment['id']}",
        f"organisations/{assessment['organisation_id']}",
    ):
        assert (
            client.get(f"/api/v1/{path}/mail-templates", headers=member.headers).status_code == 403
        )
        assert (
            client.put(
                f"/api/v1/{path}/mail-templates/invitation/de", json=OWN, headers=member.headers
            ).status_code
            == 403
        )
