"""Talking to the mail server with the standard library's smtplib: one connection per
batch, and every way a delivery can end sorted into sent, try again later (the
server's 4xx, a network that failed before the server took the message), failed for
good (5xx), or interrupted (the connection broke after the message was handed over:
it may have arrived, so it is not sent again).

smtplib and email.message cover SMTP, STARTTLS, implicit TLS, AUTH and MIME; what they
leave to us is the sorting, which no mail library would do the way the outbox needs.
"""

from __future__ import annotations

import re
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from enum import StrEnum

from assess.config import Settings, SmtpTls, sender_address


class Verdict(StrEnum):
    """How one attempt to deliver a message ended."""

    sent = "sent"
    retry = "retry"  # temporary: the server said 4xx, or could not be reached
    failed = "failed"  # permanent: the server said 5xx, or the settings cannot work
    interrupted = "interrupted"  # the message may have arrived; never sent again by itself


@dataclass(frozen=True)
class Outcome:
    """The verdict on one delivery, the server's reply code and what happened, in words;
    `reason` is a short code the pages translate."""

    verdict: Verdict
    reason: str | None = None
    error: str | None = None
    code: int | None = None


SENT = Outcome(Verdict.sent)


@dataclass(frozen=True)
class MailServer:
    """Where and how to reach the mail server (from the ASSESS_SMTP_* settings)."""

    host: str
    port: int
    tls: SmtpTls
    username: str | None
    password: str | None
    timeout: float
    sender: str

    @classmethod
    def of(cls, settings: Settings) -> MailServer | None:
        """The mail server of the settings; None when no host is set."""
        if settings.smtp_host is None or settings.smtp_from is None:
            return None
        password = settings.smtp_password
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port_in_use,
            tls=settings.smtp_tls,
            username=settings.smtp_username,
            password=password.get_secret_value() if password else None,
            timeout=settings.smtp_timeout,
            sender=settings.smtp_from,
        )


class Postman:
    """Delivers messages over one connection, opened at the first message. When the
    server cannot be reached, every later message of the batch gets the same outcome
    without another wait."""

    def __init__(self, server: MailServer, context: ssl.SSLContext | None = None) -> None:
        self.server = server
        self._context = context or ssl.create_default_context()
        self._smtp: smtplib.SMTP | None = None
        self._unreachable: Outcome | None = None

    def deliver(self, message: EmailMessage, recipient: str) -> Outcome:
        """Hand one message to the server for one recipient; how that ended."""
        if self._unreachable is not None:
            return self._unreachable
        if self._smtp is None:
            try:
                self._smtp = self._connect()
            except (OSError, smtplib.SMTPException) as exc:
                self._unreachable = self._connection_outcome(exc)
                return self._unreachable
        smtp = self._smtp
        try:
            outcome = self._transaction(smtp, message, recipient)
        except (OSError, smtplib.SMTPException) as exc:
            # Broke before the message was handed over: nothing arrived.
            self.close()
            return self._connection_outcome(exc)
        if outcome.verdict != Verdict.sent:
            self._reset()
        return outcome

    def _connect(self) -> smtplib.SMTP:
        server = self.server
        smtp: smtplib.SMTP
        if server.tls == SmtpTls.tls:
            smtp = smtplib.SMTP_SSL(
                server.host, server.port, timeout=server.timeout, context=self._context
            )
        else:
            smtp = smtplib.SMTP(server.host, server.port, timeout=server.timeout)
        try:
            smtp.ehlo()
            if server.tls == SmtpTls.starttls:
                smtp.starttls(context=self._context)
                smtp.ehlo()
            if server.username is not None and server.password is not None:
                smtp.login(server.username, server.password)
        except BaseException:
            _close_quietly(smtp)
            raise
        return smtp

    def _transaction(self, smtp: smtplib.SMTP, message: EmailMessage, recipient: str) -> Outcome:
        code, reply = smtp.mail(sender_address(self.server.sender))
        if code != 250:
            return _refusal(code, reply, "sender", "The mail server refused the sender")
        code, reply = smtp.rcpt(recipient)
        if code not in (250, 251):
            return _refusal(code, reply, "refused", f"The mail server refused {recipient}")
        code, reply = smtp.docmd("DATA")
        if code != 354:
            return _refusal(code, reply, "rejected", "The mail server refused the message")
        # From here on the server may take the message whatever we hear next.
        try:
            content = message.as_bytes()
            smtp.send(_dot_stuffed(content))
            code, reply = smtp.getreply()
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            return Outcome(
                Verdict.interrupted,
                "interrupted",
                "The connection broke after the message was handed to the mail server "
                f"({_words(exc)}): it may have arrived, so it is not sent again by itself.",
            )
        if code != 250:
            return _refusal(code, reply, "rejected", "The mail server refused the message")
        return SENT

    def _connection_outcome(self, exc: BaseException) -> Outcome:
        server = f"{self.server.host}:{self.server.port}"
        if isinstance(exc, smtplib.SMTPAuthenticationError):
            return Outcome(
                Verdict.failed,
                "sign_in",
                f"The mail server {server} refused the sign-in ({exc.smtp_code} "
                f"{_text(exc.smtp_error)}): check ASSESS_SMTP_USERNAME and ASSESS_SMTP_PASSWORD.",
                exc.smtp_code,
            )
        if isinstance(exc, smtplib.SMTPNotSupportedError):
            return Outcome(
                Verdict.failed,
                "tls",
                f"The mail server {server} does not offer what the settings ask ({exc}): "
                "check ASSESS_SMTP_TLS, or unset ASSESS_SMTP_USERNAME.",
            )
        if isinstance(exc, ssl.SSLError | ssl.CertificateError):
            return Outcome(
                Verdict.failed,
                "tls",
                f"TLS with {server} failed ({_words(exc)}): check ASSESS_SMTP_TLS and the "
                "server's certificate.",
            )
        if isinstance(exc, smtplib.SMTPResponseException):
            return _refusal(
                exc.smtp_code, exc.smtp_error, "unreachable", f"The mail server {server} said"
            )
        # smtplib reports a reply that never came as a disconnection caused by a timeout.
        if isinstance(exc, TimeoutError) or isinstance(exc.__context__, TimeoutError):
            return Outcome(
                Verdict.retry,
                "timeout",
                f"The mail server {server} did not answer within {self.server.timeout:g} seconds.",
            )
        return Outcome(
            Verdict.retry,
            "unreachable",
            f"Could not reach the mail server {server}: {_words(exc)}.",
        )

    def _reset(self) -> None:
        if self._smtp is None:
            return
        try:
            self._smtp.rset()
        except (OSError, smtplib.SMTPException):
            self.close()

    def close(self) -> None:
        """Say goodbye to the server, if connected."""
        if self._smtp is not None:
            _close_quietly(self._smtp)
            self._smtp = None


def _refusal(code: int, reply: bytes | str, reason: str, what: str) -> Outcome:
    """4xx: try again later; anything else that is no success: failed for good."""
    verdict = Verdict.retry if 400 <= code < 500 else Verdict.failed
    return Outcome(verdict, reason, f"{what}: {code} {_text(reply)}", code)


def _dot_stuffed(content: bytes) -> bytes:
    """The message as DATA sends it: lines starting with a dot doubled (RFC 5321 4.5.2),
    ended by a line with a single dot."""
    stuffed = re.sub(rb"(?m)^\.", b"..", content)
    if not stuffed.endswith(b"\r\n"):
        stuffed += b"\r\n"
    return stuffed + b".\r\n"


def _text(reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    return " ".join(text.split())[:300]


def _words(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300] or type(exc).__name__


def _close_quietly(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()
