"""What is held about one respondent, erasing it, and erasing a whole organisation.

Erasing writes within the caller's transaction: the caller holds the write lock (see
`writing`), recomputes what the erased rows counted in, and commits once, so an erasure
happens whole or not at all."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, delete, or_
from sqlmodel import Session, col, select

from assess.persistence.models.accounts import Membership, MembershipInvitation, Role, User
from assess.persistence.models.assessments import (
    Assessment,
    AssessmentStatus,
    ConsensusAnswer,
    Invitation,
)
from assess.persistence.models.benchmarks import BenchmarkEntry, RespondentLevelScore
from assess.persistence.models.common import aware, utcnow
from assess.persistence.models.jobs import JobKind, ReportJob
from assess.persistence.models.mail import MailTemplate, OutboxMail
from assess.persistence.models.organisations import Organisation
from assess.persistence.models.responses import Response, ScoreSnapshot
from assess.persistence.repository.benchmarks import remove_organisation_entries
from assess.persistence.repository.respondent_levels import forget_respondent_levels
from assess.persistence.security import digest


class Erase(StrEnum):
    """How much of a respondent to erase: only their answers; their answers and what
    names them (address, label, the e-mails to them; the invitation stays, counted, with
    a link that no longer works); or the invitation with everything of it."""

    answers = "answers"
    personal_data = "personal_data"
    invitation = "invitation"


def personal_data_of(session: Session, *, invitation: Invitation) -> dict[str, Any]:
    """Everything held about the respondent of an invitation, as plain data: never the
    token of their link nor its hash."""
    assessment = session.get(Assessment, invitation.assessment_id)
    assert assessment is not None  # a foreign key guarantees it
    responses = session.exec(select(Response).where(Response.invitation_id == invitation.id)).all()
    mails = session.exec(
        select(OutboxMail)
        .where(OutboxMail.invitation_id == invitation.id)
        .order_by(col(OutboxMail.created_at))
    ).all()
    return {
        "exported_at": _when(utcnow()),
        "invitation": {
            "id": str(invitation.id),
            "label": invitation.label,
            "email": invitation.email,
            "language": invitation.language,
            "department": invitation.department,
            "created_at": _when(invitation.created_at),
            "link": _link_status(invitation),
        },
        "assessment": {
            "id": str(assessment.id),
            "name": assessment.name,
            "organisation_id": str(assessment.organisation_id),
            "status": assessment.status.value,
        },
        "responses": [_response(r) for r in responses],
        "emails": [_mail(m) for m in mails],
        "also_held_as_aggregates": _aggregates(session, assessment, responses),
    }


def _when(moment: Any) -> str | None:
    return None if moment is None else aware(moment).isoformat()


def _link_status(invitation: Invitation) -> dict[str, Any]:
    expired = invitation.expires_at is not None and aware(invitation.expires_at) <= utcnow()
    return {
        "status": "expired" if expired else "active",
        "expires_at": _when(invitation.expires_at),
        "can_be_shown_again": invitation.link_salt is not None,
    }


def _response(response: Response) -> dict[str, Any]:
    return {
        "id": str(response.id),
        "respondent": response.respondent,
        "status": response.status.value,
        "answers": response.answers,
        "profile": response.profile,
        "created_at": _when(response.created_at),
        "updated_at": _when(response.updated_at),
        "submitted_at": _when(response.submitted_at),
    }


def _mail(mail: OutboxMail) -> dict[str, Any]:
    """An e-mail as the outbox keeps it; its text, with the link, is never stored."""
    return {
        "kind": mail.kind.value,
        "round": mail.round,
        "status": mail.status.value,
        "recipient": mail.recipient,
        "language": mail.language,
        "subject": mail.subject,
        "attempts": mail.attempts,
        "smtp_code": mail.smtp_code,
        "reason": mail.reason,
        "error": mail.error,
        "created_at": _when(mail.created_at),
        "sent_at": _when(mail.sent_at),
    }


def _aggregates(
    session: Session, assessment: Assessment, responses: Sequence[Response]
) -> list[dict[str, str]]:
    """Where the respondent's submitted answers count without being kept as such."""
    if not any(r.submitted_at for r in responses):
        return []
    held = []
    snapshot = session.exec(
        select(ScoreSnapshot.id).where(ScoreSnapshot.assessment_id == assessment.id)
    ).first()
    if snapshot is not None and assessment.status == AssessmentStatus.closed:
        held.append(
            {
                "where": "score_snapshot",
                "what": "The scores of the closed assessment: means, spreads and counts of "
                "all its respondents and of groups of at least 3, no single answers.",
            }
        )
    entry = session.exec(
        select(BenchmarkEntry.id).where(BenchmarkEntry.assessment_id == assessment.id)
    ).first()
    if entry is not None:
        held.append(
            {
                "where": "benchmark_pool",
                "what": "The organisation's scores (means over all its respondents) in the "
                "anonymous peer benchmarks.",
            }
        )
    kept = session.exec(
        select(RespondentLevelScore.respondent)
        .where(RespondentLevelScore.assessment_id == assessment.id)
        .limit(1)
    ).first()
    if kept is not None:
        held.append(
            {
                "where": "respondent_level_scores",
                "what": "Each respondent's level scores in the closed assessment, by "
                "position and without name, and the item moments of each level; read "
                "by researchers only as agreement and reliability figures over all "
                "organisations of a benchmark pool that take part.",
            }
        )
    return held


