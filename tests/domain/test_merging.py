"""Departments merged into named groups: checked against the questionnaire, counted as
one group, and named where a department is too small to be shown."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from assess.domain.answers import Response
from assess.domain.merging import (
    DepartmentGroup,
    MergeError,
    checked_groups,
    merged_questionnaire,
    merged_responses,
    small_departments,
)
from assess.domain.questionnaire import Questionnaire
from assess.domain.validation import load_questionnaire

ROOT = Path(__file__).parents[2]
LEADERS = DepartmentGroup("Leitung und Vertrieb", ("sales", "management"))


@pytest.fixture(scope="module")
def questionnaire() -> Questionnaire:
    return load_questionnaire(ROOT / "questionnaires" / "cx-maturity.yaml")


def test_groups_keep_the_questionnaires_order_and_refuse_unknown_or_twice_merged(
    questionnaire: Questionnaire,
) -> None:
    (group,) = checked_groups(questionnaire, [(" Leitung  und Vertrieb ", ["management", "sales"])])
    assert group == LEADERS
    assert group.key == "sales.management"
    with pytest.raises(MergeError) as refused:
        checked_groups(questionnaire, [("Eins", ["sales", "hr"]), ("eins", ["sales", "service"])])
    assert refused.value.problems == [
        "'Eins': unknown department hr; use one of: marketing, sales, service, management, "
        "it, other",
        "'Eins': choose at least two departments to merge",
        "'eins': two groups have this name; give each its own",
        "'eins': sales is merged into 'Eins' already; each department can be in one group only",
    ]


def test_merged_respondents_count_in_their_group_named_in_every_language(
    questionnaire: Questionnaire,
) -> None:
    responses = [
        Response(f"r{i}", profile={"department": d})
        for i, d in enumerate(["sales", "management", "service", "it"])
    ]
    merged = merged_responses(responses, (LEADERS,))
    assert [r.profile["department"] for r in merged] == [
        "sales.management",
        "sales.management",
        "service",
        "it",
    ]
    results = pickle.loads(pickle.dumps(merged_questionnaire(questionnaire, (LEADERS,))))
    options = results.profile_question("department").options
    assert [o.value for o in options] == ["marketing", "sales.management", "service", "it", "other"]
    assert options[1].label == {"de": "Leitung und Vertrieb", "en": "Leitung und Vertrieb"}


def test_a_department_below_k_is_named_with_the_smallest_other_to_merge_it_with(
    questionnaire: Questionnaire,
) -> None:
    invited = {"sales": 3, "service": 3, "management": 1}
    (small,) = small_departments(questionnaire, invited, (), 3, "de")
    assert (small.label, small.invited, small.partner) == ("Geschäftsleitung", 1, "Vertrieb")
    assert small_departments(questionnaire, invited, (LEADERS,), 3, "de") == []
    still_small = small_departments(
        questionnaire, {"sales": 1, "management": 1, "service": 5}, (LEADERS,), 3, "en"
    )
    assert [(s.label, s.invited, s.partner) for s in still_small] == [
        ("Leitung und Vertrieb", 2, "Service")
    ]
