"""Privacy operations through the API: a respondent's data exported and erased (with what
it counted in recomputed), an organisation erased, and who may do either."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select as columns_of
from sqlmodel import Session, SQLModel, select

from assess.mail.content.kinds import MailKind
from assess.persistence.models.assessments import Invitation
from assess.persistence.models.audit import AuditEntry
from assess.persistence.models.benchmarks import (
    BenchmarkEntry,
    PeerGroupFigures,
    RespondentLevelScore,
)
from assess.persistence.models.common import utcnow
from assess.persistence.models.jobs import JobKind, ReportJob
from assess.persistence.models.mail import OutboxMail
from assess.persistence.models.responses import Response, ScoreSnapshot
from assess.persistence.repository import privacy
from assess.persistence.repository.reports import create_report_job, finish_report_job
from tests.conftest import Caller, add_member, make_caller
from tests.web.surveys import Survey, make_survey, personal_data_url

API = "/api/v1"


def add_mail_and_report(session: Session, survey: Survey, user: Any) -> None:
    """An invitation e-mail sent to Anna and a finished report of the assessment."""
    anna = survey.invitations[0]
    session.add(
        OutboxMail(
            invitation_id=uuid.UUID(anna["id"]),
            assessment_id=uuid.UUID(survey.assessment),
            kind=MailKind.invitation,
            status="sent",
            recipient=anna["email"],
            subject="Your invitation",
            sent_at=utcnow(),
        )
    )
    session.commit()
    job = create_report_job(
        session,
        user=user,
        kind=JobKind.report,
        language="en",
        assessment_id=uuid.UUID(survey.assessment),
    )
    finish_report_job(
        session, job_id=job.id, content=b"%PDF-", media_type="application/pdf", filename="r.pdf"
    )


def level_scores(session: Session, assessment: uuid.UUID) -> dict[str, int]:
    """Per level, how many respondents' level scores the assessment keeps."""
    levels = session.exec(
        select(RespondentLevelScore.level).where(RespondentLevelScore.assessment_id == assessment)
    ).all()
    return {level: levels.count(level) for level in set(levels)}


def every_row(session: Session) -> str:
    """Every row of every table, as text."""
    rows = []
    for table in SQLModel.metadata.sorted_tables:
        rows += [repr(tuple(row)) for row in session.execute(table.select())]
    return "\n".join(rows)


def rows_naming(session: Session, value: str) -> list[str]:
    """The tables with a row that holds `value` in any column."""
    found = []
    for table in SQLModel.metadata.sorted_tables:
        for row in session.execute(table.select()):
            if value in repr(tuple(row)) or value in repr(tuple(str(c) for c in row)):
                found.append(table.name)
    return found


@pytest.fixture
def survey(client: TestClient, session: Session, consultant: Caller, published: object) -> Survey:
    made = make_survey(client, consultant)
    add_mail_and_report(session, made, consultant.user)
    return made


