"""A respondent's own scores: the organisation's rules applied to their submitted answers
alone, for their thank-you page and their one-page PDF. No disclosure rule applies: they
see only what they answered themselves."""

from __future__ import annotations

from typing import Any

from assess.domain.answers import from_stored
from assess.domain.own_result import OwnResult, own_result
from assess.domain.questionnaire import Questionnaire


def own_result_of(
    questionnaire: Questionnaire, answers: dict[str, Any], profile: dict[str, Any]
) -> OwnResult:
    """The own result of a response as stored: score and stage per level and overall,
    each level's first recommendations."""
    return own_result(questionnaire, from_stored("you", answers, profile))
