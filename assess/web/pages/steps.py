"""The respondent's form as pages: the profile questions, then one page per level; which
page a returning respondent continues on, and how long the whole form takes."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from assess.domain.questionnaire import (
    Dimension,
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

    @property
    def question_ids(self) -> list[str]:
        """Ids of the questions on this page, in order."""
        if self.dimension is not None:
            return [item.id for item in self.dimension.items]
        return [question.id for question in self.profile]

    def required_ids(self) -> list[str]:
        """Questions whose answer a returning respondent is brought back for (free texts
        are optional)."""
        if self.dimension is not None:
            return self.question_ids
        return [q.id for q in self.profile if not isinstance(q, ProfileText)]


def steps_of(questionnaire: Questionnaire, *, study: bool = False) -> list[Step]:
    """The pages of a questionnaire, in order: respondent profile questions (if any; in a
    study, the questions about the respondent's organisation too), then one per level."""
    asked = tuple(q for q in questionnaire.profile if study or q.scope == "respondent")
    steps = [Step("profile", 0, None, asked)] if asked else []
    steps += [
        Step(f"level/{n}", n, dimension) for n, dimension in enumerate(questionnaire.dimensions, 1)
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


def minutes_to_answer(steps: list[Step]) -> int:
    """About how many minutes the form of these pages takes, at least one."""
    items = sum(len(s.question_ids) for s in steps if s.dimension is not None)
    profile = sum(len(s.profile) for s in steps)
    seconds = items * SECONDS_PER_ITEM + profile * SECONDS_PER_PROFILE_QUESTION
    return max(1, math.ceil(seconds / 60))
