"""Database tables. Every query on them lives in assess/repository/."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    Float,
    Index,
    LargeBinary,
    MetaData,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Column, Field, SQLModel

# Named constraints, so migrations can alter them on SQLite (batch mode) and PostgreSQL.
SQLModel.metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

JsonType = JSON().with_variant(JSONB(), "postgresql")


def utcnow() -> datetime:
    """Now, in UTC, with its time zone."""
    return datetime.now(UTC)


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _timestamp(nullable: bool = False, **extra: Any) -> Any:
    return Field(
        default_factory=utcnow if not nullable else None,
        sa_type=DateTime(timezone=True),
        nullable=nullable,
        **extra,
    )


class Role(StrEnum):
    """What a user may do within one organisation."""

    consultant = "consultant"
    member = "member"


class AssessmentStatus(StrEnum):
    """An assessment collects answers only while open."""

    draft = "draft"
    open = "open"
    closed = "closed"


class AssessmentKind(StrEnum):
    """An assessment of one organisation by invitation, or an anonymous open study in which
    every respondent stands for their own organisation."""

    assessment = "assessment"
    study = "study"


class ResponseStatus(StrEnum):
    """A response can be saved any number of times until it is submitted, once."""

    in_progress = "in_progress"
    submitted = "submitted"


class JobStatus(StrEnum):
    """Where a background job stands: waiting, at work, or finished either way."""

    queued = "queued"
    running = "running"
    done = "done"
    failed = "failed"


class JobKind(StrEnum):
    """What a report job makes: one assessment's PDF, or a consultant's portfolio ZIP."""

    report = "report"
    portfolio = "portfolio"


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


class Organisation(SQLModel, table=True):
    """A tenant: a company assessing itself, or a consultant's client."""

    __tablename__ = "organisations"
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(max_length=200)
    industry: str | None = Field(default=None, max_length=64)
    size: str | None = Field(default=None, max_length=64)
    country: str | None = Field(default=None, max_length=64)
    # Attribute -> a value typed before attributes became choices that matches no option;
    # kept so that someone chooses one, and counted in no peer group meanwhile.
    unmatched_attributes: dict[str, str] = Field(
        default_factory=dict,
        sa_column=Column(JsonType, nullable=False, server_default="{}"),
    )
    benchmark_opt_in: bool = False
    # Made by `assess demo generate`: compared only with other demo organisations.
    is_demo: bool = False
    created_at: datetime = _timestamp()


class User(SQLModel, table=True):
    """A person who signs in: an admin, a consultant or member, or a researcher."""

    __tablename__ = "users"
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    email: str = Field(max_length=320, unique=True)
    name: str = Field(default="", max_length=200)
    is_admin: bool = False
    is_researcher: bool = False
    password_hash: str | None = Field(default=None, max_length=200)
    created_at: datetime = _timestamp()


class WebSession(SQLModel, table=True):
    """A signed-in browser: the cookie holds the token, the table only its hash, so a
    session ends everywhere at once (sign-out, or a new password) and any web worker
    can read it."""

    __tablename__ = "web_sessions"
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = _timestamp()
    expires_at: datetime = _timestamp()


class SignInFailure(SQLModel, table=True):
    """A failed sign-in, under the hash of what it was counted by (an e-mail, an
    address): recent ones make further attempts wait."""

    __tablename__ = "sign_in_failures"
    __table_args__ = (Index("ix_sign_in_failures_key_at", "key_hash", "at"),)
    id: int | None = Field(default=None, primary_key=True)
    key_hash: str = Field(max_length=64)
    at: datetime = _timestamp()


class RequestCount(SQLModel, table=True):
    """Requests counted under the hash of a key (a link, an address) in one fixed window
    of time, for rate limits every web worker shares. On PostgreSQL the table is
    unlogged: a lost count after a crash costs nothing, and commits need no flush."""

    __tablename__ = "request_counts"
    key_hash: str = Field(max_length=64, primary_key=True)
    window_start: int = Field(primary_key=True)  # seconds since the epoch
    count: int = Field(default=0)


