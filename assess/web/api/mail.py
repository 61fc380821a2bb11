"""Invitations and reminders by e-mail: requests queue them in the outbox and answer at
once; the sender thread (assess/mail/delivery/sender.py) sends them; each respondent's e-mails
are listed with where they stand."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Request, Response
from sqlmodel import Session

from assess.mail.content.kinds import MailKind, MailStatus
from assess.mail.delivery.plan import Plan, Skipped, plan_invitations, plan_reminders
from assess.mail.delivery.sender import MailSender
from assess.persistence.models.assessments import Assessment, AssessmentStatus, Invitation
from assess.persistence.models.common import aware, utcnow
from assess.persistence.repository.invitations import link_of
from assess.persistence.repository.outbox import last_reminder_round, queue_mail, recipients_of
from assess.results.studies import refuse_unless_assessment
from assess.web.api.pagination import PAGED, PageDep, page_from
from assess.web.api.studies import NOT_FOR_STUDIES
from assess.web.deps import MANAGED, ManagedAssessmentDep, SessionDep, declared, server_key
from assess.web.schemas.mail import (
    DeliveryPublic,
    InvitationsToSend,
    MailPublic,
    ReminderRound,
    Sending,
    SkippedPublic,
)

router = APIRouter(prefix="/api/v1", tags=["e-mail"])
SENDING = declared(
    MANAGED,
    NOT_FOR_STUDIES,
    {
        409: {
            "description": "This server sends no e-mail (no ASSESS_SMTP_HOST), or the "
            "assessment does not take answers."
        }
    },
)
NO_MAIL = (
    "This server sends no e-mail: ASSESS_SMTP_HOST (with ASSESS_SMTP_FROM and "
    "ASSESS_PUBLIC_URL) is not set. Hand out the links instead: GET "
    "/api/v1/assessments/{id}/invitations lists each respondent's link."
)


class SendingRefused(Exception):
    """Why nothing can be sent now: `kind` for the pages, the message for the API."""

    def __init__(self, status: int, kind: str, message: str) -> None:
        super().__init__(message)
        self.status, self.kind = status, kind

    def as_http(self) -> HTTPException:
        """The API's answer."""
        return HTTPException(self.status, str(self))


def mail_sender(request: Request, assessment: Assessment) -> MailSender:
    """The process's sender; refused when e-mail is not set up, or when the assessment
    does not take answers (a link would lead nowhere)."""
    sender: MailSender | None = request.app.state.mail_sender
    if sender is None:
        raise SendingRefused(409, "mail_off", NO_MAIL.format(id=assessment.id))
    if assessment.status == AssessmentStatus.draft:
        raise SendingRefused(
            409,
            "draft",
            "This assessment is a draft: open it first (POST …/open), or the links in the "
            "e-mails would not work yet.",
        )
    closes = assessment.closes_at
    if assessment.status == AssessmentStatus.closed or (closes and aware(closes) <= utcnow()):
        raise SendingRefused(
            409, "closed", "This assessment takes no more answers; nothing was sent."
        )
    return sender


def queue_invitations(
    session: Session,
    request: Request,
    assessment: Assessment,
    *,
    invitation_ids: list[uuid.UUID] | None = None,
    again: bool = False,
) -> Sending:
    """Queue invitations (see `plan_invitations`) and wake the sender."""
    sender = mail_sender(request, assessment)
    recipients = recipients_of(session, assessment_id=assessment.id, invitation_ids=invitation_ids)
    missing = set(invitation_ids or []) - {r.invitation.id for r in recipients}
    if missing:
        raise SendingRefused(
            404,
            "no_respondent",
            f"No such invitation in this assessment: {', '.join(map(str, sorted(missing)))}",
        )
    plan = plan_invitations(recipients, has_link=_link_check(request), now=utcnow(), again=again)
    return _queue(session, sender, assessment, MailKind.invitation, None, plan)


def queue_reminders(
    session: Session, request: Request, assessment: Assessment, *, round_: int | None = None
) -> Sending:
    """Queue reminder round `round_` (by default the next) and wake the sender."""
    sender = mail_sender(request, assessment)
    last = last_reminder_round(session, assessment_id=assessment.id)
    round_ = last + 1 if round_ is None else round_
    if round_ > last + 1:
        raise SendingRefused(
            422, "round", f"round={round_}: the next reminder round is {last + 1}."
        )
    recipients = recipients_of(session, assessment_id=assessment.id)
    plan = plan_reminders(recipients, round_=round_, has_link=_link_check(request), now=utcnow())
    return _queue(session, sender, assessment, MailKind.reminder, round_, plan)


