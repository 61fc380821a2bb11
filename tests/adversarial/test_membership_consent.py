"""Adding people to an organisation under attack: anyone may make an organisation and
name any address as its member, so naming one must neither make its owner a member
without their consent nor tell whether the address has an account."""

from __future__ import annotations

import uuid
from datetime import timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from assess.persistence.models.accounts import Membership, MembershipInvitation
from assess.persistence.models.audit import AuditEntry
from assess.persistence.models.common import utcnow
from tests.adversarial.conftest import signed_in
from tests.conftest import Caller, make_caller
from tests.web.browsing import form_token

API = "/api/v1"


def own_organisation(client: TestClient, owner: Caller) -> str:
    """An organisation anyone can make, served by `owner`."""
    made = client.post(f"{API}/organisations", json={"name": "Bait GmbH"}, headers=owner.headers)
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


def name_as_member(client: TestClient, by: Caller, organisation: str, email: str) -> dict:
    """PUT an address as the organisation's member; status and body."""
    answer = client.put(
        f"{API}/organisations/{organisation}/members",
        json={"email": email, "role": "member"},
        headers=by.headers,
    )
    return {"status": answer.status_code, "body": answer.json()}


def pending(client: TestClient, caller: Caller) -> list[dict]:
    """The caller's invitations to join that wait for an answer."""
    listed = client.get(f"{API}/membership-invitations", headers=caller.headers)
    assert listed.status_code == 200, listed.text
    return list(listed.json())


def sees(client: TestClient, caller: Caller, organisation: str) -> bool:
    """Whether the caller may see the organisation (is its member)."""
    return client.get(f"{API}/organisations/{organisation}", headers=caller.headers).is_success


def test_naming_a_known_address_answers_as_an_unknown_one_and_adds_nobody(
    client: TestClient, session: Session
) -> None:
    """CWE-204 Observable response discrepancy, CWE-862 Missing authorization: a new
    organisation's maker names an address with an account and one without."""
    attacker = make_caller(session, "attacker@example.org")
    victim = make_caller(session, "victim@example.org")
    organisation = own_organisation(client, attacker)
    known = name_as_member(client, attacker, organisation, "victim@example.org")
    unknown = name_as_member(client, attacker, organisation, "nobody@example.org")
    assert known["status"] == unknown["status"] == 202
    assert known["body"].keys() == unknown["body"].keys()
    # Besides the address itself, only the moment of expiry may differ (by a clock tick).
    assert {k: v for k, v in known["body"].items() if k not in ("email", "expires_at")} == {
        k: v for k, v in unknown["body"].items() if k not in ("email", "expires_at")
    }
    assert known["body"]["status"] == "invited"
    assert not sees(client, victim, organisation)
    assert client.get(f"{API}/organisations", headers=victim.headers).json() == []
    members = client.get(f"{API}/organisations/{organisation}/members", headers=attacker.headers)
    assert [m["email"] for m in members.json()] == ["attacker@example.org"]


def test_the_invited_user_joins_by_accepting_and_then_sees_the_organisation(
    client: TestClient, session: Session
) -> None:
    consultant = make_caller(session, "owner@example.org")
    invitee = make_caller(session, "invitee@example.org")
    organisation = own_organisation(client, consultant)
    name_as_member(client, consultant, organisation, "Invitee@Example.org")
    [invitation] = pending(client, invitee)
    assert invitation["organisation_id"] == organisation
    assert not sees(client, invitee, organisation)
    accepted = client.post(
        f"{API}/membership-invitations/{invitation['id']}/accept", headers=invitee.headers
    )
    assert accepted.status_code == 200, accepted.text
    assert sees(client, invitee, organisation)
    assert pending(client, invitee) == []
    again = client.post(
        f"{API}/membership-invitations/{invitation['id']}/accept", headers=invitee.headers
    )
    assert again.status_code == 404


def test_nobody_but_the_invited_user_can_accept_or_decline_or_see_an_invitation(
    client: TestClient, session: Session
) -> None:
    """CWE-639 Authorization bypass through user-controlled key: the inviter and a third
    user try the invitee's invitation by its id."""
    inviter = make_caller(session, "inviter@example.org")
    invitee = make_caller(session, "target@example.org")
    other = make_caller(session, "other@example.org")
    organisation = own_organisation(client, inviter)
    name_as_member(client, inviter, organisation, "target@example.org")
    [invitation] = pending(client, invitee)
    for caller in (inviter, other):
        assert pending(client, caller) == []
        for answer in ("accept", "decline"):
            url = f"{API}/membership-invitations/{invitation['id']}/{answer}"
            tried = client.post(url, headers=caller.headers)
            absent = client.post(
                f"{API}/membership-invitations/{uuid.uuid4()}/{answer}", headers=caller.headers
            )
            assert tried.status_code == absent.status_code == 404
    assert not sees(client, other, organisation)
    assert [i["id"] for i in pending(client, invitee)] == [invitation["id"]]