class Membership(SQLModel, table=True):
    """A user's role in one organisation."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "organisation_id"),)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    organisation_id: uuid.UUID = Field(
        foreign_key="organisations.id", ondelete="CASCADE", index=True
    )
    role: Role = Field(max_length=20)


class MembershipInvitation(SQLModel, table=True):
    """An invitation to join an organisation, addressed to an e-mail: the Membership
    exists only once its owner (the user with that e-mail) accepts. Accepted or declined,
    it is deleted (the audit log keeps that it was); only the hash of its token is kept."""

    __tablename__ = "membership_invitations"
    __table_args__ = (UniqueConstraint("organisation_id", "email"),)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    organisation_id: uuid.UUID = Field(
        foreign_key="organisations.id", ondelete="CASCADE", index=True
    )
    email: str = Field(max_length=320, index=True)  # lower case, as users' e-mails are
    role: Role = Field(max_length=20)
    invited_by_id: uuid.UUID | None = Field(
        default=None, foreign_key="users.id", ondelete="SET NULL", index=True
    )
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = _timestamp()
    expires_at: datetime = _timestamp()


class ApiKey(SQLModel, table=True):
    """A bearer key: its prefix is shown and looked up, its secret only stored hashed."""

    __tablename__ = "api_keys"
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    prefix: str = Field(max_length=32, unique=True)
    secret_hash: str = Field(max_length=64)
    name: str = Field(default="", max_length=200)
    created_at: datetime = _timestamp()
    revoked_at: datetime | None = _timestamp(nullable=True)
    last_used_at: datetime | None = _timestamp(nullable=True)


class QuestionnaireVersion(SQLModel, table=True):
    """A questionnaire file as published; immutable once an assessment uses it."""

    __tablename__ = "questionnaire_versions"
    __table_args__ = (UniqueConstraint("questionnaire_id", "version"),)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    questionnaire_id: str = Field(max_length=64, index=True)
    version: int
    source: str = Field(sa_type=Text)
    sha256: str = Field(max_length=64)
    created_at: datetime = _timestamp()


class Assessment(SQLModel, table=True):
    """One organisation answering one questionnaire version, in one wave."""

    __tablename__ = "assessments"
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    organisation_id: uuid.UUID = Field(
        foreign_key="organisations.id", ondelete="CASCADE", index=True
    )
    questionnaire_version_id: uuid.UUID = Field(foreign_key="questionnaire_versions.id")
    name: str = Field(max_length=200)
    wave: str | None = Field(default=None, max_length=64)
    status: AssessmentStatus = Field(default=AssessmentStatus.draft, max_length=20)
    kind: AssessmentKind = Field(default=AssessmentKind.assessment, max_length=20)
    # A study's one public link; only its hash is kept, like invitation tokens.
    public_link_hash: str | None = Field(default=None, max_length=64, unique=True)
    # Whether each respondent sees their own scores on the thank-you page.
    show_own_scores: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # Whether respondents may change the department their invitation assigned.
    departments_changeable: bool = Field(
        default=False, sa_column_kwargs={"server_default": false()}
    )
    # Departments merged into one group for the results: [{"name": ..., "departments":
    # [value, ...]}, ...] (see assess/domain/merging.py); None: none merged.
    department_groups: list[dict[str, Any]] | None = Field(
        default=None, sa_column=Column(JsonType, nullable=True)
    )
    closes_at: datetime | None = _timestamp(nullable=True)
    created_at: datetime = _timestamp()
    opened_at: datetime | None = _timestamp(nullable=True)
    closed_at: datetime | None = _timestamp(nullable=True)


class Invitation(SQLModel, table=True):
    """A respondent's personal link; only the hash of its token is kept."""

    __tablename__ = "invitations"
    __table_args__ = (UniqueConstraint("assessment_id", "label"),)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    assessment_id: uuid.UUID = Field(foreign_key="assessments.id", ondelete="CASCADE", index=True)
    label: str = Field(max_length=200)
    department: str | None = Field(default=None, max_length=64)
    token_hash: str = Field(max_length=64, unique=True)
    # With the server's key, derives the link's token (security.link_token); None for
    # links made before, which cannot be shown again.
    link_salt: str | None = Field(default=None, max_length=32)
    expires_at: datetime | None = _timestamp(nullable=True)
    created_at: datetime = _timestamp()
    # Where the invitation is e-mailed; never part of a research export.
    email: str | None = Field(default=None, max_length=254)
    # The respondent's language for e-mails and the link; None: the questionnaire's first.
    language: str | None = Field(default=None, max_length=16)


