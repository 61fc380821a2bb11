"""The checks an ASSESS_* value passes before the service starts, and the server's key file.

Each check returns the value as the service uses it or raises ValueError with a message
that names the variable and says what to write instead; Settings calls them.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from assess import K_DEFAULT, K_MINIMUM

LOOPBACK = ("127.0.0.1", "::1", "localhost")
# SQLAlchemy URL schemes of the databases the service runs on (psycopg 3 for PostgreSQL).
DATABASE_SCHEMES = ("sqlite", "sqlite+pysqlite", "postgresql+psycopg")
# Settings that mean nothing without ASSESS_SMTP_HOST.
MAIL_SETTINGS = (
    "smtp_port",
    "smtp_username",
    "smtp_password",
    "smtp_from",
    "smtp_tls",
    "smtp_timeout",
)


def database_url(value: str) -> str:
    """A SQLite or PostgreSQL URL, with postgres:// written as SQLAlchemy reads it."""
    value = value.strip()
    scheme, separator, rest = value.partition("://")
    if scheme in ("postgres", "postgresql"):  # as hosting providers write it
        scheme, value = "postgresql+psycopg", f"postgresql+psycopg://{rest}"
    if not separator or scheme not in DATABASE_SCHEMES:
        given = f"starts with {scheme}://, a database assess does not use"
        raise ValueError(
            f"ASSESS_DATABASE_URL {given if separator else 'is no URL'}; give "
            "sqlite:///path/to/assess.db or "
            "postgresql+psycopg://user:password@host:5432/database"
        )
    try:
        urlsplit(value).port  # noqa: B018  # a port that is no number raises here
    except ValueError:
        raise ValueError(
            "ASSESS_DATABASE_URL has a port that is no number from 1 to 65535; "
            "write it as host:5432"
        ) from None
    return value


def listen_address(value: str) -> str:
    """The address to listen on: one word, no spaces."""
    if not value.strip() or any(c.isspace() for c in value.strip()):
        raise ValueError(
            f"ASSESS_HOST is '{value}'; give the address to listen on, "
            "like 127.0.0.1 or 0.0.0.0 (every interface)"
        )
    return value.strip()


def benchmark_k(value: int) -> int:
    """A k no lower than the least that keeps organisations anonymous."""
    if value < K_MINIMUM:
        raise ValueError(
            f"ASSESS_BENCHMARK_K is {value}; figures of fewer than {K_MINIMUM} "
            "organisations (or study respondents) could identify them: set it to "
            f"{K_MINIMUM} or more (default {K_DEFAULT})"
        )
    return value


def folder(value: Path) -> Path:
    """A path that is a folder."""
    if not value.is_dir():
        raise ValueError(f"{value} is not a folder")
    return value


def public_url(value: str | None) -> str | None:
    """The http(s) address respondents open, without a trailing slash."""
    if value is None:
        return None
    parts = urlsplit(value.strip())
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.username is not None
        or parts.query
        or parts.fragment
    ):
        raise ValueError(
            f"ASSESS_PUBLIC_URL is '{value}'; give the address respondents open, "
            "like https://assess.example.org (http or https, no query)"
        )
    return value.strip().rstrip("/")


def mail_server(value: str | None) -> str | None:
    """One host name or address of the mail server."""
    if value is not None and (not value.strip() or any(c.isspace() for c in value.strip())):
        raise ValueError(f"ASSESS_SMTP_HOST is '{value}'; give one host name or address")
    return value.strip() if value else value


class MailSettings(Protocol):
    """The settings that say how e-mail is sent."""

    @property
    def model_fields_set(self) -> set[str]:
        """The names of the settings that were given, not left at their defaults."""

    @property
    def smtp_host(self) -> str | None:
        """The mail server's host name or address; None sends no mail."""

    @property
    def smtp_username(self) -> str | None:
        """The name to sign in to the mail server with, if it asks for one."""

    @property
    def smtp_password(self) -> object | None:
        """The password to sign in to the mail server with, if it asks for one."""

    @property
    def smtp_tls(self) -> str:
        """How the connection to the mail server is encrypted: starttls, tls or none."""

    @property
    def smtp_from(self) -> str | None:
        """The address e-mails are sent from."""

    @property
    def public_url(self) -> str | None:
        """The address respondents open, which e-mails link to."""


def check_mail_settings(settings: MailSettings) -> None:
    """Raise ValueError unless the mail settings are all unset or enough to send safely."""
    if settings.smtp_host is None:
        stray = [
            f"ASSESS_{name.upper()}"
            for name in MAIL_SETTINGS
            if name in settings.model_fields_set and getattr(settings, name) is not None
        ]
        if stray:
            raise ValueError(
                f"{', '.join(stray)} {'is' if len(stray) == 1 else 'are'} set but "
                "ASSESS_SMTP_HOST is not: set the mail server's host, or unset them"
            )
        return
    if (settings.smtp_username is None) != (settings.smtp_password is None):
        given, missing = (
            ("USERNAME", "PASSWORD") if settings.smtp_password is None else ("PASSWORD", "USERNAME")
        )
        raise ValueError(
            f"ASSESS_SMTP_{given} is set but ASSESS_SMTP_{missing} is not: "
            "the mail server needs both to sign in, or neither"
        )
    if (
        settings.smtp_username is not None
        and settings.smtp_tls == "none"
        and settings.smtp_host not in LOOPBACK
    ):
        raise ValueError(
            f"ASSESS_SMTP_TLS=none would send the password to {settings.smtp_host} "
            "unencrypted: use starttls or tls"
        )
    if settings.smtp_from is None:
        raise ValueError(
            "ASSESS_SMTP_HOST is set but ASSESS_SMTP_FROM is not: set the sender, "
            "like cx@example.org"
        )
    if settings.public_url is None:
        raise ValueError(
            "ASSESS_SMTP_HOST is set but ASSESS_PUBLIC_URL is not: e-mails need the "
            "address respondents open for their links, like https://assess.example.org"
        )


def key_kept_in(path: Path) -> str:
    """The key in the file at path, made there on first use (readable by its owner only);
    a random one for this process if the file cannot be made."""
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    key = secrets.token_urlsafe(32)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        return path.read_text().strip()
    except OSError as exc:  # no such folder, or not ours: /readyz tells about the database
        logging.getLogger("assess").warning(
            "cannot keep the server's key in %s (%s); using one for this process only",
            path,
            exc.strerror,
        )
        return key
    with os.fdopen(descriptor, "w") as file:
        file.write(key + "\n")
    return key