def test_declining_leaves_no_membership_and_no_invitation(
    client: TestClient, session: Session
) -> None:
    inviter = make_caller(session, "inviter@example.org")
    invitee = make_caller(session, "decliner@example.org")
    organisation = own_organisation(client, inviter)
    name_as_member(client, inviter, organisation, "decliner@example.org")
    [invitation] = pending(client, invitee)
    url = f"{API}/membership-invitations/{invitation['id']}"
    assert client.post(f"{url}/decline", headers=invitee.headers).status_code == 204
    assert not sees(client, invitee, organisation)
    assert pending(client, invitee) == []
    assert client.post(f"{url}/accept", headers=invitee.headers).status_code == 404
    session.expire_all()
    assert session.exec(select(MembershipInvitation)).all() == []
    assert session.exec(select(Membership).where(Membership.user_id == invitee.user.id)).all() == []


def test_an_expired_invitation_cannot_be_accepted(client: TestClient, session: Session) -> None:
    inviter = make_caller(session, "inviter@example.org")
    invitee = make_caller(session, "late@example.org")
    organisation = own_organisation(client, inviter)
    name_as_member(client, inviter, organisation, "late@example.org")
    [invitation] = pending(client, invitee)
    stored = session.get(MembershipInvitation, uuid.UUID(invitation["id"]))
    assert stored is not None
    stored.expires_at = utcnow() - timedelta(minutes=1)
    session.add(stored)
    session.commit()
    assert pending(client, invitee) == []
    accepted = client.post(
        f"{API}/membership-invitations/{invitation['id']}/accept", headers=invitee.headers
    )
    assert accepted.status_code == 410
    assert "invite you again" in accepted.json()["detail"]
    assert not sees(client, invitee, organisation)


def test_the_audit_log_records_each_step_but_never_the_token(
    client: TestClient, session: Session
) -> None:
    inviter = make_caller(session, "inviter@example.org")
    invitee = make_caller(session, "logged@example.org")
    organisation = own_organisation(client, inviter)
    name_as_member(client, inviter, organisation, "logged@example.org")
    session.expire_all()
    token_hash = session.exec(select(MembershipInvitation.token_hash)).one()
    [invitation] = pending(client, invitee)
    client.post(f"{API}/membership-invitations/{invitation['id']}/accept", headers=invitee.headers)
    session.expire_all()
    entries = session.exec(
        select(AuditEntry).where(col(AuditEntry.action).startswith("membership."))
    ).all()
    assert [(e.action, e.actor) for e in entries] == [
        ("membership.invited", "inviter@example.org"),
        ("membership.accepted", "logged@example.org"),
    ]
    for entry in entries:
        assert token_hash not in repr(entry.detail)
        assert "token" not in repr(entry.detail)


def test_the_pages_let_only_the_invited_user_accept(
    app: FastAPI, client: TestClient, session: Session
) -> None:
    """CWE-639 and CWE-352: on the pages, the invitee accepts with the form; another
    signed-in user posting to the same invitation gets 404 and changes nothing."""
    inviter = make_caller(session, "inviter@example.org")
    invitee = make_caller(session, "pages@example.org")
    other = make_caller(session, "other@example.org")
    organisation = own_organisation(client, inviter)
    name_as_member(client, inviter, organisation, "pages@example.org")
    [invitation] = pending(client, invitee)
    action = f"/membership-invitations/{invitation['id']}/accept"

    intruder = signed_in(app, session, other)
    token = form_token(intruder.get("/dashboard").text)
    assert intruder.post(action, data={"form_token": token}).status_code == 404
    assert invitation["id"] not in intruder.get("/membership-invitations").text

    browsing = signed_in(app, session, invitee)
    dashboard = browsing.get("/dashboard").text
    assert 'href="/membership-invitations"' in dashboard
    page = browsing.get("/membership-invitations")
    assert "Bait GmbH" in page.text
    assert browsing.post(action, data={"form_token": "wrong"}).status_code == 403
    joined = browsing.post(action, data={"form_token": form_token(page.text)})
    assert joined.status_code == 303
    assert joined.headers["location"] == f"/organisations/{organisation}?done=joined"
    assert sees(client, invitee, organisation)
    assert 'href="/membership-invitations"' not in browsing.get("/dashboard").text