class Response(SQLModel, table=True):
    """A respondent's answers: one row per invitation (a unique constraint, not a check)."""

    __tablename__ = "responses"
    __table_args__ = (UniqueConstraint("assessment_id", "respondent"),)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    assessment_id: uuid.UUID = Field(foreign_key="assessments.id", ondelete="CASCADE", index=True)
    invitation_id: uuid.UUID | None = Field(
        default=None, foreign_key="invitations.id", ondelete="CASCADE", unique=True
    )
    respondent: str = Field(max_length=200)
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JsonType))
    profile: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JsonType))
    status: ResponseStatus = Field(default=ResponseStatus.in_progress, max_length=20)
    idempotency_key: str | None = Field(default=None, max_length=200)
    created_at: datetime = _timestamp()
    updated_at: datetime = _timestamp()
    submitted_at: datetime | None = _timestamp(nullable=True)


class ScoreSnapshot(SQLModel, table=True):
    """The scores of an assessment as they stood when it closed."""

    __tablename__ = "score_snapshots"
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    assessment_id: uuid.UUID = Field(foreign_key="assessments.id", ondelete="CASCADE", unique=True)
    result: dict[str, Any] = Field(sa_column=Column(JsonType, nullable=False))
    created_at: datetime = _timestamp()


class ResultRelease(SQLModel, table=True):
    """What anyone but the assessment's own consultants may see of its results, as it
    stood when released: which submitted responses it counts and which of their groups
    and crossings it shows (see assess/domain/disclosure.py). A new release is made only
    once at least k responses have come since the last one, and never changes."""

    __tablename__ = "result_releases"
    __table_args__ = (UniqueConstraint("assessment_id", "seq"),)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    assessment_id: uuid.UUID = Field(foreign_key="assessments.id", ondelete="CASCADE", index=True)
    seq: int
    k: int
    # Ids of the responses counted, in the order they were submitted.
    responses: list[str] = Field(sa_column=Column(JsonType, nullable=False))
    # [[question, value], ...] of the groups shown, [[question, question], ...] crossed.
    groups: list[list[str]] = Field(sa_column=Column(JsonType, nullable=False))
    crossings: list[list[str]] = Field(sa_column=Column(JsonType, nullable=False))
    # The departments merged when it was made (its groups are of these); None: none.
    department_groups: list[dict[str, Any]] | None = Field(
        default=None, sa_column=Column(JsonType, nullable=True)
    )
    created_at: datetime = _timestamp()


class ReportJob(SQLModel, table=True):
    """A report (or a portfolio of reports) being rendered, and the file once it is made.

    The file lives in the database, so any web process can hand it out.
    """

    __tablename__ = "report_jobs"
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    kind: JobKind = Field(default=JobKind.report, max_length=20)
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    assessment_id: uuid.UUID | None = Field(
        default=None, foreign_key="assessments.id", ondelete="CASCADE", index=True
    )
    language: str = Field(max_length=8)
    accent: str | None = Field(default=None, max_length=16)
    logo: bytes | None = Field(default=None, sa_type=LargeBinary)
    # A portfolio's chosen clients (organisation ids); None: every one the user serves.
    organisations: list[str] | None = Field(default=None, sa_column=Column(JsonType, nullable=True))
    status: JobStatus = Field(default=JobStatus.queued, max_length=20)
    error: str | None = Field(default=None, sa_type=Text)
    media_type: str | None = Field(default=None, max_length=64)
    filename: str | None = Field(default=None, max_length=200)
    content: bytes | None = Field(default=None, sa_type=LargeBinary)
    attempts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    failure: str | None = Field(
        default=None, sa_type=Text, description="What went wrong on our side, for operators."
    )
    created_at: datetime = _timestamp()
    started_at: datetime | None = _timestamp(nullable=True)
    finished_at: datetime | None = _timestamp(nullable=True)


