"""The audit log: every admin action leaves an entry (who, what, which object, when, the
request), admins alone read it, newest first, filtered and in pages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta, timezone
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select
from typer.testing import CliRunner

from assess.cli.main import app as cli
from assess.config import get_settings
from assess.persistence.models.audit import AuditEntry
from assess.persistence.models.common import utcnow
from tests.conftest import SERVICE_CHECK, Caller, make_caller
from tests.web.surveys import API, make_survey, personal_data_url


def actions(session: Session) -> list[str]:
    session.expire_all()
    return [e.action for e in session.exec(select(AuditEntry).order_by(AuditEntry.id)).all()]


def test_each_admin_action_through_the_api_leaves_an_entry(
    client: TestClient, session: Session, admin: Caller, consultant: Caller, published: object
) -> None:
    survey = make_survey(client, consultant)
    made = client.post(
        f"{API}/users", json={"email": "new@example.org"}, headers=admin.headers
    ).json()
    client.put(
        f"{API}/organisations/{survey.organisation}/members",
        json={"email": "new@example.org", "role": "member"},
        headers=consultant.headers,
    )
    new = {"Authorization": f"Bearer {made['api_key']}"}
    [invited] = client.get(f"{API}/membership-invitations", headers=new).json()
    client.post(f"{API}/membership-invitations/{invited['id']}/accept", headers=new)
    client.delete(
        f"{API}/organisations/{survey.organisation}/members/{made['id']}",
        headers=consultant.headers,
    )
    client.post(f"{API}/assessments/{survey.assessment}/reports", headers=consultant.headers)
    client.get(personal_data_url(survey), headers=consultant.headers)
    client.delete(personal_data_url(survey), headers=consultant.headers)
    client.delete(
        f"{API}/organisations/{survey.organisation}",
        params={"confirm": "Muster GmbH"},
        headers=admin.headers,
    )
    assert actions(session) == [
        "questionnaire.published",  # the fixture's two questionnaires
        "questionnaire.published",
        "organisation.created",
        "benchmark.opted_in",
        "assessment.created",
        "respondents.added",
        "assessment.opened",
        "assessment.closed",
        "user.created",
        "api_key.created",
        "membership.invited",
        "membership.accepted",
        "membership.removed",
        "report.requested",
        "personal_data.exported",
        "respondent.erased",
        "organisation.erased",
    ]
    entries = session.exec(select(AuditEntry)).all()
    erased = next(e for e in entries if e.action == "respondent.erased")
    assert erased.actor == "consultant@example.org"
    assert erased.actor_id == consultant.user.id
    assert (erased.target_type, erased.target_id) == ("invitation", survey.invitations[0]["id"])
    assert erased.detail["responses"] == 1
    assert erased.request_id  # the request's id, as in its log lines
    # Nothing a respondent wrote or is called by is in the log.
    for entry in entries:
        for trace in ("SECRET-REMARK", "Anna", "anna."):
            assert trace not in repr(entry.detail), (entry.action, trace)


def test_an_action_that_fails_leaves_no_entry(
    client: TestClient, session: Session, admin: Caller, consultant: Caller, published: object
) -> None:
    survey = make_survey(client, consultant)
    before = actions(session)
    wrong = client.delete(
        f"{API}/organisations/{survey.organisation}",
        params={"confirm": "nope"},
        headers=admin.headers,
    )
    assert wrong.status_code == 422
    last = client.delete(
        f"{API}/organisations/{survey.organisation}/members/{consultant.user.id}",
        headers=consultant.headers,
    )
    assert last.status_code == 409  # never the last consultant
    assert actions(session) == before


def test_only_admins_read_the_log_newest_first(
    client: TestClient, session: Session, admin: Caller, consultant: Caller, published: object
) -> None:
    make_survey(client, consultant)
    assert client.get(f"{API}/audit-log", headers=consultant.headers).status_code == 403
    assert client.get(f"{API}/audit-log").status_code == 401
    read = client.get(f"{API}/audit-log", headers=admin.headers)
    assert read.status_code == 200
    entries = read.json()
    assert entries[0]["action"] == "assessment.closed"
    assert [e["at"] for e in entries] == sorted((e["at"] for e in entries), reverse=True)


def test_the_log_is_filtered_and_paged_with_total_and_next_link(
    client: TestClient, session: Session, admin: Caller, consultant: Caller, published: object
) -> None:
    make_survey(client, consultant)
    everything = client.get(f"{API}/audit-log", headers=admin.headers)
    total = int(everything.headers["x-total-count"])
    assert total == len(everything.json()) == 8
    first = client.get(f"{API}/audit-log", params={"limit": 3}, headers=admin.headers)
    assert first.headers["x-total-count"] == "8"
    assert first.headers["link"] == '</api/v1/audit-log?limit=3&offset=3>; rel="next"'
    last = client.get(f"{API}/audit-log?limit=3&offset=6", headers=admin.headers)
    assert len(last.json()) == 2
    assert "link" not in last.headers
    pages = [e["id"] for e in first.json()] + [
        e["id"]
        for e in client.get(f"{API}/audit-log?limit=3&offset=3", headers=admin.headers).json()
    ]
    assert pages == [e["id"] for e in everything.json()][:6]

    by_action = client.get(
        f"{API}/audit-log", params={"action": "assessment.opened"}, headers=admin.headers
    ).json()
    assert [e["action"] for e in by_action] == ["assessment.opened"]
    by_actor = client.get(
        f"{API}/audit-log", params={"actor": "ADMIN@example.org"}, headers=admin.headers
    ).json()
    assert {e["action"] for e in by_actor} == {"questionnaire.published"}
    by_id = client.get(
        f"{API}/audit-log", params={"actor": str(consultant.user.id)}, headers=admin.headers
    )
    assert int(by_id.headers["x-total-count"]) == 6
    later = (utcnow() + timedelta(minutes=1)).isoformat()
    none = client.get(f"{API}/audit-log", params={"since": later}, headers=admin.headers)
    assert none.json() == []
    before = client.get(f"{API}/audit-log", params={"until": later}, headers=admin.headers)
    assert len(before.json()) == 8
    assert everything.json()[0]["at"].endswith("Z") or "+00:00" in everything.json()[0]["at"]
    # The same moment in another time zone means the same.
    in_berlin = (utcnow() + timedelta(minutes=1)).astimezone(timezone(timedelta(hours=1)))
    shifted = client.get(
        f"{API}/audit-log", params={"since": in_berlin.isoformat()}, headers=admin.headers
    )
    assert shifted.json() == []
    bad = client.get(f"{API}/audit-log", params={"limit": 0}, headers=admin.headers)
    assert bad.status_code == 422


@pytest.fixture
def command_line(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("ASSESS_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_the_assess_command_is_logged_as_cli(
    command_line: None, session: Session, tmp_path: Path
) -> None:
    runner = CliRunner()
    runs = [
        ["user", "create", "--email", "ada@example.org", "--admin"],
        ["user", "password", "--email", "ada@example.org"],
        ["apikey", "create", "--email", "ada@example.org"],
        ["questionnaire", "publish", str(SERVICE_CHECK)],
        ["questionnaire", "publish", str(SERVICE_CHECK)],  # unchanged: no entry
    ]
    outputs = []
    for args in runs:
        done = runner.invoke(cli, args, env={"ASSESS_NEW_PASSWORD": "a long enough secret"})
        assert done.exit_code == 0, done.output
        outputs.append(done.output)
    prefix = "_".join(outputs[2].strip().split("_")[:2])
    assert runner.invoke(cli, ["apikey", "revoke", prefix]).exit_code == 0
    assert actions(session) == [
        "user.created",
        "user.password_changed",
        "api_key.created",
        "questionnaire.published",
        "api_key.revoked",
    ]
    entries = session.exec(select(AuditEntry)).all()
    assert {(e.actor, e.actor_id) for e in entries} == {("cli", None)}
    make_caller(session, "someone@example.org")  # the tables are emptied through the app
