"""Request and response bodies of the JSON API."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Path
from pydantic import (
    AfterValidator,
    Base64Bytes,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from assess import MAX_ADDRESS, address_problem
from assess.domain.catalogue import organisation_choices
from assess.domain.questionnaire import MAX_VERSION
from assess.persistence.models.accounts import Role
from assess.persistence.models.assessments import AssessmentKind
from assess.persistence.models.common import aware
from assess.persistence.models.jobs import JobKind, JobStatus

Name = Field(min_length=1, max_length=200)
ACCENT = r"^\s*#(?:[0-9a-fA-F]{3}){1,2}\s*$"  # the report's colour, as make_branding reads it
# A moment as the API answers it: with its offset, as RFC 3339 requires (SQLite hands back
# naive datetimes, stored in UTC).
Moment = Annotated[datetime, AfterValidator(aware)]
# RFC 3339, as `format: date-time` says: a date, a time and an offset, nothing else (not a
# number of seconds, not a date alone).
_RFC_3339 = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})", re.ASCII
)


def _rfc_3339(value: Any) -> Any:
    if isinstance(value, str) and _RFC_3339.fullmatch(value):
        return value
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value
    raise ValueError("give a date and time with its offset, like 2026-12-31T23:59:00Z")


# A moment as requests give it.
GivenMoment = Annotated[datetime, BeforeValidator(_rfc_3339)]
# A questionnaire's version as requests name it: within the database's integer column, so
# that a larger number is refused (422 naming the field) rather than failing to be stored.
VERSION_RANGE = f"A published version of the questionnaire (1 to {MAX_VERSION})."
VersionInPath = Annotated[int, Path(ge=1, le=MAX_VERSION, description=VERSION_RANGE)]


def _plain_address(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    problem = address_problem(value.strip())
    if problem is not None:
        raise ValueError(problem)
    return value.strip()


# An e-mail address that can take no header or second recipient with it; empty: none.
EmailAddress = Annotated[
    str | None,
    Field(max_length=MAX_ADDRESS, examples=["anna@example.org"]),
    AfterValidator(_plain_address),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "format": "email", "maxLength": MAX_ADDRESS},
                {"type": "string", "maxLength": 0},
                {"type": "null"},
            ],
            "description": "One plain address (local@domain, ASCII); empty or null: none.",
            "examples": ["anna@example.org"],
        }
    ),
]
LANGUAGE = r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?$"
# The languages reports and e-mails are written in.
WrittenLanguage = Literal["de", "en"]
LanguageCode = Annotated[
    str | None,
    Field(
        pattern=LANGUAGE,
        examples=["de"],
        description="The respondent's language (e-mails, the form); by default the "
        "questionnaire's first.",
    ),
]


class QuestionnaireSummary(BaseModel):
    """A questionnaire as listed: what it is, not its items."""

    id: str = Field(examples=["cx-maturity"])
    version: int = Field(examples=[1])
    languages: list[str] = Field(examples=[["de", "en"]])
    title: dict[str, str] = Field(examples=[{"de": "CX-Reifegrad", "en": "CX maturity"}])
    dimensions: list[str] = Field(examples=[["strategy", "orchestration", "tactics", "culture"]])
    items: int = Field(examples=[28])
    sha256: str = Field(description="Hash of the questionnaire file as published.")


def _values(attribute: str) -> list[str]:
    return [option.value for option in organisation_choices()[attribute]]


def _one_of(attribute: str) -> Callable[[str], str]:
    """A check that a value is one of the attribute's options, naming them if not."""
    values = _values(attribute)

    def check(value: str) -> str:
        if value not in values:
            raise PydanticCustomError(
                "not_an_option",
                "{value} is not one of the options; choose one of: {allowed}",
                {"value": repr(value), "allowed": ", ".join(values)},
            )
        return value

    return check


