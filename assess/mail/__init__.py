"""E-mail to respondents: addresses, texts, messages, and the sender that works through
the outbox in the background."""
