"""The sender: a thread in each web process that works through the outbox, so that the
requests that queue e-mails answer at once.

At most once. A message is marked as handed to the mail server just before its SMTP
transaction, and as sent once the server has taken it. A process that stops between the
two leaves it handed but not sent: after a while any sender marks it `interrupted`
(it may have arrived) and never sends it again by itself; whoever runs the assessment
sees that and can send that respondent's invitation again on its own. Sending it again
automatically (at least once) would give a respondent two copies whenever the server
took the message just before the stop, and a second copy is what must not happen; a
lost message is visible and one click away from being sent again. Messages claimed but
not yet handed over are safely queued again.

Temporary failures (the server's 4xx, a server that cannot be reached or does not
answer) are retried with growing pauses; permanent ones (5xx, a refused sign-in) are not.
"""

from __future__ import annotations

import logging
import secrets
import threading
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from assess.mail.content.kinds import MailStatus
from assess.mail.content.message import closing_date, compose, respondent_link
from assess.mail.content.texts import MailText, fill, mail_language
from assess.mail.delivery.smtp import MailServer, Outcome, Postman, Verdict
from assess.persistence.models.assessments import AssessmentStatus
from assess.persistence.models.common import aware, utcnow
from assess.persistence.repository.invitations import link_of
from assess.persistence.repository.mail_templates import mail_text_for
from assess.persistence.repository.outbox import (
    Parcel,
    claim_mail,
    end_attempt,
    hand_mail,
    mail_is_due,
    parcel_of,
    recover_stalled_mail,
)
from assess.persistence.repository.questionnaires import questionnaire_of

