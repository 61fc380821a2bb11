"""The respondents a filter keeps, and what the whole lends them: the lead's answers to
lead items (rule 6) whether or not the lead is among them, and in a study the profile
that advice is given for. Whatever a filter keeps, nothing in its figures tells whether
the lead gave the filter's answer, and no profile answer stands for fewer than k."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from assess.domain.answers import Response
from assess.domain.grouping import group_key
from assess.domain.questionnaire import Questionnaire


def kept(
    questionnaire: Questionnaire, responses: Sequence[Response], within: tuple[str, str]
) -> list[Response]:
    """The responses giving the filter's answer; where the lead is not among them, the
    first of them carries the lead's answers to lead items (its own answers stay), so
    the organisation's facts count for everyone kept, as they do for every group."""
    question, value = within
    chosen = [r for r in responses if group_key(r.profile.get(question)) == value]
    lead = next((r for r in responses if r.lead), None)
    if lead is None or not chosen or any(r.lead for r in chosen):
        return chosen
    facts = questionnaire.lead_item_ids()
    lent = {i: answer for i, answer in lead.answers.items() if i in facts}
    first = chosen[0]
    return [replace(first, answers={**first.answers, **lent}, lead=True), *chosen[1:]]


def study_profile(
    questionnaire: Questionnaire, responses: Sequence[Response], within: tuple[str, str] | None
) -> dict[str, Any]:
    """What a study's advice is given for: the answer its filter names where that is a
    question about the organisation, which everyone counted gave; nothing else (an answer
    that everyone who answered shares may be one person's, the others having skipped)."""
    if within is None or not responses:
        return {}
    question = questionnaire.profile_question(within[0])
    if question is None or question.scope != "organisation":
        return {}
    return {question.id: responses[0].profile.get(question.id)}
