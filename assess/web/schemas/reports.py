"""The API's bodies about reports: what one looks like and how making it goes."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import Base64Bytes, BaseModel, ConfigDict, Field

from assess.persistence.models.jobs import JobKind, JobStatus
from assess.web.schemas.fields import Moment, WrittenLanguage

ACCENT = r"^\s*#(?:[0-9a-fA-F]{3}){1,2}\s*$"  # the report's colour, as make_branding reads it


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
    view: Literal["answered", "workshop"] = Field(
        default="answered",
        description="answered: the answers as given; workshop: after the consensus "
        "workshop, each consensus answer counted as every respondent's answer to its item "
        "(the report says which, and lists them).",
    )


class ReportJobPublic(BaseModel):
    """A report (or portfolio) being made; `download_url` once it is done."""

    id: uuid.UUID
    kind: JobKind
    status: JobStatus
    language: str
    view: Literal["answered", "workshop"] = Field(
        description="As answered, or after the consensus workshop."
    )
    created_at: Moment
    started_at: Moment | None
    finished_at: Moment | None
    error: str | None = Field(description="Why it failed, when it did.")
    status_url: str
    download_url: str | None
