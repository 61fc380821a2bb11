"""A report's scores: made once from the responses, every group that may not be shown
left out, with how many respondents gave each department."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from assess.domain.answer_files import read_answers
from assess.domain.answers import Response
from assess.domain.grouping import MIN_GROUP_RESPONDENTS, profile_disclosure
from assess.domain.questionnaire import Questionnaire
from assess.domain.report_scores import report_scores
from assess.domain.validation import load_questionnaire

ROOT = Path(__file__).parents[2]


@pytest.fixture(scope="module")
def questionnaire() -> Questionnaire:
    return load_questionnaire(ROOT / "questionnaires" / "cx-maturity.yaml")


@pytest.fixture(scope="module")
def responses(questionnaire: Questionnaire) -> list[Response]:
    return read_answers((ROOT / "examples" / "answers-demo-v1.csv").read_bytes(), questionnaire)


def test_departments_are_counted_as_respondents_gave_them(
    questionnaire: Questionnaire, responses: list[Response]
) -> None:
    scores = report_scores(questionnaire, responses)
    given = Counter(r.profile.get("department") for r in responses)
    given.pop(None, None)
    assert scores.answered == dict(given)
    assert scores.respondents == len(responses)
    assert scores.k == MIN_GROUP_RESPONDENTS


def test_a_department_too_small_to_show_is_left_out_and_named(
    questionnaire: Questionnaire, responses: list[Response]
) -> None:
    few = [r for r in responses if r.profile.get("department") != "service"]
    few += [r for r in responses if r.profile.get("department") == "service"][:1]
    scores = report_scores(questionnaire, few)
    assert "service" not in scores.result.groups["department"]
    assert "service" in scores.result.hidden["department"]


def test_the_verdicts_given_decide_which_groups_are_shown(
    questionnaire: Questionnaire, responses: list[Response]
) -> None:
    stricter = profile_disclosure(questionnaire, responses, len(responses))
    scores = report_scores(questionnaire, responses, stricter)
    assert scores.result.groups["department"] == {}
    assert scores.k == len(responses)


def test_no_responses_make_empty_scores(questionnaire: Questionnaire) -> None:
    scores = report_scores(questionnaire, [])
    assert (scores.respondents, scores.answered) == (0, {})
