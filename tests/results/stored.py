"""Stored assessments for the results service's tests: only what a test cares about."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import yaml
from sqlmodel import Session

from assess.persistence.models.assessments import Assessment, AssessmentKind, Invitation
from assess.persistence.models.common import utcnow
from assess.persistence.models.organisations import Organisation
from assess.persistence.models.responses import Response, ResponseStatus
from assess.persistence.repository.assessments import create_assessment
from assess.persistence.repository.questionnaires import publish_questionnaire
from tests.factories import questionnaire_data


def stored_assessment(
    session: Session, departments: Sequence[str], kind: AssessmentKind = AssessmentKind.assessment
) -> Assessment:
    """An assessment of a small questionnaire with one submitted response per department
    given (each department's answers differ)."""
    questionnaire_id = f"q-{uuid.uuid4().hex[:8]}"
    source = yaml.safe_dump(questionnaire_data(id=questionnaire_id))
    version, _ = publish_questionnaire(
        session, questionnaire_id=questionnaire_id, version=1, source=source
    )
    organisation = Organisation(name=f"org-{uuid.uuid4()}")
    session.add(organisation)
    session.commit()
    assessment = create_assessment(
        session, organisation=organisation, version=version, name="wave", kind=kind
    )
    for number, department in enumerate(departments):
        session.add(
            Response(
                assessment_id=assessment.id,
                respondent=f"p{number:02d}",
                answers={"i1": 1 + number % 5},
                profile={"department": department},
                status=ResponseStatus.submitted,
                submitted_at=utcnow(),
            )
        )
    session.commit()
    return assessment


def invite(session: Session, assessment: Assessment, *departments: str) -> None:
    """Invitations assigned to `departments` (their links are never used here)."""
    for department in departments:
        session.add(
            Invitation(
                assessment_id=assessment.id,
                label=f"invitee-{uuid.uuid4().hex[:8]}",
                department=department,
                token_hash=uuid.uuid4().hex,
            )
        )
    session.commit()


def stored_with_advice(
    session: Session,
    data: dict[str, Any],
    answers: Sequence[tuple[str, dict[str, Any], bool]],
    *,
    size: str | None = None,
    targets: dict[str, str] | None = None,
) -> Assessment:
    """An assessment of the questionnaire `data` (its id made unique) in an organisation
    of `size`, with `targets`, and one submitted response through an invitation per
    (department, answers, lead) given."""
    questionnaire_id = f"q-{uuid.uuid4().hex[:8]}"
    source = yaml.safe_dump({**data, "id": questionnaire_id})
    version, _ = publish_questionnaire(
        session, questionnaire_id=questionnaire_id, version=1, source=source
    )
    organisation = Organisation(name=f"org-{uuid.uuid4()}", size=size)
    session.add(organisation)
    session.commit()
    assessment = create_assessment(session, organisation=organisation, version=version, name="w")
    assessment.targets = targets
    for number, (department, given, lead) in enumerate(answers):
        invitation = Invitation(
            assessment_id=assessment.id,
            label=f"p{number:02d}",
            token_hash=uuid.uuid4().hex,
            lead=lead,
        )
        session.add(invitation)
        session.flush()
        session.add(
            Response(
                assessment_id=assessment.id,
                invitation_id=invitation.id,
                respondent=invitation.label,
                answers=given,
                profile={"department": department},
                status=ResponseStatus.submitted,
                submitted_at=utcnow(),
            )
        )
    session.add(assessment)
    session.commit()
    return assessment
