"""The wording the service ships, in German and English, for invitations and reminders.
An organisation or an assessment may replace any of them (see assess/mail/content/texts.py)."""

from __future__ import annotations

from assess.mail.content.kinds import MailKind
from assess.mail.content.texts import MailText

DEFAULTS: dict[tuple[MailKind, str], MailText] = {
    (MailKind.invitation, "de"): MailText(
        "Ihre Einladung: {assessment}",
        """Guten Tag,

{organisation} lädt Sie zur Erhebung „{assessment}“ ein. Ihr persönlicher Link:

{link}

Der Link gilt nur für Sie; bitte geben Sie ihn nicht weiter. Sie können jederzeit
unterbrechen und später mit demselben Link weitermachen, auch auf einem anderen Gerät.

Bitte antworten Sie bis zum {closes}.

Vielen Dank für Ihre Zeit!
""",
    ),
    (MailKind.invitation, "en"): MailText(
        "Your invitation: {assessment}",
        """Hello,

{organisation} invites you to the assessment "{assessment}". Your personal link:

{link}

The link is yours alone; please do not pass it on. You can stop at any time and carry
on later with the same link, on another device too.

Please answer by {closes}.

Thank you for your time!
""",
    ),
    (MailKind.reminder, "de"): MailText(
        "Erinnerung: {assessment}",
        """Guten Tag,

vor Kurzem hat {organisation} Sie zur Erhebung „{assessment}“ eingeladen. Ihre
Antworten fehlen noch. Mit Ihrem persönlichen Link geht es dort weiter, wo Sie
aufgehört haben:

{link}

Die Erhebung läuft bis zum {closes}.

Vielen Dank!
""",
    ),
    (MailKind.reminder, "en"): MailText(
        "Reminder: {assessment}",
        """Hello,

{organisation} recently invited you to the assessment "{assessment}", and your answers
are still missing. Your personal link takes you back to where you left off:

{link}

The assessment is open until {closes}.

Thank you!
""",
    ),
}
