"""The API's bodies about a respondent's answers and where they stand."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from assess.web.schemas.fields import Moment


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
