"""Every database query of the project. Functions take keyword-only arguments."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from assess.domain.answers import Response as TypedResponse
from assess.models import (
    ApiKey,
    Assessment,
    AssessmentStatus,
    Invitation,
    Membership,
    Organisation,
    QuestionnaireVersion,
    Response,
    ResponseStatus,
    Role,
    ScoreSnapshot,
    User,
    utcnow,
)
from assess.security import digest, new_api_key, new_invitation_token, secret_matches, split_api_key


@contextmanager
def writing(session: Session) -> Iterator[None]:
    """Hold the session's write lock (SQLite only) from a write statement to its commit.

    SQLite allows one writer at a time; threads that all try to write wait in its busy
    handler with growing sleeps (p99 near a second under load). Taking turns on a lock
    in Python costs microseconds instead; reads never wait for it.
    """
    lock = session.info.get("write_lock")
    if lock is None:
        yield
        return
    with lock:
        yield


class Conflict(Exception):
    """The request contradicts what is stored; the message says what to change."""


# Users and API keys


def create_user(
    session: Session,
    *,
    email: str,
    name: str = "",
    is_admin: bool = False,
    is_researcher: bool = False,
) -> User:
    """A new user; Conflict if the e-mail is taken."""
    user = User(
        email=email.strip().lower(), name=name, is_admin=is_admin, is_researcher=is_researcher
    )
    session.add(user)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict(f"a user with e-mail {email} exists already") from None
    return user


def get_user_by_email(session: Session, *, email: str) -> User | None:
    """The user with this e-mail."""
    return session.exec(select(User).where(User.email == email.strip().lower())).first()


def create_api_key(session: Session, *, user: User, name: str = "") -> tuple[ApiKey, str]:
    """A new key for `user` and its full text, which is never stored."""
    made = new_api_key()
    key = ApiKey(user_id=user.id, prefix=made.prefix, secret_hash=made.secret_hash, name=name)
    session.add(key)
    session.commit()
    return key, made.full


def user_for_api_key(session: Session, *, presented: str) -> User | None:
    """The user of a presented, unrevoked key; None for anything else."""
    parts = split_api_key(presented)
    if parts is None:
        return None
    prefix, secret = parts
    key = session.exec(select(ApiKey).where(ApiKey.prefix == prefix)).first()
    if key is None or key.revoked_at is not None or not secret_matches(secret, key.secret_hash):
        return None
    return session.get(User, key.user_id)


def revoke_api_key(session: Session, *, prefix: str) -> bool:
    """Revoke a key by its prefix; False if there is no such active key."""
    result = session.execute(
        update(ApiKey)
        .where(col(ApiKey.prefix) == prefix, col(ApiKey.revoked_at).is_(None))
        .values(revoked_at=utcnow())
    )
    session.commit()
    return bool(getattr(result, "rowcount", 0))


# Questionnaire versions


def publish_questionnaire(
    session: Session, *, questionnaire_id: str, version: int, source: str
) -> tuple[QuestionnaireVersion, bool]:
    """Store a validated file as (id, version); (row, created). Conflict if it is in use."""
    sha256 = hashlib.sha256(source.encode()).hexdigest()
    existing = get_questionnaire_version(
        session, questionnaire_id=questionnaire_id, version=version
    )
    if existing is not None:
        if existing.sha256 == sha256:
            return existing, False
        if questionnaire_in_use(session, version_id=existing.id):
            raise Conflict(
                f"{questionnaire_id} version {version} already has assessments and cannot "
                "change; publish the changed file with a higher `version`"
            )
        existing.source, existing.sha256, existing.created_at = source, sha256, utcnow()
        session.add(existing)
        session.commit()
        return existing, False
    row = QuestionnaireVersion(
        questionnaire_id=questionnaire_id, version=version, source=source, sha256=sha256
    )
    session.add(row)
    session.commit()
    return row, True


def questionnaire_in_use(session: Session, *, version_id: uuid.UUID) -> bool:
    """Whether any assessment uses this questionnaire version."""
    query = select(func.count()).where(Assessment.questionnaire_version_id == version_id)
    return session.exec(query).one() > 0


def get_questionnaire_version(
    session: Session, *, questionnaire_id: str, version: int | None = None
) -> QuestionnaireVersion | None:
    """A version of a questionnaire, the newest when `version` is None."""
    query = select(QuestionnaireVersion).where(
        QuestionnaireVersion.questionnaire_id == questionnaire_id
    )
    if version is not None:
        query = query.where(QuestionnaireVersion.version == version)
    return session.exec(query.order_by(col(QuestionnaireVersion.version).desc())).first()


def latest_questionnaires(session: Session) -> list[QuestionnaireVersion]:
    """The newest version of every questionnaire, by id."""
    rows = session.exec(
        select(QuestionnaireVersion).order_by(
            col(QuestionnaireVersion.questionnaire_id), col(QuestionnaireVersion.version).desc()
        )
    ).all()
    newest: dict[str, QuestionnaireVersion] = {}
    for row in rows:
        newest.setdefault(row.questionnaire_id, row)
    return list(newest.values())


# Organisations and memberships


def create_organisation(
    session: Session,
    *,
    name: str,
    creator: User,
    industry: str | None = None,
    size: str | None = None,
    country: str | None = None,
) -> Organisation:
    """A new organisation; its creator serves it as consultant."""
    organisation = Organisation(name=name, industry=industry, size=size, country=country)
    session.add(organisation)
    session.flush()
    session.add(
        Membership(user_id=creator.id, organisation_id=organisation.id, role=Role.consultant)
    )
    session.commit()
    return organisation


def organisation_for(
    session: Session, *, user: User, organisation_id: uuid.UUID
) -> Organisation | None:
    """The organisation if `user` may see it (a member, or an admin); else None."""
    query = select(Organisation).where(Organisation.id == organisation_id)
    if not user.is_admin:
        query = query.join(Membership).where(Membership.user_id == user.id)
    return session.exec(query).first()


def role_in(session: Session, *, user: User, organisation_id: uuid.UUID) -> Role | None:
    """The user's role in an organisation, if any."""
    membership = session.exec(
        select(Membership).where(
            Membership.organisation_id == organisation_id, Membership.user_id == user.id
        )
    ).first()
    return Role(membership.role) if membership else None


