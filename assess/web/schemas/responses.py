"""The API's bodies about a respondent's answers and where they stand."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from assess.web.schemas.fields import Moment

ANSWERS = (
    "By item id: a number on the item's scale, an option's value, or true/false; \"na\" "
    'where the item allows not applicable, "dk" (can\'t judge) where it allows that; '
    'null or "" leaves it out. Items asked of the lead (informant: lead) only from the '
    "invitation marked as the lead. Where the questionnaire asks it, "
    '"importance:<dimension id>" holds a number on its importance scale.'
)


class AnswersBody(BaseModel):
    """Answers of one respondent by item id (and each dimension's importance), and
    respondent profile answers by question id."""

    model_config = ConfigDict(extra="forbid")
    answers: dict[str, Any] = Field(
        default_factory=dict,
        description=ANSWERS,
        examples=[
            {
                "strategy-goals-enthusiasm": 4,
                "strategy-right-customers": "dk",
                "importance:strategy": 5,
            }
        ],
    )
    profile: dict[str, Any] = Field(default_factory=dict, examples=[{"department": "sales"}])


class ResponseState(BaseModel):
    """Where a respondent stands."""

    status: str
    answers: dict[str, Any] = Field(
        description='As saved: by item id, "na" and "dk" as sent, and each '
        'dimension\'s importance under "importance:<dimension id>".'
    )
    profile: dict[str, Any]
    updated_at: Moment | None
    submitted_at: Moment | None
