"""E-mail from an assessment's page: send invitations, a reminder round, or one
respondent's invitation again (queued; the sender thread sends them); and the page
where the wording of each kind of e-mail is edited, per language, for the assessment
or its whole organisation."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from assess.mail.content.kinds import MailKind
from assess.mail.content.message import closing_date, respondent_link
from assess.mail.content.texts import MAIL_LANGUAGES, MailText, TextProblem, fill, text_problems
from assess.persistence.models.assessments import Assessment
from assess.persistence.repository.assessments import organisation_of
from assess.persistence.repository.mail_templates import (
    TemplateSource,
    mail_text_for,
    remove_mail_template,
    set_mail_template,
)
from assess.web.api.mail import SendingRefused, queue_invitations, queue_reminders
from assess.web.api.mail_templates import EXAMPLE_TOKEN
from assess.web.console.access import FormDep, Staff, StaffDep, assessment_of, see_other, text_field

router = APIRouter(include_in_schema=False)


@router.post("/assessments/{assessment_id}/send-invitations", response_model=None)
def send_invitations(assessment_id: uuid.UUID, staff: StaffDep, form: FormDep) -> Response:
    """E-mail every respondent with an address who has not had their invitation."""
    assessment = assessment_of(staff, assessment_id, run=True)
    try:
        sent = queue_invitations(staff.session, staff.request, assessment)
    except SendingRefused as refused:
        return see_other(f"/assessments/{assessment.id}", done=f"mail_{refused.kind}")
    return _queued(assessment, "invitations_queued", sent.queued, len(sent.skipped))


@router.post("/assessments/{assessment_id}/send-reminders", response_model=None)
def send_reminders(assessment_id: uuid.UUID, staff: StaffDep, form: FormDep) -> Response:
    """A reminder round to everyone with an address who has not submitted. The form
    names its round, so sending it twice reminds nobody twice."""
    assessment = assessment_of(staff, assessment_id, run=True)
    asked = text_field(form, "round", 10)
    try:
        sent = queue_reminders(
            staff.session,
            staff.request,
            assessment,
            round_=int(asked) if asked.isdecimal() and int(asked) > 0 else None,
        )
    except SendingRefused as refused:
        return see_other(f"/assessments/{assessment.id}", done=f"mail_{refused.kind}")
    return _queued(assessment, "reminders_queued", sent.queued, len(sent.skipped))


@router.post("/assessments/{assessment_id}/respondents/{invitation_id}/send", response_model=None)
def send_again(
    assessment_id: uuid.UUID, invitation_id: uuid.UUID, staff: StaffDep, form: FormDep
) -> Response:
    """One respondent's invitation again (lost, interrupted, or a new address)."""
    assessment = assessment_of(staff, assessment_id, run=True)
    try:
        sent = queue_invitations(
            staff.session, staff.request, assessment, invitation_ids=[invitation_id], again=True
        )
    except SendingRefused as refused:
        return see_other(f"/assessments/{assessment.id}", done=f"mail_{refused.kind}")
    return _queued(assessment, "invitation_again", sent.queued, len(sent.skipped))


def _queued(assessment: Assessment, done: str, queued: int, skipped: int) -> Response:
    return see_other(f"/assessments/{assessment.id}", done=done, n=str(queued), s=str(skipped))


@router.get("/assessments/{assessment_id}/mail-texts")
def mail_texts(assessment_id: uuid.UUID, staff: StaffDep) -> HTMLResponse:
    """The wording of invitations and reminders in German and English, to edit."""
    return _texts_page(staff, assessment_of(staff, assessment_id, run=True))


@router.post("/assessments/{assessment_id}/mail-texts", response_model=None)
def save_mail_text(assessment_id: uuid.UUID, staff: StaffDep, form: FormDep) -> Response:
    """Save one kind of e-mail in one language for this assessment or its whole
    organisation, or go back to the wording that applied before."""
    assessment = assessment_of(staff, assessment_id, run=True)
    kind, language = text_field(form, "kind", 20), text_field(form, "language", 10)
    if kind not in set(MailKind) or language not in MAIL_LANGUAGES:
        return see_other(f"/assessments/{assessment.id}/mail-texts")
    mail_kind, action = MailKind(kind), text_field(form, "action", 20)
    page = f"/assessments/{assessment.id}/mail-texts"
    if action == "reset":
        _reset(staff, assessment, mail_kind, language)
        return see_other(page, done="reset")
    subject = text_field(form, "subject", 1000)
    raw_body = form.get("body")
    body = raw_body.replace("\r\n", "\n").strip()[:50_000] if isinstance(raw_body, str) else ""
    text = MailText(subject, body + "\n")
    problems = text_problems(text)
    if problems:
        return _texts_page(staff, assessment, 422, (mail_kind, language), text, problems)
    organisation_wide = action == "organisation"
    set_mail_template(
        staff.session,
        kind=mail_kind,
        language=language,
        text=text,
        organisation_id=assessment.organisation_id if organisation_wide else None,
        assessment_id=None if organisation_wide else assessment.id,
    )
    if organisation_wide:  # what was saved is what this assessment now sends
        remove_mail_template(
            staff.session, kind=mail_kind, language=language, assessment_id=assessment.id
        )
    return see_other(page, done="saved_organisation" if organisation_wide else "saved")


def _reset(staff: Staff, assessment: Assessment, kind: MailKind, language: str) -> None:
    """Remove the wording in force: the assessment's own, else its organisation's."""
    if not remove_mail_template(
        staff.session, kind=kind, language=language, assessment_id=assessment.id
    ):
        remove_mail_template(
            staff.session,
            kind=kind,
            language=language,
            organisation_id=assessment.organisation_id,
        )


def _texts_page(
    staff: Staff,
    assessment: Assessment,
    status: int = 200,
    entered_for: tuple[MailKind, str] | None = None,
    entered: MailText | None = None,
    problems: list[TextProblem] | None = None,
) -> HTMLResponse:
    organisation = organisation_of(staff.session, assessment=assessment)
    public_url = staff.request.app.state.settings.public_url or str(staff.request.base_url)
    templates = []
    for kind in MailKind:
        for language in MAIL_LANGUAGES:
            text, source = mail_text_for(
                staff.session, assessment=assessment, kind=kind, language=language
            )
            example = {
                "link": respondent_link(public_url.rstrip("/"), EXAMPLE_TOKEN, language),
                "assessment": assessment.name,
                "organisation": organisation.name,
                "closes": closing_date(assessment.closes_at, language),
                "respondent": "Anna",
            }
            mine = entered_for == (kind, language)
            templates.append(
                {
                    "kind": kind.value,
                    "language": language,
                    "text": entered if mine and entered else text,
                    "source": source.value,
                    "preview": fill(text, example),
                    "problems": problems if mine else [],
                }
            )
    return staff.render(
        "console/mail_texts.html.j2",
        status,
        assessment=assessment,
        organisation=organisation,
        templates=templates,
        sources=TemplateSource,
        done=staff.request.query_params.get("done"),
    )