def test_export_holds_the_invitation_answers_and_mails_but_never_the_link(
    client: TestClient, session: Session, consultant: Caller, survey: Survey
) -> None:
    response = client.get(personal_data_url(survey), headers=consultant.headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"].startswith("attachment;")
    data = response.json()
    anna = survey.invitations[0]
    assert data["invitation"]["label"] == "Anna"
    assert data["invitation"]["email"] == anna["email"]
    assert data["invitation"]["link"]["status"] == "active"
    [answered] = data["responses"]
    assert answered["status"] == "submitted"
    assert answered["answers"]["act-owner"] == "nobody"
    assert answered["profile"]["remark"] == "SECRET-REMARK-Mus"
    assert answered["submitted_at"]
    [mail] = data["emails"]
    assert (mail["kind"], mail["status"]) == ("invitation", "sent")
    assert mail["recipient"] == anna["email"]
    assert {held["where"] for held in data["also_held_as_aggregates"]} == {
        "score_snapshot",
        "benchmark_pool",
        "respondent_level_scores",
    }
    stored = session.get(Invitation, uuid.UUID(anna["id"]))
    assert stored is not None
    assert anna["token"] not in response.text
    assert stored.token_hash not in response.text
    assert "token" not in response.text


def test_erasing_a_respondent_recomputes_the_snapshot_and_benchmark_and_leaves_no_trace(
    client: TestClient, session: Session, consultant: Caller, survey: Survey
) -> None:
    assessment = uuid.UUID(survey.assessment)
    before = session.exec(
        select(ScoreSnapshot.result).where(ScoreSnapshot.assessment_id == assessment)
    ).one()
    scores_before = session.exec(
        select(BenchmarkEntry.scores).where(BenchmarkEntry.assessment_id == assessment)
    ).one()
    assert before["respondents"] == 4
    assert level_scores(session, assessment) == dict.fromkeys(before["dimensions"], 4)
    anna = survey.invitations[0]
    assert rows_naming(session, "SECRET-REMARK-Mus") == ["responses"]

    erased = client.delete(personal_data_url(survey), headers=consultant.headers)
    assert erased.status_code == 200, erased.text
    assert erased.json()["responses"] == 1
    assert erased.json()["emails"] == 1
    assert erased.json()["invitation"] == "anonymised"
    assert erased.json()["reports_deleted"] == 1
    assert erased.json()["snapshot_recomputed"] is True

    session.expire_all()
    after = session.exec(
        select(ScoreSnapshot.result).where(ScoreSnapshot.assessment_id == assessment)
    ).one()
    assert after["respondents"] == 3
    assert after["overall"]["score"] != before["overall"]["score"]
    scores_after = session.exec(
        select(BenchmarkEntry.scores).where(BenchmarkEntry.assessment_id == assessment)
    ).one()
    assert scores_after[0] == pytest.approx(after["overall"]["score"])
    assert scores_after != scores_before
    # Her level scores leave what research across organisations reads; the rest are kept.
    assert level_scores(session, assessment) == dict.fromkeys(after["dimensions"], 3)
    for level, figures in after["dimensions"].items():
        kept = session.exec(
            select(RespondentLevelScore.score).where(
                RespondentLevelScore.assessment_id == assessment,
                RespondentLevelScore.level == level,
            )
        ).all()
        assert sum(kept) / len(kept) == pytest.approx(figures["score"], abs=1e-9)
    counts = client.get(f"{API}/assessments/{survey.assessment}", headers=consultant.headers)
    assert counts.json()["counts"] == {
        "invited": 4,
        "started": 3,
        "submitted": 3,
        "response_rate": 0.75,
    }
    # Nothing of her remains in any table: her remark, address, label or link.
    rows = every_row(session)
    for trace in ("SECRET-REMARK-Mus", anna["email"], "'Anna'"):
        assert trace not in rows, trace
    assert session.exec(select(ReportJob)).all() == []
    stored = session.get(Invitation, uuid.UUID(anna["id"]))
    assert stored is not None
    assert stored.email is None
    assert stored.label.startswith("erased-")
    assert client.get(f"{API}/respond/{anna['token']}").status_code == 404
    # Nor does the snapshot hold anything per respondent.
    assert "Ben" not in repr(after)
    assert "respondent'" not in repr(after)


def test_erasing_only_answers_keeps_the_invitation_and_its_link(
    client: TestClient, session: Session, consultant: Caller, survey: Survey
) -> None:
    erased = client.delete(
        personal_data_url(survey, 1), params={"erase": "answers"}, headers=consultant.headers
    )
    assert erased.status_code == 200, erased.text
    assert erased.json()["invitation"] == "kept"
    ben = session.get(Invitation, uuid.UUID(survey.invitations[1]["id"]))
    assert ben is not None
    assert ben.label == "Ben"
    assert ben.email
    assert session.exec(select(Response).where(Response.invitation_id == ben.id)).first() is None


def test_erasing_the_invitation_removes_it_and_its_mails(
    client: TestClient, session: Session, consultant: Caller, survey: Survey
) -> None:
    erased = client.delete(
        personal_data_url(survey), params={"erase": "invitation"}, headers=consultant.headers
    )
    assert erased.status_code == 200, erased.text
    assert erased.json()["invitation"] == "deleted"
    assert session.get(Invitation, uuid.UUID(survey.invitations[0]["id"])) is None
    assert session.exec(select(OutboxMail)).all() == []
    again = client.get(personal_data_url(survey), headers=consultant.headers)
    assert again.status_code == 404


def test_erasing_in_an_open_assessment_changes_only_the_live_results(
    client: TestClient, consultant: Caller, published: object, session: Session
) -> None:
    survey = make_survey(client, consultant, close=False)
    results = f"{API}/assessments/{survey.assessment}/results"
    assert client.get(results, headers=consultant.headers).json()["respondents"] == 4
    assert client.delete(personal_data_url(survey), headers=consultant.headers).is_success
    assert client.get(results, headers=consultant.headers).json()["respondents"] == 3
    assert session.exec(select(ScoreSnapshot)).all() == []


def test_other_tenants_and_members_may_neither_export_nor_erase(
    client: TestClient, session: Session, consultant: Caller, survey: Survey
) -> None:
    stranger = make_caller(session, "stranger@example.org")
    member = make_caller(session, "member@example.org")
    add_member(client, survey.organisation, consultant, member)
    for method in ("GET", "DELETE"):
        url = personal_data_url(survey)
        assert client.request(method, url, headers=stranger.headers).status_code == 404
        assert client.request(method, url, headers=member.headers).status_code == 403
    unknown = f"{API}/assessments/{survey.assessment}/invitations/{uuid.uuid4()}/personal-data"
    assert client.get(unknown, headers=consultant.headers).status_code == 404
    assert session.exec(select(Response)).all() != []


def test_admins_erase_an_organisation_only_with_its_name_and_nothing_of_it_remains(
    app: FastAPI,
    client: TestClient,
    session: Session,
    admin: Caller,
    consultant: Caller,
    survey: Survey,
) -> None:
    other = make_caller(session, "other@example.org")
    kept = make_survey(client, other, name="Andere AG")
    url = f"{API}/organisations/{survey.organisation}"
    invited = client.put(
        f"{url}/members",
        json={"email": "other@example.org", "role": "member"},
        headers=consultant.headers,
    )
    assert invited.status_code == 202
    assert client.delete(url, headers=consultant.headers).status_code == 403
    wrong = client.delete(url, params={"confirm": "Muster"}, headers=admin.headers)
    assert wrong.status_code == 422
    assert "confirm" in wrong.json()["detail"]
    assert client.get(url, headers=admin.headers).status_code == 200

    erased = client.delete(url, params={"confirm": "Muster GmbH"}, headers=admin.headers)
    assert erased.status_code == 200, erased.text
    deleted = erased.json()["deleted"]
    assert deleted["responses"] == 4
    assert deleted["invitations"] == 4
    assert deleted["benchmark_entries"] == 1
    assert deleted["respondent_level_scores"] > 0
    assert deleted["memberships"] == 1
    assert deleted["membership_invitations"] == 1
    assert client.get(f"{API}/membership-invitations", headers=other.headers).json() == []

    assert client.get(url, headers=admin.headers).status_code == 404
    # Only the audit log names what was erased (never answers); no other row refers to it.
    for trace in (survey.organisation, survey.assessment, "Muster GmbH", "SECRET-REMARK-Mus"):
        assert set(rows_naming(session, trace)) <= {"audit_log"}, trace
    kept_levels = session.exec(select(RespondentLevelScore.assessment_id).distinct()).all()
    assert kept_levels == [uuid.UUID(kept.assessment)]
    assert "SECRET-REMARK-Mus" not in every_row(session)
    # The other organisation and its benchmark entry are untouched.
    entries = session.exec(select(BenchmarkEntry.organisation_id)).all()
    assert entries == [uuid.UUID(kept.organisation)]
    assert rows_naming(session, "SECRET-REMARK-And") == ["responses"]


def test_erasing_an_organisation_refreshes_its_peer_groups(
    client: TestClient, session: Session, admin: Caller, published: object
) -> None:

    callers = [make_caller(session, f"peer{i}@example.org") for i in range(2)]
    surveys = [make_survey(client, caller, name=f"Peer {i}") for i, caller in enumerate(callers)]

    def organisations_counted() -> int:
        session.expire_all()
        return max(session.exec(columns_of(PeerGroupFigures.organisations)).scalars())

    assert organisations_counted() == 2
    erased = client.delete(
        f"{API}/organisations/{surveys[0].organisation}",
        params={"confirm": "Peer 0"},
        headers=admin.headers,
    )
    assert erased.status_code == 200, erased.text
    assert organisations_counted() == 1


def test_an_erasure_that_fails_midway_erases_nothing(
    app: FastAPI,
    session: Session,
    admin: Caller,
    consultant: Caller,
    survey: Survey,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from assess.web.actions import lifecycle

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(lifecycle, "recompute_snapshot", broken)
    monkeypatch.setattr(privacy, "remove_organisation_entries", broken)
    failing = TestClient(app, raise_server_exceptions=False)
    assert failing.delete(personal_data_url(survey), headers=consultant.headers).status_code == 500
    erase_organisation = failing.delete(
        f"{API}/organisations/{survey.organisation}",
        params={"confirm": "Muster GmbH"},
        headers=admin.headers,
    )
    assert erase_organisation.status_code == 500
    session.expire_all()
    assert len(session.exec(select(Response)).all()) == 4
    assert len(session.exec(select(OutboxMail)).all()) == 1
    assert len(session.exec(select(ReportJob)).all()) == 1
    anna = session.get(Invitation, uuid.UUID(survey.invitations[0]["id"]))
    assert anna is not None
    assert anna.label == "Anna"
    assert "erased" not in repr(session.exec(columns_of(AuditEntry.action)).all())
