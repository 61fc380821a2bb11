"""Synthetic organisations written in bulk: one statement per table and batch; and which
organisations a database is about (its real ones, or its demo ones in a demo database)."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, inspect, or_, select, update
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col
from sqlmodel import select as select_rows  # typed rows

from assess.domain.answers import to_stored
from assess.domain.synthetic import SyntheticOrganisation
from assess.persistence.models.accounts import Membership
from assess.persistence.models.assessments import Assessment, AssessmentStatus, Invitation
from assess.persistence.models.benchmarks import BenchmarkEntry
from assess.persistence.models.common import utcnow
from assess.persistence.models.organisations import Organisation
from assess.persistence.models.questionnaires import QuestionnaireVersion
from assess.persistence.models.responses import Response, ResponseStatus
from assess.persistence.repository.benchmarks import pool_of, refresh_pool
from assess.persistence.repository.common import writing
from assess.persistence.repository.questionnaires import questionnaire_of

_organisations = Organisation.__table__  # type: ignore[attr-defined]
_assessments = Assessment.__table__  # type: ignore[attr-defined]
_responses = Response.__table__  # type: ignore[attr-defined]
_invitations = Invitation.__table__  # type: ignore[attr-defined]


def real_organisations(session: Session) -> int:
    """How many organisations of the database are real (not made by `assess demo`)."""
    query = select(func.count()).select_from(_organisations)
    return int(session.execute(query.where(col(Organisation.is_demo).is_(False))).scalar_one())


def real_organisations_unmigrated(session: Session) -> int:
    """`real_organisations` of a database at any migration, the first not yet made
    included: before demo organisations were marked, every one is real."""
    found = inspect(session.connection())
    if not found.has_table(_organisations.name):
        return 0
    if "is_demo" in {column["name"] for column in found.get_columns(_organisations.name)}:
        return real_organisations(session)
    return int(session.execute(select(func.count()).select_from(_organisations)).scalar_one())


def demo_organisations(session: Session) -> int:
    """How many organisations of the database `assess demo generate` made."""
    query = select(func.count()).select_from(_organisations)
    return int(session.execute(query.where(col(Organisation.is_demo).is_(True))).scalar_one())


def in_scope(is_demo: Any) -> ColumnElement[bool]:
    """Whether an organisation (by its `is_demo` column) is one the database is about: a
    real one, or a demo one where the database holds no real one (a demo database), so
    lists, benchmarks and exports never mix the two."""
    real = _organisations.alias("real_organisations")
    holds_real = select(real.c.id).where(real.c.is_demo.is_(False)).exists()
    same: ColumnElement[bool] = is_demo == ~holds_real
    return same


def add_demo_organisations(
    session: Session,
    *,
    version: QuestionnaireVersion,
    name: str,
    wave: str,
    organisations: Sequence[SyntheticOrganisation],
) -> list[uuid.UUID]:
    """Synthetic organisations, each with one closed assessment of `version` and its
    submitted responses, in one transaction; the assessments' ids, in the same order."""
    now = utcnow()
    ids: list[uuid.UUID] = []
    organisation_rows: list[dict[str, Any]] = []
    assessment_rows: list[dict[str, Any]] = []
    response_rows: list[dict[str, Any]] = []
    invitation_rows: list[dict[str, Any]] = []
    for organisation in organisations:
        organisation_id, assessment_id = uuid.uuid4(), uuid.uuid4()
        ids.append(assessment_id)
        organisation_rows.append(_organisation_row(organisation, organisation_id, now))
        assessment_rows.append(
            {
                "id": assessment_id,
                "organisation_id": organisation_id,
                "questionnaire_version_id": version.id,
                "name": name,
                "wave": wave,
                "status": AssessmentStatus.closed,
                "closes_at": None,
                "created_at": now,
                "opened_at": now,
                "closed_at": now,
            }
        )
        leads = _lead_rows(organisation, assessment_id, now)
        invitation_rows += leads.values()
        response_rows += _response_rows(organisation, assessment_id, now, leads)
    with writing(session):
        session.execute(_organisations.insert(), organisation_rows)
        session.execute(_assessments.insert(), assessment_rows)
        if invitation_rows:
            session.execute(_invitations.insert(), invitation_rows)
        if response_rows:
            session.execute(_responses.insert(), response_rows)
        session.commit()
    return ids


