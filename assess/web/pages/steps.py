"""The respondent's form as pages: the profile questions, then one page per level (its
items asked of this respondent and, where the questionnaire asks it, the level's
importance); which page a returning respondent continues on, and how long the whole
form takes."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from assess.domain.columns import importance_column
from assess.domain.questionnaire import (
    Dimension,
    Importance,
    Item,
    ProfileQuestion,
    ProfileText,
    Questionnaire,
)

# What answering takes, roughly: a statement is read and rated in about 20 seconds,
# a profile question in about 10.
SECONDS_PER_ITEM = 20
SECONDS_PER_PROFILE_QUESTION = 10


@dataclass(frozen=True)
class Step:
    """One page of questions: the profile page, or the page of one level."""

    slug: str  # as in the address: "profile" or "level/2"
    number: int  # the level's number from 1; 0 for the profile page
    dimension: Dimension | None
    profile: tuple[ProfileQuestion, ...] = ()
    items: tuple[Item, ...] = ()  # the level's items asked of this respondent
    importance: Importance | None = None  # the scale of the level's importance, if asked

    @property
    def question_ids(self) -> list[str]:
        """Ids of the questions on this page, in order (the importance's last)."""
        if self.dimension is not None:
            ids = [item.id for item in self.items]
            return [*ids, importance_column(self.dimension.id)] if self.importance else ids
        return [question.id for question in self.profile]

    @property
    def withheld_ids(self) -> list[str]:
        """Ids of the level's items not asked of this respondent (those of the lead)."""
        if self.dimension is None:
            return []
        asked = {item.id for item in self.items}
        return [item.id for item in self.dimension.items if item.id not in asked]

    def required_ids(self) -> list[str]:
        """Questions whose answer a returning respondent is brought back for (free texts
        are optional)."""
        if self.dimension is not None:
            return self.question_ids
        return [q.id for q in self.profile if not isinstance(q, ProfileText)]


def steps_of(
    questionnaire: Questionnaire, *, study: bool = False, lead: bool = False
) -> list[Step]:
    """The pages of a questionnaire, in order: respondent profile questions (if any; in a
    study, the questions about the respondent's organisation too), then one per level
    with its items (those asked of the lead only for the `lead`)."""
    asked = tuple(q for q in questionnaire.profile if study or q.scope == "respondent")
    steps = [Step("profile", 0, None, asked)] if asked else []
    steps += [
        Step(
            f"level/{n}",
            n,
            dimension,
            items=tuple(i for i in dimension.items if lead or i.informant != "lead"),
            importance=questionnaire.importance,
        )
        for n, dimension in enumerate(questionnaire.dimensions, 1)
    ]
    return steps


def step_by_slug(steps: list[Step], slug: str) -> Step | None:
    """The step with this slug, if there is one."""
    return next((s for s in steps if s.slug == slug), None)


def first_open_step(
    steps: list[Step], answers: Mapping[str, Any], profile: Mapping[str, Any]
) -> Step | None:
    """The first page with a question left unanswered; None when all are answered."""
    given = {**profile, **answers}
    for step in steps:
        if any(question not in given for question in step.required_ids()):
            return step
    return None


def statements(steps: list[Step]) -> int:
    """How many items these pages ask."""
    return sum(len(s.items) for s in steps)


def offers_dont_know(steps: list[Step]) -> bool:
    """Whether any item these pages ask offers "can't judge"."""
    return any(item.allow_dont_know for s in steps for item in s.items)


def minutes_to_answer(steps: list[Step]) -> int:
    """About how many minutes the form of these pages takes, at least one."""
    items = statements(steps)
    # The importance of a level is one question more, as quick as one about the respondent.
    profile = sum(len(s.profile) + (s.importance is not None) for s in steps)
    seconds = items * SECONDS_PER_ITEM + profile * SECONDS_PER_PROFILE_QUESTION
    return max(1, math.ceil(seconds / 60))