logger = logging.getLogger("assess.mail")
BATCH = 20  # messages per claim, sent over one connection
MAX_ATTEMPTS = 6
# Pause after the first, second, … temporary failure: about 4.5 hours in all.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=3),
)
POLL_SECONDS = 5.0
RECOVER_EVERY = timedelta(minutes=1)
INTERRUPTED = (
    "The sending process stopped after handing this e-mail to the mail server and before "
    "hearing whether the server took it: it may have arrived, so it is not sent again by "
    "itself. Send it to this respondent again on its own if they did not get it."
)
VERDICT_STATUS = {
    Verdict.sent: MailStatus.sent,
    Verdict.failed: MailStatus.failed,
    Verdict.interrupted: MailStatus.interrupted,
}


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th attempt failed for the time being."""
    return BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1]


class MailSender:
    """Sends what the outbox holds, in a thread of its own (`start`), or one batch at
    a time (`send_due`)."""

    def __init__(
        self,
        engine: Engine,
        server: MailServer,
        *,
        key: str,
        public_url: str,
        poll: float = POLL_SECONDS,
        postman: Callable[[MailServer], Postman] = Postman,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.engine, self.server, self.key, self.public_url = engine, server, key, public_url
        self.poll, self.postman, self.clock = poll, postman, clock
        # Longer than one SMTP transaction can take: each of its steps waits at most
        # the timeout.
        self.stall_after = max(timedelta(minutes=5), timedelta(seconds=10 * server.timeout))
        self._recovered_at: datetime | None = None
        self._woken = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the thread."""
        self._thread = threading.Thread(target=self._run, name="assess-mail", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the thread to stop after the message at hand, and wait for it a while."""
        self._stopping.set()
        self._woken.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def wake(self) -> None:
        """Look at the outbox now: a request has just queued messages."""
        self._woken.set()

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                handled = self.send_due()
            except Exception:  # the database is away, say: try again after a pause
                logger.exception("sending e-mail failed")
                handled = 0
            if handled == 0:
                self._woken.wait(self.poll)
                self._woken.clear()

    def send_due(self) -> int:
        """Send one batch of due messages over one connection; how many it handled."""
        now = self.clock()
        with Session(self.engine, expire_on_commit=False) as session:
            if self._recovery_due(now):
                requeued, interrupted = recover_stalled_mail(
                    session, before=now - self.stall_after, error=INTERRUPTED
                )
                if requeued or interrupted:
                    logger.warning(
                        "e-mail left by a stopped sender: %d queued again, %d interrupted",
                        requeued,
                        interrupted,
                    )
                self._recovered_at = now
            if not mail_is_due(session, now=now):
                return 0
            claim = secrets.token_hex(16)
            claimed = claim_mail(session, claim=claim, now=now, limit=BATCH)
            postman = self.postman(self.server)
            try:
                for mail_id in claimed:
                    if self._stopping.is_set():
                        break  # the rest is queued again once it counts as stalled
                    self._send_one(session, postman, mail_id, claim)
            finally:
                postman.close()
        return len(claimed)

    def _recovery_due(self, now: datetime) -> bool:
        """Whether to look for mail that stopped senders left: a minute after the last
        look, or at once when the clock went back since (else it would wait for the
        clock to catch up)."""
        if self._recovered_at is None:
            return True
        elapsed = now - self._recovered_at
        return elapsed >= RECOVER_EVERY or elapsed < timedelta(0)

    def _send_one(self, session: Session, postman: Postman, mail_id: uuid.UUID, claim: str) -> None:
        """Send one claimed mail, or end its attempt with the reason it cannot be sent."""
        parcel = parcel_of(session, mail_id=mail_id)
        if parcel is None:
            return  # its invitation was deleted meanwhile
        now = self.clock()

        def end(status: MailStatus, reason: str, error: str) -> None:
            end_attempt(
                session,
                mail_id=mail_id,
                claim=claim,
                status=status,
                now=now,
                reason=reason,
                error=error,
            )

        refusal = _not_to_send(parcel, now)
        if refusal is not None:
            end(*refusal)
            return
        invitation = parcel.invitation
        token = link_of(invitation, key=self.key)
        if token is None or invitation.email is None:
            reason = "no_address" if invitation.email is None else "no_link"
            end(MailStatus.failed, reason, _NOT_SENDABLE[reason])
            return
        text, written_in = self._text(session, parcel, token)
        message = compose(
            mail_id=mail_id,
            sender=self.server.sender,
            recipient=invitation.email,
            text=text,
            language=written_in,
            at=now,
        )
        if not hand_mail(
            session,
            mail_id=mail_id,
            claim=claim,
            now=now,
            recipient=invitation.email,
            language=written_in,
            subject=text.subject[:300],
        ):
            return  # no longer ours: another sender queued it again
        outcome = postman.deliver(message, invitation.email)
        self._record(session, parcel, claim, outcome)

    def _text(self, session: Session, parcel: Parcel, token: str) -> tuple[MailText, str]:
        """The mail's text, filled in for this invitee, and the language it is written in."""
        invitation, assessment = parcel.invitation, parcel.assessment
        language = invitation.language or questionnaire_of(parcel.version).languages[0]
        written_in = mail_language(language)
        template, _ = mail_text_for(
            session, assessment=assessment, kind=parcel.mail.kind, language=written_in
        )
        text = fill(
            template,
            {
                "link": respondent_link(self.public_url, token, language),
                "assessment": assessment.name,
                "organisation": parcel.organisation.name,
                "closes": closing_date(assessment.closes_at, written_in),
                "respondent": invitation.label,
            },
        )
        return text, written_in

    def _record(self, session: Session, parcel: Parcel, claim: str, outcome: Outcome) -> None:
        now = self.clock()
        attempts = parcel.mail.attempts
        error, next_attempt_at = outcome.error, None
        if outcome.verdict == Verdict.retry and attempts < MAX_ATTEMPTS:
            status, next_attempt_at = MailStatus.queued, now + retry_delay(attempts)
        elif outcome.verdict == Verdict.retry:
            status = MailStatus.failed
            error = f"Gave up after {attempts} attempts. The last: {outcome.error}"
        else:
            status = VERDICT_STATUS[outcome.verdict]
        end_attempt(
            session,
            mail_id=parcel.mail.id,
            claim=claim,
            status=status,
            now=now,
            next_attempt_at=next_attempt_at,
            reason=outcome.reason,
            error=error,
            code=outcome.code,
        )


_NOT_SENDABLE = {
    "no_address": "Not sent: the invitation has no e-mail address any more.",
    "no_link": (
        "Not sent: the link was made under another server key and cannot be shown again. "
        "Make a new link, then send again."
    ),
}


def _not_to_send(parcel: Parcel, now: datetime) -> tuple[MailStatus, str, str] | None:
    """Why a message is no longer to be sent (the respondent submitted, the assessment
    closed), as the status, reason and words to record; None to send it."""
    assessment, invitation = parcel.assessment, parcel.invitation
    if parcel.submitted:
        return MailStatus.cancelled, "submitted", "Not sent: they submitted before it went out."
    closed = assessment.closes_at is not None and aware(assessment.closes_at) <= now
    if assessment.status != AssessmentStatus.open or closed:
        return (
            MailStatus.cancelled,
            "closed",
            "Not sent: the assessment stopped taking answers before it went out.",
        )
    if invitation.expires_at is not None and aware(invitation.expires_at) <= now:
        return MailStatus.cancelled, "expired", "Not sent: the link expired before it went out."
    return None
