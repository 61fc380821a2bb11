"""The organisation's profile that advice is given for: in the service, what the
organisation saved, not what its respondents answered."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from assess.domain.attributes import ATTRIBUTES
from assess.domain.questionnaire import Questionnaire
from assess.persistence.models.assessments import Assessment
from assess.persistence.repository.assessments import organisation_of


def organisation_profile(
    session: Session, assessment: Assessment, questionnaire: Questionnaire
) -> dict[str, Any]:
    """The organisation's saved attributes (industry, size, country) that are set and are
    profile questions of the questionnaire: what its `profile` conditions are about."""
    organisation = organisation_of(session, assessment=assessment)
    asked = {question.id for question in questionnaire.profile}
    saved = {a: getattr(organisation, a) for a in ATTRIBUTES if a in asked}
    return {a: value for a, value in saved.items() if value}