class SavedBranding(SQLModel, table=True):
    """A consultant's branding for their reports and portfolios: an accent colour and,
    if given, a logo (checked by assess.reporting.branding before it is kept). A draft is
    what is being previewed; the saved one is used until the draft is saved over it."""

    __tablename__ = "brandings"
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True)
    draft: bool = Field(default=False, primary_key=True)
    accent: str = Field(max_length=16)
    logo: bytes | None = Field(default=None, sa_type=LargeBinary)
    updated_at: datetime = _timestamp()


class ExportJob(SQLModel, table=True):
    """A research export being written to a file, which is kept in `export_chunks`, so
    any web process can hand it out."""

    __tablename__ = "export_jobs"
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    questionnaire_version_id: uuid.UUID = Field(
        foreign_key="questionnaire_versions.id", ondelete="CASCADE"
    )
    format: str = Field(max_length=20)
    language: str = Field(max_length=8)
    labels: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    status: JobStatus = Field(default=JobStatus.queued, max_length=20)
    error: str | None = Field(default=None, sa_type=Text)
    failure: str | None = Field(default=None, sa_type=Text)
    attempts: int = Field(default=0)
    media_type: str | None = Field(default=None, max_length=100)
    filename: str | None = Field(default=None, max_length=200)
    size: int | None = Field(default=None)
    created_at: datetime = _timestamp()
    started_at: datetime | None = _timestamp(nullable=True)
    finished_at: datetime | None = _timestamp(nullable=True)


class ExportChunk(SQLModel, table=True):
    """One piece (about 1 MB) of an export's file, in order of `seq`."""

    __tablename__ = "export_chunks"
    job_id: uuid.UUID = Field(foreign_key="export_jobs.id", ondelete="CASCADE", primary_key=True)
    seq: int = Field(primary_key=True)
    data: bytes = Field(sa_type=LargeBinary)


# A pool entry's scores: an array PostgreSQL can order and take percentiles of; JSON in SQLite.
ScoresType = JSON().with_variant(ARRAY(Float(precision=53)), "postgresql")


class BenchmarkEntry(SQLModel, table=True):
    """One closed assessment of an organisation that takes part in benchmarks: its scores
    (overall first, then the levels by id) and the organisation's attributes. Only the
    newest entry per organisation and pool is `current`, and only current entries count."""

    __tablename__ = "benchmark_entries"
    __table_args__ = (
        Index("ix_benchmark_entries_industry", "pool_key", "current", "industry", "size"),
        Index("ix_benchmark_entries_size", "pool_key", "current", "size"),
        Index("ix_benchmark_entries_country", "pool_key", "current", "country"),
        Index("ix_benchmark_entries_organisation", "organisation_id", "pool_key"),
    )
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    pool_key: str = Field(max_length=32)
    assessment_id: uuid.UUID = Field(foreign_key="assessments.id", ondelete="CASCADE", unique=True)
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id", ondelete="CASCADE")
    industry: str | None = Field(default=None, max_length=64)
    size: str | None = Field(default=None, max_length=64)
    country: str | None = Field(default=None, max_length=64)
    closed_at: datetime = _timestamp()
    current: bool = False
    scores: list[float] = Field(sa_column=Column(ScoresType, nullable=False))


