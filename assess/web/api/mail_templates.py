"""The wording of e-mails to respondents, per organisation or per assessment: read it,
replace it (checked: known placeholders only, {link} in the body), go back to the one
that applied before, and preview it as a respondent would read it."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response

from assess.mail.content.defaults import DEFAULTS
from assess.mail.content.kinds import MailKind
from assess.mail.content.message import closing_date, respondent_link
from assess.mail.content.texts import MAIL_LANGUAGES, PLACEHOLDERS, MailText, fill, text_problems
from assess.persistence.models.assessments import Assessment
from assess.persistence.models.mail import MailTemplate
from assess.persistence.repository.assessments import organisation_of
from assess.persistence.repository.mail_templates import (
    TemplateSource,
    mail_templates_of,
    mail_text_for,
    remove_mail_template,
    set_mail_template,
)
from assess.results.studies import refuse_unless_assessment
from assess.web.api.studies import NOT_FOR_STUDIES
from assess.web.deps import (
    MANAGED,
    ManagedAssessmentDep,
    ManagedOrganisationDep,
    SessionDep,
    declared,
)
from assess.web.schemas.fields import WrittenLanguage
from assess.web.schemas.mail import Preview, TemplateBody, TemplatePublic, Templates

FOR_ASSESSMENTS = declared(MANAGED, NOT_FOR_STUDIES)
router = APIRouter(prefix="/api/v1", tags=["e-mail"])
EXAMPLE_TOKEN = "EXAMPLE-LINK"  # noqa: S105 (shown in previews in place of a real token)


def checked_text(body: TemplateBody) -> MailText:
    """The template as sent, or 422 naming every problem (unknown placeholders, a
    missing {link}, a line break in the subject…)."""
    text = MailText(body.subject.strip(), body.body.replace("\r\n", "\n").strip() + "\n")
    problems = text_problems(text)
    if problems:
        raise HTTPException(422, {"problems": [str(problem) for problem in problems]})
    return text


def _templates(
    *layers: tuple[TemplateSource, dict[tuple[MailKind, str], MailTemplate]],
) -> Templates:
    """Each kind and language with the first layer's wording that has one, else the
    shipped wording."""
    templates = []
    for kind in MailKind:
        for language in MAIL_LANGUAGES:
            text, source = DEFAULTS[(kind, language)], TemplateSource.default
            for layer, stored in layers:
                if (kind, language) in stored:
                    template = stored[(kind, language)]
                    text, source = MailText(template.subject, template.body), layer
                    break
            templates.append(_public(kind, language, text, source))
    return Templates(placeholders=PLACEHOLDERS, templates=templates)


def _public(
    kind: MailKind, language: str, text: MailText, source: TemplateSource
) -> TemplatePublic:
    return TemplatePublic(
        kind=kind, language=language, subject=text.subject, body=text.body, source=source
    )


@router.get("/organisations/{organisation_id}/mail-templates", responses=MANAGED)
def organisation_templates(organisation: ManagedOrganisationDep, session: SessionDep) -> Templates:
    """The organisation's wording of invitations and reminders in each language (its
    own, or the shipped one)."""
    stored = mail_templates_of(session, organisation_id=organisation.id)
    return _templates((TemplateSource.organisation, stored))


@router.put("/organisations/{organisation_id}/mail-templates/{kind}/{language}", responses=MANAGED)
def set_organisation_template(
    organisation: ManagedOrganisationDep,
    kind: MailKind,
    language: WrittenLanguage,
    body: TemplateBody,
    session: SessionDep,
) -> TemplatePublic:
    """Word one kind of e-mail in one language for all of the organisation's
    assessments (those with their own wording keep it)."""
    text = checked_text(body)
    set_mail_template(
        session,
        organisation_id=organisation.id,
        kind=kind,
        language=language,
        text=text,
    )
    return _public(kind, language, text, TemplateSource.organisation)


@router.delete(
    "/organisations/{organisation_id}/mail-templates/{kind}/{language}",
    status_code=204,
    responses=MANAGED,
)
def remove_organisation_template(
    organisation: ManagedOrganisationDep,
    kind: MailKind,
    language: WrittenLanguage,
    session: SessionDep,
) -> Response:
    """Go back to the shipped wording."""
    remove_mail_template(session, organisation_id=organisation.id, kind=kind, language=language)
    return Response(status_code=204)


@router.get("/assessments/{assessment_id}/mail-templates", responses=FOR_ASSESSMENTS)
def assessment_templates(assessment: ManagedAssessmentDep, session: SessionDep) -> Templates:
    """The wording in force for this assessment's e-mails in each language: its own,
    its organisation's, or the shipped one."""
    refuse_unless_assessment(assessment, "e-mails")
    return _templates(*_layers(session, assessment))


def _layers(
    session: SessionDep, assessment: Assessment
) -> list[tuple[TemplateSource, dict[tuple[MailKind, str], MailTemplate]]]:
    return [
        (
            TemplateSource.assessment,
            mail_templates_of(session, assessment_id=assessment.id),
        ),
        (
            TemplateSource.organisation,
            mail_templates_of(session, organisation_id=assessment.organisation_id),
        ),
    ]


@router.put(
    "/assessments/{assessment_id}/mail-templates/{kind}/{language}", responses=FOR_ASSESSMENTS
)
def set_assessment_template(
    assessment: ManagedAssessmentDep,
    kind: MailKind,
    language: WrittenLanguage,
    body: TemplateBody,
    session: SessionDep,
) -> TemplatePublic:
    """Word one kind of e-mail in one language for this assessment only."""
    refuse_unless_assessment(assessment, "e-mails")
    text = checked_text(body)
    set_mail_template(session, assessment_id=assessment.id, kind=kind, language=language, text=text)
    return _public(kind, language, text, TemplateSource.assessment)


@router.delete(
    "/assessments/{assessment_id}/mail-templates/{kind}/{language}",
    status_code=204,
    responses=FOR_ASSESSMENTS,
)
def remove_assessment_template(
    assessment: ManagedAssessmentDep, kind: MailKind, language: WrittenLanguage, session: SessionDep
) -> Response:
    """Go back to the organisation's wording (or the shipped one)."""
    refuse_unless_assessment(assessment, "e-mails")
    remove_mail_template(session, assessment_id=assessment.id, kind=kind, language=language)
    return Response(status_code=204)


@router.post(
    "/assessments/{assessment_id}/mail-templates/{kind}/{language}/preview",
    responses=FOR_ASSESSMENTS,
)
def preview_template(
    assessment: ManagedAssessmentDep,
    kind: MailKind,
    language: WrittenLanguage,
    session: SessionDep,
    request: Request,
    body: TemplateBody | None = None,
) -> Preview:
    """The e-mail as a respondent would read it, with an example link: of the wording
    sent along (checked as on saving), else of the one in force."""
    refuse_unless_assessment(assessment, "e-mails")
    language = language
    if body is not None:
        text = checked_text(body)
    else:
        text, _ = mail_text_for(session, assessment=assessment, kind=kind, language=language)
    organisation = organisation_of(session, assessment=assessment)
    public_url = request.app.state.settings.public_url or str(request.base_url).rstrip("/")
    filled = fill(
        text,
        {
            "link": respondent_link(public_url, EXAMPLE_TOKEN, language),
            "assessment": assessment.name,
            "organisation": organisation.name,
            "closes": closing_date(assessment.closes_at, language),
            "respondent": "Anna",
        },
    )
    return Preview(subject=filled.subject, body=filled.body)
