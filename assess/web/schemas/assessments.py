"""The API's bodies about assessments and their response counts."""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StringConstraints

from assess.domain.questionnaire import MAX_VERSION
from assess.persistence.models.assessments import AssessmentKind
from assess.web.schemas.fields import GivenMoment, Moment


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
        description="assessment: one organisation, by invitation; study: anonymous "
        "respondents through one public link, each standing for their own organisation.",
    )


StageId = Annotated[str, StringConstraints(min_length=1, max_length=64)]


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
    targets: dict[str, str] = Field(
        default_factory=dict,
        description="Target stage id per dimension id, as set; a dimension left out aims "
        "at the stage after its current one.",
        examples=[{"strategy": "integrated"}],
    )


# Target stage id per dimension id ("all": every dimension without its own); null clears.
Targets = Annotated[
    dict[Annotated[str, StringConstraints(max_length=64)], StageId | None],
    Field(max_length=200),
]