class PeerGroupFigures(SQLModel, table=True):
    """A peer group of one pool as last refreshed: how many organisations, whether it may
    be shown (under which k) and why not, and each score's distribution (float64, one row
    of `points` per score in the pool's order)."""

    __tablename__ = "peer_group_figures"
    pool_key: str = Field(max_length=32, primary_key=True)
    kind: str = Field(max_length=20, primary_key=True)
    key: str = Field(max_length=1000, primary_key=True)  # JSON list of the group's values
    organisations: int
    shown: bool
    near: str | None = Field(default=None, max_length=1000)  # kind and key, for the reason
    k: int
    points: bytes = Field(sa_type=LargeBinary)
    updated_at: datetime = _timestamp()


class MailTemplate(SQLModel, table=True):
    """An organisation's or one assessment's own wording of one kind of e-mail in one
    language. An assessment's applies before its organisation's, and that before the
    wording the service ships."""

    __tablename__ = "mail_templates"
    __table_args__ = (
        UniqueConstraint("organisation_id", "kind", "language"),
        UniqueConstraint("assessment_id", "kind", "language"),
        CheckConstraint("(organisation_id IS NULL) <> (assessment_id IS NULL)", name="one_owner"),
    )
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    organisation_id: uuid.UUID | None = Field(
        default=None, foreign_key="organisations.id", ondelete="CASCADE"
    )
    assessment_id: uuid.UUID | None = Field(
        default=None, foreign_key="assessments.id", ondelete="CASCADE"
    )
    kind: MailKind = Field(max_length=20)
    language: str = Field(max_length=16)
    subject: str = Field(max_length=300)
    body: str = Field(sa_type=Text)
    updated_at: datetime = _timestamp()


class OutboxMail(SQLModel, table=True):
    """One e-mail to one respondent, from queued to sent (or why not).

    (invitation, kind, round) is unique: a second request for the same message finds it
    there, so nobody gets a second copy. Its text is composed when it is sent, from the
    template then in force; the link in it is never stored.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("invitation_id", "kind", "round"),
        Index("ix_outbox_due", "status", "next_attempt_at"),
    )
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    invitation_id: uuid.UUID = Field(foreign_key="invitations.id", ondelete="CASCADE")
    assessment_id: uuid.UUID = Field(foreign_key="assessments.id", ondelete="CASCADE", index=True)
    kind: MailKind = Field(max_length=20)
    round: int = 0  # invitations: 0, then one more per explicit resend; reminders: 1, 2, …
    status: MailStatus = Field(default=MailStatus.queued, max_length=20)
    attempts: int = 0
    next_attempt_at: datetime = _timestamp()
    # Which sender holds it: a claim token, and when it was claimed and handed to the
    # mail server (see assess/mail/sender.py for what a stopped sender leaves).
    claim: str | None = Field(default=None, max_length=32)
    claimed_at: datetime | None = _timestamp(nullable=True)
    handed_at: datetime | None = _timestamp(nullable=True)
    recipient: str | None = Field(default=None, max_length=254)
    language: str | None = Field(default=None, max_length=16)
    subject: str | None = Field(default=None, max_length=300)
    smtp_code: int | None = None
    reason: str | None = Field(default=None, max_length=32)  # a code the pages translate
    error: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = _timestamp()
    sent_at: datetime | None = _timestamp(nullable=True)


class AuditEntry(SQLModel, table=True):
    """One action of someone who runs the service: who (their id and e-mail as they were
    then, or `cli`), what, on which object, when, and the request it came with. Targets
    are named by type and id without foreign keys, so the log outlives what it names;
    details never hold a respondent's answers or address."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_action_at", "action", "at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _timestamp()
    actor_id: uuid.UUID | None = Field(default=None, index=True)
    actor: str = Field(max_length=320)
    action: str = Field(max_length=64)
    target_type: str = Field(max_length=32)
    target_id: str | None = Field(default=None, max_length=64, index=True)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JsonType, nullable=False))
    request_id: str | None = Field(default=None, max_length=128)