def organisations_for(session: Session, *, user: User) -> Sequence[Organisation]:
    """Organisations `user` may see, by name."""
    query = select(Organisation)
    if not user.is_admin:
        query = query.join(Membership).where(Membership.user_id == user.id)
    return session.exec(query.order_by(col(Organisation.name))).all()


# Assessments


def create_assessment(
    session: Session,
    *,
    organisation: Organisation,
    version: QuestionnaireVersion,
    name: str,
    wave: str | None = None,
    closes_at: datetime | None = None,
) -> Assessment:
    """A new draft assessment."""
    assessment = Assessment(
        organisation_id=organisation.id,
        questionnaire_version_id=version.id,
        name=name,
        wave=wave,
        closes_at=closes_at,
    )
    session.add(assessment)
    session.commit()
    return assessment


def assessment_for(session: Session, *, user: User, assessment_id: uuid.UUID) -> Assessment | None:
    """The assessment if `user` may see its organisation; else None."""
    query = select(Assessment).where(Assessment.id == assessment_id)
    if not user.is_admin:
        query = query.join(
            Membership, col(Membership.organisation_id) == col(Assessment.organisation_id)
        ).where(Membership.user_id == user.id)
    return session.exec(query).first()


@dataclass(frozen=True)
class AssessmentCounts:
    """How many were invited, have started and have submitted."""

    invited: int
    started: int
    submitted: int


def assessments_of(
    session: Session, *, organisation_id: uuid.UUID
) -> list[tuple[Assessment, AssessmentCounts]]:
    """An organisation's assessments, newest first, with their response counts."""
    assessments = session.exec(
        select(Assessment)
        .where(Assessment.organisation_id == organisation_id)
        .order_by(col(Assessment.created_at).desc())
    ).all()
    return [(a, counts_of(session, assessment_id=a.id)) for a in assessments]


def counts_of(session: Session, *, assessment_id: uuid.UUID) -> AssessmentCounts:
    """Invitation and response counts of one assessment."""
    invited = session.exec(
        select(func.count()).where(Invitation.assessment_id == assessment_id)
    ).one()
    rows = session.exec(
        select(Response.status, func.count())
        .where(Response.assessment_id == assessment_id)
        .group_by(col(Response.status))
    ).all()
    by_status = dict(rows)
    submitted = by_status.get(ResponseStatus.submitted, 0)
    return AssessmentCounts(
        invited, submitted + by_status.get(ResponseStatus.in_progress, 0), submitted
    )


def set_status(session: Session, *, assessment: Assessment, status: AssessmentStatus) -> None:
    """Open or close an assessment."""
    assessment.status = status
    if status == AssessmentStatus.open:
        assessment.opened_at = utcnow()
    if status == AssessmentStatus.closed:
        assessment.closed_at = utcnow()
    session.add(assessment)
    session.commit()


def save_snapshot(session: Session, *, assessment_id: uuid.UUID, result: dict[str, Any]) -> None:
    """Keep the scores as they stand at closing (replacing an older snapshot)."""
    snapshot = session.exec(
        select(ScoreSnapshot).where(ScoreSnapshot.assessment_id == assessment_id)
    ).first() or ScoreSnapshot(assessment_id=assessment_id, result=result)
    snapshot.result = result
    session.add(snapshot)
    session.commit()


# Invitations and responses


