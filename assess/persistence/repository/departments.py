"""An assessment's departments: how many were invited to each, whether respondents may
change theirs, and which are merged for the results."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from assess.persistence.models.assessments import Assessment, Invitation
from assess.persistence.repository.common import writing


def invited_by_department(session: Session, *, assessment_id: uuid.UUID) -> dict[str, int]:
    """Per department assigned at invitation, how many were invited to it."""
    rows = session.exec(
        select(Invitation.department, func.count())
        .where(Invitation.assessment_id == assessment_id, col(Invitation.department).is_not(None))
        .group_by(col(Invitation.department))
    ).all()
    return {str(department): int(n) for department, n in rows}


def set_departments(
    session: Session,
    *,
    assessment: Assessment,
    changeable: bool,
    groups: list[dict[str, Any]] | None,
) -> None:
    """Keep whether respondents may change their department, and the merged groups."""
    assessment.departments_changeable = changeable
    assessment.department_groups = groups
    with writing(session):
        session.add(assessment)
        session.commit()
