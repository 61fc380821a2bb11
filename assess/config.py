"""Settings from ASSESS_* environment variables; a bad value stops the process with a message."""

from __future__ import annotations

import importlib.resources
import secrets
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Literal, Self

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from assess import K_DEFAULT, address_problem
from assess import config_checks as checks


def bundled(folder: str) -> Path:
    """A folder shipped inside the package: migrations, questionnaires, report_templates."""
    return Path(str(importlib.resources.files(f"assess.{folder}")))


class SmtpTls(StrEnum):
    """How the connection to the mail server is protected."""

    none = "none"  # plain SMTP: only for a relay on this machine or a trusted network
    starttls = "starttls"  # plain connection, then STARTTLS (submission, port 587)
    tls = "tls"  # TLS from the first byte (port 465)


DEFAULT_SMTP_PORTS = {SmtpTls.none: 25, SmtpTls.starttls: 587, SmtpTls.tls: 465}


class Settings(BaseSettings):
    """Everything the service can be configured with."""

    model_config = SettingsConfigDict(env_prefix="ASSESS_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default="sqlite:///./assess.db",
        description="SQLAlchemy URL: sqlite:///path.db (default) or postgresql+psycopg://…",
    )
    database_pool_size: int = Field(
        default=40,
        ge=1,
        le=1000,
        description="Database connections kept open: one per worker thread (40) by default.",
    )
    questionnaires_dir: Path = Field(
        default_factory=lambda: bundled("questionnaires"),
        description="Folder of questionnaire YAML files served and loaded by default.",
    )
    report_templates_dir: Path = Field(
        default_factory=lambda: bundled("report_templates"),
        description="Folder of the report's template (report.html.j2) and stylesheet.",
    )
    report_workers: int = Field(
        default=2,
        ge=1,
        le=64,
        description="Processes that render reports (each peaks at about 145 MB resident).",
    )
    render_niceness: int = Field(
        default=10,
        ge=0,
        le=19,
        description="Steps of CPU priority (nice) below the web or job worker process that "
        "rendering processes run at, so that requests are served first on busy cores; 0 "
        "renders at the same priority.",
    )
    job_attempts: int = Field(
        default=3,
        ge=1,
        le=10,
        description="Times a job (report, export, score snapshot) is tried when it fails on "
        "our side; a request that cannot be met fails at once.",
    )
    job_backoff_seconds: float = Field(
        default=2,
        gt=0,
        le=600,
        description="Wait before a job's second attempt; each later wait is twice as long.",
    )
    job_stalled_seconds: float = Field(
        default=30,
        ge=1,
        le=3600,
        description="A job worker (`assess worker`, PostgreSQL) that has not sent a heartbeat "
        "for this long is taken for dead, and its jobs run again on another worker.",
    )
    benchmark_k: int = Field(
        default=K_DEFAULT,
        description="Fewest organisations (respondents, in a study) a figure may describe.",
    )
    secret_key: SecretStr | None = Field(
        default=None,
        min_length=16,
        description=(
            "Key that signs form tokens and derives respondents' links, so they can be "
            "shown again. Unset, with a SQLite file it is made once and kept beside the "
            "database (`<database>.key`); otherwise each process makes a random one at "
            "start, which suits one process only (`assess serve` and `assess worker` on "
            "PostgreSQL refuse to start without it): set it when several processes serve "
            "the same pages, and keep it, or links made under it cannot be shown again "
            "(they still work)."
        ),
    )
    rate_limits: bool = Field(
        default=True,
        description=(
            "Whether to answer 429 (with Retry-After) past the ASSESS_RATE_LIMIT_* counts; "
            "false counts nothing (for a proxy in front that limits already)."
        ),
    )
    rate_limit_window: int = Field(
        default=60,
        ge=1,
        le=86_400,
        description="Seconds of each window the rate limits count requests in.",
    )
    rate_limit_per_link: int = Field(
        default=300,
        ge=1,
        description=(
            "Requests per window to one respondent's link (pages, saves, submits): the "
            "form saves on every change, two requests each, so 300 a minute leaves room "
            "for the quickest clicker."
        ),
    )
    rate_limit_per_address: int = Field(
        default=12_000,
        ge=1,
        description=(
            "Requests per window to respondents' links and study links from one client "
            "address: 200 respondents behind one company's address, 60 a minute each."
        ),
    )
    rate_limit_sign_in_per_address: int = Field(
        default=30,
        ge=1,
        description="Sign-in attempts per window from one client address, right or wrong.",
    )
    rate_limit_bad_api_keys_per_address: int = Field(
        default=30,
        ge=1,
        description="API requests per window with a wrong or revoked key from one address.",
    )
    max_body_bytes: int = Field(
        default=1_000_000,
        ge=1_000,
        le=1_000_000_000,
        description="Largest request body accepted, in bytes (413 beyond).",
    )
    log_format: Literal["json", "console"] = Field(
        default="json",
        description="Logs as one JSON object per line (json), or readable lines (console).",
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    public_url: str | None = Field(
        default=None,
        description=(
            "The address respondents open, like https://assess.example.org: the start "
            "of the links in e-mails. Needed to send e-mail."
        ),
    )
    smtp_host: str | None = Field(
        default=None, description="Mail server that sends invitations; unset, none are sent."
    )
    smtp_port: int | None = Field(
        default=None, ge=1, le=65535, description="Default: 25, 587 or 465 by ASSESS_SMTP_TLS."
    )
    smtp_username: str | None = Field(default=None, min_length=1, max_length=320)
    smtp_password: SecretStr | None = Field(default=None, min_length=1)
    smtp_from: str | None = Field(
        default=None,
        description="Sender of the e-mails: an address, or a name and address "
        "(`CX-Erhebung <cx@example.org>`).",
    )
    smtp_tls: SmtpTls = Field(default=SmtpTls.starttls)
    smtp_timeout: float = Field(
        default=30, gt=0, le=600, description="Seconds to wait for the mail server."
    )

    @field_validator("database_url")
    @classmethod
    def _database_is_sqlite_or_postgresql(cls, value: str) -> str:
        return checks.database_url(value)

    @field_validator("host")
    @classmethod
    def _host_is_an_address(cls, value: str) -> str:
        return checks.listen_address(value)

    @field_validator("benchmark_k")
    @classmethod
    def _k_protects_anonymity(cls, value: int) -> int:
        return checks.benchmark_k(value)

    @field_validator("questionnaires_dir", "report_templates_dir")
    @classmethod
    def _must_be_a_folder(cls, value: Path) -> Path:
        return checks.folder(value)

    @field_validator("public_url")
    @classmethod
    def _public_url_is_an_address(cls, value: str | None) -> str | None:
        return checks.public_url(value)

    @field_validator("smtp_host")
    @classmethod
    def _host_is_one_name(cls, value: str | None) -> str | None:
        return checks.mail_server(value)

    @field_validator("smtp_from")
    @classmethod
    def _from_is_one_address(cls, value: str | None) -> str | None:
        if value is None:
            return None
        problem = address_problem(sender_address(value))
        if problem is not None or "\n" in value or "\r" in value:
            raise ValueError(
                f"ASSESS_SMTP_FROM: {problem or 'it holds a line break'}; give an address "
                "like cx@example.org or a name and address like 'CX-Erhebung <cx@example.org>'"
            )
        return value.strip()

    @model_validator(mode="after")
    def _mail_settings_fit_together(self) -> Self:
        checks.check_mail_settings(self)
        return self

    @property
    def smtp_port_in_use(self) -> int:
        """The mail server's port: as set, else the usual one for the TLS mode."""
        return self.smtp_port or DEFAULT_SMTP_PORTS[self.smtp_tls]


def sender_address(value: str) -> str:
    """The bare address of a sender written as an address or as `Name <address>`."""
    value = value.strip()
    if value.endswith(">") and "<" in value:
        return value[value.rindex("<") + 1 : -1].strip()
    return value


def secret_key_of(settings: Settings) -> str:
    """The server's key: as set, else kept in a file beside a SQLite database (made on
    first use, readable by its owner only), else a random one for this process."""
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value()
    from sqlalchemy.engine import make_url  # here: rendering processes import settings

    url = make_url(settings.database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return secrets.token_urlsafe(32)
    return checks.key_kept_in(Path(f"{url.database}.key"))


@lru_cache
def get_settings() -> Settings:
    """The process's settings, read once."""
    return Settings()
