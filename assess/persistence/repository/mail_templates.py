"""Mail templates as organisations and assessments word them. Which one applies: the
assessment's own, else its organisation's, else the shipped wording."""

from __future__ import annotations

import uuid
from enum import StrEnum

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from assess.mail.content.defaults import DEFAULTS
from assess.mail.content.kinds import MailKind
from assess.mail.content.texts import MailText
from assess.persistence.models.assessments import Assessment
from assess.persistence.models.common import utcnow
from assess.persistence.models.mail import MailTemplate
from assess.persistence.repository.common import writing


class TemplateSource(StrEnum):
    """Whose wording a template is."""

    assessment = "assessment"
    organisation = "organisation"
    default = "default"


def mail_templates_of(
    session: Session,
    *,
    organisation_id: uuid.UUID | None = None,
    assessment_id: uuid.UUID | None = None,
) -> dict[tuple[MailKind, str], MailTemplate]:
    """The templates stored for an organisation or (exactly one of them) an assessment."""
    query = select(MailTemplate)
    if assessment_id is not None:
        query = query.where(MailTemplate.assessment_id == assessment_id)
    else:
        query = query.where(
            MailTemplate.organisation_id == organisation_id,
            col(MailTemplate.assessment_id).is_(None),
        )
    return {(t.kind, t.language): t for t in session.exec(query)}


def mail_text_for(
    session: Session, *, assessment: Assessment, kind: MailKind, language: str
) -> tuple[MailText, TemplateSource]:
    """The wording that applies to one kind of e-mail in one language of an assessment,
    and whose it is."""
    for source, owner in (
        (TemplateSource.assessment, {"assessment_id": assessment.id}),
        (TemplateSource.organisation, {"organisation_id": assessment.organisation_id}),
    ):
        stored = mail_templates_of(session, **owner).get((kind, language))
        if stored is not None:
            return MailText(stored.subject, stored.body), source
    return DEFAULTS[(kind, language)], TemplateSource.default


def set_mail_template(
    session: Session,
    *,
    kind: MailKind,
    language: str,
    text: MailText,
    organisation_id: uuid.UUID | None = None,
    assessment_id: uuid.UUID | None = None,
) -> MailTemplate:
    """Store an organisation's or an assessment's wording (checked by the caller),
    replacing the one it had."""
    for _ in range(2):  # a simultaneous first save of the same template wins the insert
        stored = mail_templates_of(
            session, organisation_id=organisation_id, assessment_id=assessment_id
        ).get((kind, language))
        template = stored or MailTemplate(
            kind=kind,
            language=language,
            organisation_id=None if assessment_id else organisation_id,
            assessment_id=assessment_id,
            subject=text.subject,
            body=text.body,
        )
        template.subject, template.body, template.updated_at = text.subject, text.body, utcnow()
        try:
            with writing(session):
                session.add(template)
                session.commit()
        except IntegrityError:
            session.rollback()
            continue
        return template
    raise RuntimeError("the template kept changing while it was saved")


def remove_mail_template(
    session: Session,
    *,
    kind: MailKind,
    language: str,
    organisation_id: uuid.UUID | None = None,
    assessment_id: uuid.UUID | None = None,
) -> bool:
    """Remove an organisation's or an assessment's wording, so the next one applies;
    False when it had none."""
    stored = mail_templates_of(
        session, organisation_id=organisation_id, assessment_id=assessment_id
    ).get((kind, language))
    if stored is None:
        return False
    with writing(session):
        session.delete(stored)
        session.commit()
    return True
