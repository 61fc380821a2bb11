"""Sending e-mail: which invitations and reminders go out, the sender that works through the
outbox in the background, and the mail server. Above persistence, which it reads and writes;
the texts it sends (assess.mail) sit below persistence."""
