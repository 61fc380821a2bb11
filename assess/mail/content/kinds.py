"""What an e-mail to a respondent is and where it stands in the outbox: words the texts,
the outbox's table and the sender share."""

from __future__ import annotations

from enum import StrEnum


class MailKind(StrEnum):
    """What an e-mail to a respondent is: their invitation, or a reminder to answer."""

    invitation = "invitation"
    reminder = "reminder"


class MailStatus(StrEnum):
    """Where an e-mail in the outbox stands.

    `interrupted`: handed to the mail server, but the process stopped before it heard
    whether the server took it; it may have arrived, and is never sent again on its own
    (nobody gets a second copy). `cancelled`: not sent, because the respondent submitted
    or the assessment closed first.
    """

    queued = "queued"
    sending = "sending"
    sent = "sent"
    failed = "failed"
    interrupted = "interrupted"
    cancelled = "cancelled"
