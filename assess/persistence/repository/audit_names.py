"""What the ids in audit entries name today: organisations, assessments, respondents,
users and questionnaire versions, read in one query per kind for a page of entries."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from assess.persistence.models.accounts import User
from assess.persistence.models.assessments import Assessment, Invitation
from assess.persistence.models.organisations import Organisation
from assess.persistence.models.questionnaires import QuestionnaireVersion

# The kinds of object an entry's target or detail may name by id.
KINDS = ("organisation", "assessment", "invitation", "user", "questionnaire_version")


@dataclass(frozen=True)
class Named:
    """An object's name, and the name of what it belongs to (an assessment's
    organisation, a respondent's assessment), if anything."""

    name: str
    within: str | None = None


NameKey = tuple[str, str]  # (kind, id as written in the entry)


def names_of(session: Session, wanted: Iterable[NameKey]) -> dict[NameKey, Named]:
    """The names of the objects that still exist among `wanted`; those erased are left out."""
    ids: dict[str, dict[uuid.UUID, str]] = {kind: {} for kind in KINDS}
    for kind, text in wanted:
        if kind in ids:
            try:
                ids[kind][uuid.UUID(text)] = text
            except ValueError:
                continue
    found: dict[NameKey, Named] = {}
    if wanted_ids := ids["organisation"]:
        for key, name in session.exec(
            select(Organisation.id, Organisation.name).where(col(Organisation.id).in_(wanted_ids))
        ):
            found["organisation", wanted_ids[key]] = Named(name)
    if wanted_ids := ids["assessment"]:
        for key, name, wave, organisation in session.exec(
            select(Assessment.id, Assessment.name, Assessment.wave, Organisation.name)
            .join(Organisation, col(Organisation.id) == col(Assessment.organisation_id))
            .where(col(Assessment.id).in_(wanted_ids))
        ):
            named = Named(f"{name} {wave or ''}".strip(), organisation)
            found["assessment", wanted_ids[key]] = named
    if wanted_ids := ids["invitation"]:
        for key, label, assessment in session.exec(
            select(Invitation.id, Invitation.label, Assessment.name)
            .join(Assessment, col(Assessment.id) == col(Invitation.assessment_id))
            .where(col(Invitation.id).in_(wanted_ids))
        ):
            found["invitation", wanted_ids[key]] = Named(label, assessment)
    if wanted_ids := ids["user"]:
        for key, email in session.exec(
            select(User.id, User.email).where(col(User.id).in_(wanted_ids))
        ):
            found["user", wanted_ids[key]] = Named(email)
    if wanted_ids := ids["questionnaire_version"]:
        for key, questionnaire, version in session.exec(
            select(
                QuestionnaireVersion.id,
                QuestionnaireVersion.questionnaire_id,
                QuestionnaireVersion.version,
            ).where(col(QuestionnaireVersion.id).in_(wanted_ids))
        ):
            found["questionnaire_version", wanted_ids[key]] = Named(f"{questionnaire} v{version}")
    return found