# The attributes peer groups are formed by take the default questionnaire's option values,
# so that every organisation lands in the groups of the others that chose the same.
Industry = Annotated[
    str,
    AfterValidator(_one_of("industry")),
    WithJsonSchema({"type": "string", "enum": _values("industry")}),
]
SizeBand = Annotated[
    str,
    AfterValidator(_one_of("size")),
    WithJsonSchema({"type": "string", "enum": _values("size")}),
]
Country = Annotated[
    str,
    AfterValidator(_one_of("country")),
    WithJsonSchema({"type": "string", "enum": _values("country")}),
]


class OrganisationAttributes(BaseModel):
    """What peer groups are formed by: option values of the default questionnaire's
    profile questions; none where not given."""

    model_config = ConfigDict(extra="forbid")
    industry: Industry | None = Field(default=None, examples=["retail"])
    size: SizeBand | None = Field(default=None, examples=["250-999"])
    country: Country | None = Field(default=None, examples=["de"])


class OrganisationCreate(OrganisationAttributes):
    """A new organisation (tenant)."""

    name: str = Field(min_length=1, max_length=200, examples=["Muster GmbH"])


class OrganisationPublic(BaseModel):
    """An organisation as the API shows it."""

    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    name: str = Field(examples=["Muster GmbH"])
    industry: str | None = Field(examples=["retail"])
    size: str | None = Field(examples=["250-999"])
    country: str | None = Field(examples=["de"])
    unmatched_attributes: dict[str, str] = Field(
        description="Values entered as free text before the attributes became choices "
        "that match no option; they count in no peer group until an option is chosen.",
        examples=[{"industry": "Lebensmittel"}],
    )
    benchmark_opt_in: bool
    created_at: Moment


class AssessmentCreate(BaseModel):
    """A new assessment of an organisation with a published questionnaire version."""

    model_config = ConfigDict(extra="forbid")
    questionnaire_id: str = Field(examples=["cx-maturity"])
    # Request fields take JSON's own types (StrictInt, StrictBool): 0 is no false and "1"
    # no number, as the schema says.
    questionnaire_version: StrictInt | None = Field(
        default=None, ge=1, le=MAX_VERSION, description="Defaults to the newest version."
    )
    name: str = Field(min_length=1, max_length=200, examples=["CX maturity 2026"])
    wave: str | None = Field(default=None, max_length=64, examples=["2026-Q4"])
    closes_at: GivenMoment | None = None
    show_own_scores: StrictBool = Field(
        default=False,
        description="Show each respondent their own scores on the thank-you page.",
    )
    kind: AssessmentKind = Field(
        default=AssessmentKind.assessment,
        description="assessment: one organisation, by invitation; study: an anonymous open "
        "survey with one public link, each respondent standing for their own organisation.",
    )


class Counts(BaseModel):
    """Response counts of an assessment."""

    invited: int
    started: int
    submitted: int
    response_rate: float | None = Field(description="submitted / invited, 0..1")


class AssessmentPublic(BaseModel):
    """An assessment with its response counts."""

    id: uuid.UUID
    organisation_id: uuid.UUID
    questionnaire_id: str
    questionnaire_version: int
    name: str
    wave: str | None
    status: str
    kind: AssessmentKind
    public_link: bool = Field(description="Whether a study has its public link.")
    show_own_scores: bool
    closes_at: Moment | None
    created_at: Moment
    counts: Counts


class PublicLink(BaseModel):
    """A study's public link, shown this once; only its hash is kept."""

    token: str
    link: str = Field(description="The page respondents open.")
    form_url: str = Field(description="The study's form in the API; POST to it to start.")


class StudyStart(BaseModel):
    """An anonymous respondent's personal link, to save and submit at `respond_url`."""

    respondent: str = Field(description="A generated label that identifies no one.")
    token: str = Field(description="Keep it to come back to your answers; shown once.")
    respond_url: str


