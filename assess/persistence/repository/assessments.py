"""Assessments, their counts, status and score snapshots (their invitations: see
`invitations`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from assess.domain.respondent_levels import RespondentLevels
from assess.persistence.models.accounts import Membership, User
from assess.persistence.models.assessments import (
    Assessment,
    AssessmentKind,
    AssessmentStatus,
    Invitation,
)
from assess.persistence.models.common import utcnow
from assess.persistence.models.organisations import Organisation
from assess.persistence.models.questionnaires import QuestionnaireVersion
from assess.persistence.models.responses import Response, ResponseStatus, ScoreSnapshot
from assess.persistence.repository.benchmarks import enter_pool, refresh_changed_groups
from assess.persistence.repository.common import writing
from assess.persistence.repository.questionnaires import questionnaire_of
from assess.persistence.repository.respondent_levels import keep_respondent_levels


def create_assessment(
    session: Session,
    *,
    organisation: Organisation,
    version: QuestionnaireVersion,
    name: str,
    wave: str | None = None,
    closes_at: datetime | None = None,
    kind: AssessmentKind = AssessmentKind.assessment,
    show_own_scores: bool = False,
) -> Assessment:
    """A new draft assessment (or study)."""
    assessment = Assessment(
        organisation_id=organisation.id,
        questionnaire_version_id=version.id,
        name=name,
        wave=wave,
        closes_at=closes_at,
        kind=kind,
        show_own_scores=show_own_scores,
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


def assessment_by_id(session: Session, *, assessment_id: uuid.UUID) -> Assessment | None:
    """An assessment by its id, whoever asks (jobs and the worker); None if it is gone."""
    return session.get(Assessment, assessment_id)


def organisation_by_id(session: Session, *, organisation_id: uuid.UUID) -> Organisation | None:
    """An organisation by its id, whoever asks (jobs); None if it is gone."""
    return session.get(Organisation, organisation_id)


def organisation_of(session: Session, *, assessment: Assessment) -> Organisation:
    """The organisation an assessment belongs to."""
    organisation = session.get(Organisation, assessment.organisation_id)
    assert organisation is not None  # a foreign key guarantees it
    return organisation


@dataclass(frozen=True)
class AssessmentCounts:
    """How many were invited, have started and have submitted."""

    invited: int
    started: int
    submitted: int


def assessments_of(
    session: Session, *, organisation_id: uuid.UUID, offset: int = 0, limit: int | None = None
) -> list[tuple[Assessment, AssessmentCounts]]:
    """An organisation's assessments, newest first (then by id, for a stable order of
    pages), with their response counts."""
    assessments = session.exec(
        select(Assessment)
        .where(Assessment.organisation_id == organisation_id)
        .order_by(col(Assessment.created_at).desc(), col(Assessment.id))
        .offset(offset)
        .limit(limit)
    ).all()
    return [(a, counts_of(session, assessment_id=a.id)) for a in assessments]


def count_assessments(session: Session, *, organisation_id: uuid.UUID) -> int:
    """How many assessments an organisation has."""
    return session.exec(
        select(func.count()).where(Assessment.organisation_id == organisation_id)
    ).one()


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


def set_targets(session: Session, *, assessment: Assessment, targets: dict[str, str]) -> None:
    """Keep an assessment's target stage per dimension (checked by the caller); empty
    clears them all."""
    assessment.targets = targets or None
    session.add(assessment)
    session.commit()


def save_snapshot(
    session: Session,
    *,
    assessment_id: uuid.UUID,
    result: dict[str, Any],
    k: int,
    refresh: bool = True,
    levels: RespondentLevels | None = None,
) -> None:
    """Keep the scores as they stand at closing (replacing an older snapshot), with the
    respondents' level scores and item moments (`levels`) that research across
    organisations reads; if the organisation takes part in benchmarks, they enter its
    pool (peer groups of fewer than k organisations, the benchmark k, are not shown; the
    distributions of groups over `peer_group_figures.INLINE_LIMIT` follow in a job, see
    PENDING). A bulk load passes refresh=False and calls `refresh_pool` once at its end."""
    with writing(session):
        store_snapshot(
            session,
            assessment_id=assessment_id,
            result=result,
            k=k,
            refresh=refresh,
            levels=levels,
        )
        session.commit()
    refresh_changed_groups(session)  # the distributions of its groups, after its turn


def store_snapshot(
    session: Session,
    *,
    assessment_id: uuid.UUID,
    result: dict[str, Any],
    k: int,
    refresh: bool = True,
    levels: RespondentLevels | None = None,
) -> None:
    """What `save_snapshot` does, within the caller's transaction: the caller commits,
    holding the write lock (see `writing`)."""
    snapshot = session.exec(
        select(ScoreSnapshot).where(ScoreSnapshot.assessment_id == assessment_id)
    ).first() or ScoreSnapshot(assessment_id=assessment_id, result=result)
    snapshot.result = result
    session.add(snapshot)
    assessment = session.get(Assessment, assessment_id)
    assert assessment is not None  # snapshots are saved of assessments that exist
    organisation = session.get(Organisation, assessment.organisation_id)
    # A study's respondents are not one organisation: it never enters the pool.
    is_study = assessment.kind == AssessmentKind.study
    # Too few responses to release (see assess/results): its figures would describe them.
    released = result.get("released") is not False
    kept = levels if released and not is_study else None
    keep_respondent_levels(session, assessment_id=assessment_id, levels=kept)
    if organisation is not None and organisation.benchmark_opt_in and not is_study and released:
        version = session.get(QuestionnaireVersion, assessment.questionnaire_version_id)
        assert version is not None  # a foreign key guarantees it
        enter_pool(
            session,
            assessment=assessment,
            organisation=organisation,
            questionnaire=questionnaire_of(version),
            result=result,
            k=k,
            refresh=refresh,
        )