def next_reminder_round(session: Session, assessment: Assessment) -> int:
    """The round a new reminder would start."""
    return last_reminder_round(session, assessment_id=assessment.id) + 1


@router.post("/assessments/{assessment_id}/invitations/send", status_code=202, responses=SENDING)
def send_invitations(
    assessment: ManagedAssessmentDep,
    session: SessionDep,
    request: Request,
    body: Annotated[InvitationsToSend | None, Body()] = None,
) -> Sending:
    """E-mail each respondent (or those named) their invitation with their link, in
    their language. Those who have had it, or whose invitation is on its way, are
    skipped: sending twice sends nobody a second copy."""
    refuse_unless_assessment(assessment, "invitations")
    ids = body.invitation_ids if body else None
    try:
        return queue_invitations(session, request, assessment, invitation_ids=ids)
    except SendingRefused as refused:
        raise refused.as_http() from None


@router.post(
    "/assessments/{assessment_id}/invitations/{invitation_id}/send",
    status_code=202,
    responses=SENDING,
)
def send_invitation_again(
    assessment: ManagedAssessmentDep,
    invitation_id: uuid.UUID,
    session: SessionDep,
    request: Request,
) -> Sending:
    """E-mail one respondent their invitation again (they lost it, it was interrupted,
    or their address changed): a new message, unless one is on its way."""
    refuse_unless_assessment(assessment, "invitations")
    try:
        return queue_invitations(
            session, request, assessment, invitation_ids=[invitation_id], again=True
        )
    except SendingRefused as refused:
        raise refused.as_http() from None


@router.post("/assessments/{assessment_id}/reminders", status_code=202, responses=SENDING)
def send_reminders(
    assessment: ManagedAssessmentDep,
    session: SessionDep,
    request: Request,
    body: Annotated[ReminderRound | None, Body()] = None,
) -> Sending:
    """A reminder round: one e-mail to each respondent with an address who has not
    submitted. Naming a round that exists adds only those missing from it."""
    refuse_unless_assessment(assessment, "invitations")
    try:
        return queue_reminders(session, request, assessment, round_=body.round if body else None)
    except SendingRefused as refused:
        raise refused.as_http() from None


@router.get(
    "/assessments/{assessment_id}/deliveries",
    responses=declared(MANAGED, NOT_FOR_STUDIES, PAGED),
)
def list_deliveries(
    assessment: ManagedAssessmentDep,
    session: SessionDep,
    request: Request,
    response: Response,
    page: PageDep,
) -> list[DeliveryPublic]:
    """Each respondent, by label, with the e-mails to them and where each stands:
    queued, sent, failed or interrupted, with the mail server's words."""
    refuse_unless_assessment(assessment, "invitations")
    return [
        DeliveryPublic(
            invitation_id=r.invitation.id,
            label=r.invitation.label,
            email=r.invitation.email,
            language=r.invitation.language,
            submitted=r.submitted,
            mails=[
                MailPublic(
                    **m.model_dump(exclude={"next_attempt_at"}),
                    next_attempt_at=m.next_attempt_at if m.status == MailStatus.queued else None,
                )
                for m in r.mails
            ],
        )
        for r in page_from(
            recipients_of(session, assessment_id=assessment.id),
            request,
            response,
            page,
        )
    ]


def _link_check(request: Request) -> Any:
    key = server_key(request)

    def has_link(invitation: Invitation) -> bool:
        return link_of(invitation, key=key) is not None

    return has_link


def _queue(
    session: Session,
    sender: MailSender,
    assessment: Assessment,
    kind: MailKind,
    round_: int | None,
    plan: Plan,
) -> Sending:
    queued = queue_mail(
        session, assessment_id=assessment.id, kind=kind, entries=plan.entries, now=utcnow()
    )
    if queued:
        sender.wake()
    skipped = list(plan.skipped)
    # Queued meanwhile by a simultaneous request: that one sends it.
    skipped += [
        Skipped(invitation_id, plan.labels[invitation_id], "pending")
        for invitation_id, _ in plan.entries
        if invitation_id not in queued
    ]
    return Sending(
        kind=kind,
        round=round_,
        queued=len(queued),
        skipped=[
            SkippedPublic(
                invitation_id=s.invitation_id, label=s.label, reason=s.reason, message=s.message
            )
            for s in skipped
        ],
        deliveries_url=f"/api/v1/assessments/{assessment.id}/deliveries",
    )