class InvitationCreate(BaseModel):
    """One respondent to invite."""

    model_config = ConfigDict(extra="forbid")
    label: str = Field(min_length=1, max_length=200, examples=["Anna (Vertrieb)"])
    department: str | None = Field(default=None, max_length=64, examples=["sales"])
    email: EmailAddress = None
    language: LanguageCode = None


class InvitationAddress(BaseModel):
    """Where and in which language an invitation is e-mailed; what is left out stays."""

    model_config = ConfigDict(extra="forbid")
    email: EmailAddress = None
    language: LanguageCode = None


class InvitationBatch(BaseModel):
    """Respondents to invite, all or none."""

    model_config = ConfigDict(extra="forbid")
    invitations: list[InvitationCreate] = Field(min_length=1, max_length=5000)
    expires_at: GivenMoment | None = None


class InvitationPublic(BaseModel):
    """An invitation, with its link where the server's key can recompute it."""

    id: uuid.UUID
    label: str
    department: str | None
    email: str | None = None
    language: str | None = None
    expires_at: Moment | None
    token: str | None = None
    link: str | None = None


class AnswersBody(BaseModel):
    """Answers of one respondent by item id, and respondent profile answers by question id."""

    model_config = ConfigDict(extra="forbid")
    answers: dict[str, Any] = Field(default_factory=dict, examples=[{"strategy-board-kpis": 4}])
    profile: dict[str, Any] = Field(default_factory=dict, examples=[{"department": "sales"}])


class ResponseState(BaseModel):
    """Where a respondent stands."""

    status: str
    answers: dict[str, Any]
    profile: dict[str, Any]
    updated_at: Moment | None
    submitted_at: Moment | None


class UserCreate(BaseModel):
    """A new user of this instance."""

    model_config = ConfigDict(extra="forbid")
    email: str = Field(
        min_length=3, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$", examples=["ana@example.org"]
    )
    name: str = Field(default="", max_length=200, examples=["Ana Berger"])
    is_admin: StrictBool = False
    is_researcher: StrictBool = False


class UserPublic(BaseModel):
    """A user as the API shows them."""

    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    email: str
    name: str
    is_admin: bool
    is_researcher: bool


class UserCreated(UserPublic):
    """A new user with their first API key, shown this once."""

    api_key: str = Field(description="Shown once; only its hash is kept.")


class MemberSet(BaseModel):
    """Invite someone to an organisation by e-mail, or change a member's role."""

    model_config = ConfigDict(extra="forbid")
    email: str = Field(
        min_length=3, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$", examples=["ana@example.org"]
    )
    role: Role = Field(
        examples=["member"],
        description="consultant: runs the organisation's assessments; member: sees results.",
    )


class MemberPublic(BaseModel):
    """A person of an organisation."""

    user_id: uuid.UUID
    email: str
    name: str
    role: Role


class ReportRequest(BaseModel):
    """What a report looks like: its language and the consultant's branding."""

    model_config = ConfigDict(extra="forbid")
    language: WrittenLanguage | None = Field(
        default=None,
        examples=["de"],
        description="de or en; by default the questionnaire's first language.",
    )
    accent: str | None = Field(
        default=None, pattern=ACCENT, examples=["#0a7f5c"], description="#rgb or #rrggbb."
    )
    logo: Base64Bytes | None = Field(
        default=None,
        description="PNG, JPEG or self-contained SVG, base64-encoded; at most about 700 kB "
        "so that the request stays under the body limit (ASSESS_MAX_BODY_BYTES, 1 MB by "
        "default).",
    )


class ReportJobPublic(BaseModel):
    """A report (or portfolio) being made; `download_url` once it is done."""

    id: uuid.UUID
    kind: JobKind
    status: JobStatus
    language: str
    created_at: Moment
    started_at: Moment | None
    finished_at: Moment | None
    error: str | None = Field(description="Why it failed, when it did.")
    status_url: str
    download_url: str | None
