"""The API's bodies of consensus answers: what a workshop settled on per item, and why."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from assess.domain.consensus import MAX_RATIONALE
from assess.web.schemas.fields import Moment

ANSWER_DESCRIPTION = (
    "As a response gives it: a scale statement's whole number, a question's option value, "
    "true or false; never not applicable or can't judge."
)


class ConsensusGiven(BaseModel):
    """An item's consensus answer and why the workshop agreed on it."""

    model_config = ConfigDict(extra="forbid")
    answer: bool | int | float | Annotated[str, StringConstraints(max_length=64)] = Field(
        examples=[4], description=ANSWER_DESCRIPTION
    )
    rationale: Annotated[str, StringConstraints(min_length=1, max_length=MAX_RATIONALE)] = Field(
        examples=["Sales and service agreed: the KPIs exist but nobody at board level reads them."],
        description="Why the workshop agreed on it, in a sentence or two.",
    )


class ConsensusUsed(BaseModel):
    """A consensus answer counted in results after the workshop."""

    item: str
    answer: bool | int | str = Field(description=ANSWER_DESCRIPTION)
    rationale: str


class ConsensusPublic(ConsensusUsed):
    """A consensus answer as recorded: by whom and when."""

    recorded_by: str = Field(description="The e-mail of who recorded it.")
    recorded_at: Moment
