"""Anonymous studies: the public link, and the personal links it hands out."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from assess.persistence.models.assessments import Assessment, AssessmentKind, Invitation
from assess.persistence.repository.common import Conflict
from assess.persistence.security import digest, new_invitation_token


def set_public_link(session: Session, *, assessment: Assessment) -> str:
    """Make (or replace) a study's public link; its token, which only this call shows."""
    token = new_invitation_token()
    assessment.public_link_hash = digest(token)
    session.add(assessment)
    session.commit()
    return token


def study_by_public_token(session: Session, *, token: str) -> Assessment | None:
    """The study whose public link carries `token`; None for any other string."""
    return session.exec(
        select(Assessment).where(
            Assessment.public_link_hash == digest(token),
            Assessment.kind == AssessmentKind.study,
        )
    ).first()


@dataclass(frozen=True)
class Start:
    """An anonymous respondent's personal link: its generated label and its token."""

    label: str
    token: str


def start_anonymous(session: Session, *, study: Assessment) -> Start:
    """A personal link for one anonymous respondent of a study. Its label is random, so it
    says nothing about the person nor about when or in which order they came."""
    for _ in range(3):
        start = Start(f"anonymous-{secrets.token_hex(6)}", new_invitation_token())
        session.add(
            Invitation(assessment_id=study.id, label=start.label, token_hash=digest(start.token))
        )
        try:
            session.commit()
        except IntegrityError:  # a label drawn twice (about 1 in 10^14): draw again
            session.rollback()
            continue
        return start
    raise Conflict("could not start an anonymous response; try again")