@dataclass(frozen=True)
class Erased:
    """What an erasure removed, counted."""

    responses: int
    emails: int
    invitation: str  # kept, anonymised or deleted


def erase_respondent(session: Session, *, invitation: Invitation, erase: Erase) -> Erased:
    """Erase a respondent's answers, and with `erase` beyond answers what names them.
    The caller recomputes what the answers counted in and commits."""
    responses = _count(
        session.execute(delete(Response).where(col(Response.invitation_id) == invitation.id))
    )
    if erase == Erase.answers:
        return Erased(responses, 0, "kept")
    emails = _count(
        session.execute(delete(OutboxMail).where(col(OutboxMail.invitation_id) == invitation.id))
    )
    if erase == Erase.invitation:
        session.execute(delete(Invitation).where(col(Invitation.id) == invitation.id))
        return Erased(responses, emails, "deleted")
    invitation.label = f"erased-{secrets.token_hex(6)}"
    invitation.email = None
    invitation.department = None
    invitation.language = None
    # A link nobody holds: the person cannot answer again under it.
    invitation.token_hash = digest(secrets.token_urlsafe(32))
    invitation.link_salt = None
    session.add(invitation)
    session.flush()
    return Erased(responses, emails, "anonymised")


def forget_reports(session: Session, *, organisation_id: uuid.UUID) -> int:
    """Delete the reports made of an organisation's assessments (a later wave's shows the
    earlier ones too) and the portfolios that may hold them (those of its consultants and
    of admins); how many. Anyone may ask for them again."""
    assessment_ids = select(Assessment.id).where(Assessment.organisation_id == organisation_id)
    consultants = select(Membership.user_id).where(
        Membership.organisation_id == organisation_id, Membership.role == Role.consultant
    )
    # Admins' portfolios hold every organisation's reports.
    makers = select(User.id).where(or_(col(User.is_admin), col(User.id).in_(consultants)))
    return _count(
        session.execute(
            delete(ReportJob).where(
                or_(
                    col(ReportJob.assessment_id).in_(assessment_ids),
                    and_(
                        col(ReportJob.kind) == JobKind.portfolio,
                        col(ReportJob.user_id).in_(makers),
                    ),
                )
            )
        )
    )


def erase_organisation(session: Session, *, organisation: Organisation, k: int) -> dict[str, int]:
    """Delete an organisation and everything of it, its benchmark entries leaving their
    pools (whose figures are refreshed); rows deleted, by table. The caller commits,
    holding the write lock."""
    counts = {"report_jobs": forget_reports(session, organisation_id=organisation.id)}
    counts["benchmark_entries"] = remove_organisation_entries(
        session, organisation_id=organisation.id, k=k
    )
    assessments = select(Assessment.id).where(Assessment.organisation_id == organisation.id)
    counts["respondent_level_scores"] = forget_respondent_levels(
        session, assessment_ids=assessments
    )
    by_assessment: list[tuple[str, Any]] = [
        ("outbox", OutboxMail),
        ("responses", Response),
        ("invitations", Invitation),
        ("score_snapshots", ScoreSnapshot),
        ("consensus_answers", ConsensusAnswer),
    ]
    for name, table in by_assessment:
        counts[name] = _count(
            session.execute(delete(table).where(col(table.assessment_id).in_(assessments)))
        )
    counts["mail_templates"] = _count(
        session.execute(
            delete(MailTemplate).where(
                or_(
                    col(MailTemplate.organisation_id) == organisation.id,
                    col(MailTemplate.assessment_id).in_(assessments),
                )
            )
        )
    )
    counts["assessments"] = _count(
        session.execute(
            delete(Assessment).where(col(Assessment.organisation_id) == organisation.id)
        )
    )
    counts["membership_invitations"] = _count(
        session.execute(
            delete(MembershipInvitation).where(
                col(MembershipInvitation.organisation_id) == organisation.id
            )
        )
    )
    counts["memberships"] = _count(
        session.execute(
            delete(Membership).where(col(Membership.organisation_id) == organisation.id)
        )
    )
    session.execute(delete(Organisation).where(col(Organisation.id) == organisation.id))
    return counts


def _count(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