def create_invitations(
    session: Session,
    *,
    assessment: Assessment,
    entries: Sequence[tuple[str, str | None]],
    expires_at: datetime | None = None,
) -> list[tuple[Invitation, str]]:
    """Invitations for (label, department) pairs, all or none; with their one-time tokens."""
    made = []
    for label, department in entries:
        token = new_invitation_token()
        invitation = Invitation(
            assessment_id=assessment.id,
            label=label,
            department=department,
            token_hash=digest(token),
            expires_at=expires_at,
        )
        session.add(invitation)
        made.append((invitation, token))
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict("an invitation with one of these labels exists already") from None
    return made


def invitations_of(session: Session, *, assessment_id: uuid.UUID) -> Sequence[Invitation]:
    """An assessment's invitations, by label."""
    return session.exec(
        select(Invitation)
        .where(Invitation.assessment_id == assessment_id)
        .order_by(col(Invitation.label))
    ).all()


def response_of(session: Session, *, invitation_id: uuid.UUID) -> Response | None:
    """The response given through an invitation, if any."""
    return session.exec(select(Response).where(Response.invitation_id == invitation_id)).first()


def link_by_token(session: Session, *, token: str) -> tuple[Invitation, Assessment] | None:
    """The invitation of a link's token with its assessment, in one query."""
    row = session.exec(
        select(Invitation, Assessment)
        .join(Assessment, col(Assessment.id) == col(Invitation.assessment_id))
        .where(Invitation.token_hash == digest(token))
    ).first()
    return (row[0], row[1]) if row else None


def _upsert(session: Session) -> Any:
    """INSERT … ON CONFLICT for this database (SQLite and PostgreSQL both have it)."""
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = session.get_bind().dialect.name
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def save_answers(
    session: Session,
    *,
    invitation: Invitation,
    answers: dict[str, Any],
    profile: dict[str, Any],
) -> dict[str, Any]:
    """Keep the latest answers of an unsubmitted response, in one statement.

    The upsert only updates a response that is still in progress, so a save racing a
    submit can never change submitted answers: it gets Conflict instead.
    """
    now = utcnow()
    insert = _upsert(session)
    table = Response.__table__  # type: ignore[attr-defined]
    statement = insert(table).values(
        id=uuid.uuid4(),
        assessment_id=invitation.assessment_id,
        invitation_id=invitation.id,
        respondent=invitation.label,
        answers=answers,
        profile=profile,
        status=ResponseStatus.in_progress,
        created_at=now,
        updated_at=now,
    )
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.invitation_id],
        set_={"answers": answers, "profile": profile, "updated_at": now},
        where=table.c.status == ResponseStatus.in_progress,
    ).returning(
        table.c.status, table.c.answers, table.c.profile, table.c.updated_at, table.c.submitted_at
    )
    with writing(session):
        row = session.execute(statement).mappings().first()
        session.commit()
    if row is None:
        raise Conflict("these answers were submitted and can no longer change")
    return dict(row)


def submit(
    session: Session, *, invitation: Invitation, idempotency_key: str | None
) -> tuple[Response, bool]:
    """Mark the response submitted, exactly once: (response, submitted by this call)."""
    response = response_of(session, invitation_id=invitation.id)
    if response is None:
        save_answers(session, invitation=invitation, answers={}, profile={})
        response = response_of(session, invitation_id=invitation.id)
        assert response is not None
    # One conditional UPDATE: of two racing calls, only one changes the row.
    with writing(session):
        result = session.execute(
            update(Response)
            .where(
                col(Response.id) == response.id,
                col(Response.status) == ResponseStatus.in_progress,
            )
            .values(
                status=ResponseStatus.submitted,
                submitted_at=utcnow(),
                idempotency_key=idempotency_key,
            )
        )
        session.commit()
    session.refresh(response)
    return response, bool(getattr(result, "rowcount", 0))


def submitted_responses(session: Session, *, assessment_id: uuid.UUID) -> Sequence[Response]:
    """Submitted responses of an assessment, in the order they came."""
    return session.exec(
        select(Response)
        .where(Response.assessment_id == assessment_id, Response.status == ResponseStatus.submitted)
        .order_by(col(Response.submitted_at), col(Response.respondent))
    ).all()


def import_responses(
    session: Session,
    *,
    assessment: Assessment,
    responses: Sequence[TypedResponse],
    stored: Sequence[tuple[dict[str, Any], dict[str, Any]]],
) -> int:
    """Add submitted responses collected offline, all or none; Conflict on a taken label."""
    now = utcnow()
    for typed, (answers, profile) in zip(responses, stored, strict=True):
        session.add(
            Response(
                assessment_id=assessment.id,
                respondent=typed.respondent,
                answers=answers,
                profile=profile,
                status=ResponseStatus.submitted,
                submitted_at=now,
            )
        )
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict(
            "a respondent label in the file is already used in this assessment; "
            "rename it in the file"
        ) from None
    return len(responses)
