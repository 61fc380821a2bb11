"""The API's shape of a consensus workshop's agenda."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, Field

from assess.domain.workshop import Nothing


class AnswerCount(BaseModel):
    """How many of a group gave one answer."""

    answer: str = Field(description="As an answers file writes it: 4, an option, yes, na, dk.")
    label: str = Field(description="The answer as people read it, in the language asked for.")
    count: int = Field(ge=0)


class GroupItemFigures(BaseModel):
    """One group's answers to one item."""

    group: str
    name: str
    n: int = Field(ge=1, description="Members of the group who gave the item a score.")
    mean: float = Field(ge=0, le=100, description="Their mean item score (rule 1).")
    distribution: list[AnswerCount]


class AgendaItem(BaseModel):
    """One statement or question of the agenda."""

    id: str
    level: str = Field(description="The id of its level (dimension).")
    kind: Literal["scale", "choice", "boolean"]
    reversed: bool
    text: str
    distance: float = Field(gt=0, le=100, description="Highest minus lowest group mean.")
    highest: str = Field(description="The group with the highest mean.")
    lowest: str = Field(description="The group with the lowest mean.")
    groups: list[GroupItemFigures] = Field(min_length=2)
    thin_groups: list[str] = Field(
        description="Groups of the agenda not shown for this item: too few of them gave it a score."
    )
    question: str = Field(description="A question for the discussion.")


class ShownGroup(BaseModel):
    """A group the agenda shows."""

    group: str
    name: str


class HiddenGroup(BaseModel):
    """A group the agenda does not show: too few to show, or empty (said alike)."""

    group: str
    name: str
    reason: str


class NothingToDiscuss(BaseModel):
    """Why the agenda lists no item."""

    code: Nothing
    message: str


class WorkshopAgenda(BaseModel):
    """The agenda of a consensus workshop: the items on which the groups differ most."""

    assessment_id: uuid.UUID
    language: Literal["de", "en"]
    grouping: str | None = Field(description="The profile question the groups answer.")
    groupings: list[str] = Field(description="The questions the agenda may be grouped by.")
    minimum_group: int = Field(ge=1, description="The fewest respondents a group shown has.")
    groups: list[ShownGroup]
    hidden_groups: list[HiddenGroup]
    items: list[AgendaItem]
    differing: int = Field(ge=0, description="Items on which the groups differ, all told.")
    reason: NothingToDiscuss | None = Field(description="Null where items are listed.")
