"""One e-mail as it goes out: plain text in UTF-8, built with the standard library's
EmailMessage, which encodes non-ASCII headers (RFC 2047) and refuses a line break in
any header value as a second guard behind `texts.fill`."""

from __future__ import annotations

import email.policy
import uuid
from datetime import date, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from assess.config import sender_address
from assess.domain.formatting import date_text
from assess.mail.content.texts import MailText


def compose(
    *, mail_id: uuid.UUID, sender: str, recipient: str, text: MailText, language: str, at: datetime
) -> EmailMessage:
    """The message of one outbox entry to one recipient (an address already checked)."""
    message = EmailMessage(policy=email.policy.SMTP)  # CRLF line ends, as SMTP wants
    message["From"] = _sender(sender)
    message["To"] = recipient
    message["Subject"] = text.subject
    message["Date"] = format_datetime(at)
    # One id per outbox entry: a copy delivered twice is recognisable as the same message.
    message["Message-ID"] = f"<{mail_id}@{sender_address(sender).rpartition('@')[2]}>"
    message["Auto-Submitted"] = "auto-generated"  # asks mail servers for no auto-replies
    # Quoted-printable keeps the message 7-bit: no server needs 8BITMIME for umlauts.
    message.set_content(text.body, subtype="plain", charset="utf-8", cte="quoted-printable")
    message["Content-Language"] = language  # after set_content, which drops Content-*
    return message


def _sender(sender: str) -> Address:
    address = sender_address(sender)
    name = sender[: sender.rindex("<")].strip().strip('"') if "<" in sender else ""
    local, _, domain = address.rpartition("@")
    return Address(display_name=name, username=local, domain=domain)


def closing_date(closes_at: datetime | None, language: str) -> str:
    """The closing date as respondents read it (German: "26. November 2026"); empty
    when the assessment has none."""
    if closes_at is None:
        return ""
    return date_text(date(closes_at.year, closes_at.month, closes_at.day), language)


def respondent_link(public_url: str, token: str, language: str) -> str:
    """The address of a respondent's form, opening in their language."""
    return f"{public_url}/r/{token}?lang={language}"