def _organisation_row(
    organisation: SyntheticOrganisation, organisation_id: uuid.UUID, now: datetime
) -> dict[str, Any]:
    """The row of a synthetic organisation, marked as demo."""
    return {
        "id": organisation_id,
        "name": f"Demo organisation {organisation.number:06d}",
        "industry": organisation.attributes.get("industry"),
        "size": organisation.attributes.get("size"),
        "country": organisation.attributes.get("country"),
        "benchmark_opt_in": organisation.opt_in,
        "is_demo": True,
        "created_at": now,
    }


def _lead_rows(
    organisation: SyntheticOrganisation, assessment_id: uuid.UUID, now: datetime
) -> dict[str, dict[str, Any]]:
    """The invitation marked as lead of the respondent who answered as the lead, by
    respondent: the service knows its lead by the invitation. Its token was never made, so
    the link cannot be opened."""
    return {
        response.respondent: {
            "id": uuid.uuid4(),
            "assessment_id": assessment_id,
            "label": response.respondent,
            "department": response.profile.get("department"),
            "token_hash": secrets.token_hex(32),
            "link_salt": None,
            "expires_at": None,
            "created_at": now,
            "email": None,
            "language": None,
            "lead": True,
        }
        for response in organisation.responses
        if response.lead
    }


def _response_rows(
    organisation: SyntheticOrganisation,
    assessment_id: uuid.UUID,
    now: datetime,
    leads: dict[str, dict[str, Any]],
) -> list[dict[str, Any]]:
    """The rows of a synthetic organisation's responses, each submitted; the lead's
    tied to its invitation."""
    rows = []
    for response in organisation.responses:
        answers, profile = to_stored(response)
        invitation = leads.get(response.respondent)
        rows.append(
            {
                "id": uuid.uuid4(),
                "assessment_id": assessment_id,
                "invitation_id": None if invitation is None else invitation["id"],
                "respondent": response.respondent,
                "answers": answers,
                "profile": profile,
                "status": ResponseStatus.submitted,
                "idempotency_key": None,
                "created_at": now,
                "updated_at": now,
                "submitted_at": now,
            }
        )
    return rows


def earlier_demo_organisations(session: Session) -> list[uuid.UUID]:
    """Organisations that an `assess demo generate` of before demo organisations were
    marked wrote among real ones: its names, no members, only its "demo" wave."""
    other_wave = (
        select(_assessments.c.id)
        .where(
            _assessments.c.organisation_id == _organisations.c.id,
            or_(_assessments.c.wave.is_(None), _assessments.c.wave != "demo"),
        )
        .exists()
    )
    members = Membership.__table__  # type: ignore[attr-defined]
    member = select(members.c.id).where(members.c.organisation_id == _organisations.c.id).exists()
    query = select(_organisations.c.id).where(
        _organisations.c.name.like("Demo organisation %"),
        _organisations.c.is_demo.is_(False),
        ~other_wave,
        ~member,
    )
    return list(session.execute(query).scalars())


def mark_as_demo(session: Session, *, organisation_ids: Sequence[uuid.UUID], k: int) -> None:
    """Mark organisations as demo ones: their entries move to the demo pools, and the
    figures of the pools they leave and enter are computed anew."""
    entry = BenchmarkEntry
    pools: set[str] = set()
    for start in range(0, len(organisation_ids), 500):
        chunk = organisation_ids[start : start + 500]
        with writing(session):
            rows = session.exec(
                select_rows(entry.id, entry.pool_key, QuestionnaireVersion)
                .join(Assessment, col(Assessment.id) == col(entry.assessment_id))
                .join(
                    QuestionnaireVersion,
                    col(QuestionnaireVersion.id) == col(Assessment.questionnaire_version_id),
                )
                .where(col(entry.organisation_id).in_(chunk))
            ).all()
            moves: dict[str, list[uuid.UUID]] = {}
            for entry_id, key, version in rows:
                moved = pool_of(questionnaire_of(version), demo=True)[0]
                moves.setdefault(moved, []).append(entry_id)
                pools.update((key, moved))
            for key, ids in moves.items():
                session.execute(update(entry).where(col(entry.id).in_(ids)).values(pool_key=key))
            session.execute(
                update(Organisation).where(col(Organisation.id).in_(chunk)).values(is_demo=True)
            )
            session.commit()
    for key in sorted(pools):
        refresh_pool(session, pool_key=key, k=k)
