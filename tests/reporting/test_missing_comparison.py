"""A report without a comparison of departments says in one sentence why, instead of
leaving the section out; merged departments are compared under the group's name."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from assess.domain.answer_files import read_answers
from assess.domain.answers import Response
from assess.domain.merging import DepartmentGroup, merged_questionnaire, merged_responses
from assess.domain.questionnaire import Questionnaire
from assess.domain.report_scores import report_scores
from assess.domain.validation import load_questionnaire
from assess.reporting.render import Meta, build_report, html_of

ROOT = Path(__file__).parents[2]
META = Meta("Muster GmbH", "CX-Check")


@pytest.fixture(scope="module")
def questionnaire() -> Questionnaire:
    return load_questionnaire(ROOT / "questionnaires" / "cx-maturity.yaml")


def answered(questionnaire: Questionnaire, *departments: str) -> list[Response]:
    """Demo answers given by respondents of these departments."""
    demo = read_answers((ROOT / "examples" / "answers-demo-v1.csv").read_bytes(), questionnaire)
    assert len(demo) >= len(departments)
    return [
        replace(r, profile={**r.profile, "department": d})
        for r, d in zip(demo, departments, strict=False)
    ]


def test_one_department_large_enough_is_named_as_the_reason_in_german(
    questionnaire: Questionnaire,
) -> None:
    responses = answered(questionnaire, "sales", "sales", "sales", "service", "management")
    report = build_report(
        questionnaire, report_scores(questionnaire, responses), language="de", meta=META
    )
    assert report.groups == []
    sentence = (
        "Der Vergleich nach Abteilungen fehlt, weil nur eine Abteilung mindestens 3 Antworten hat."
    )
    assert report.missing_comparison == sentence
    assert sentence in html_of(report)


def test_departments_that_would_give_a_small_one_away_are_named_as_the_reason(
    questionnaire: Questionnaire,
) -> None:
    responses = answered(questionnaire, *["sales"] * 3, *["service"] * 3, "management")
    report = build_report(
        questionnaire, report_scores(questionnaire, responses), language="en", meta=META
    )
    assert report.groups == []
    assert report.missing_comparison == (
        "The comparison by department is missing because, set side by side, the departments "
        "would let anyone work out the answers of fewer than 3 respondents."
    )


def test_merged_departments_are_compared_under_the_groups_name(
    questionnaire: Questionnaire,
) -> None:
    groups = (DepartmentGroup("Leitung und Vertrieb", ("sales", "management")),)
    responses = answered(questionnaire, *["sales"] * 3, *["service"] * 3, "management")
    merged = merged_questionnaire(questionnaire, groups)
    report = build_report(
        merged,
        report_scores(merged, merged_responses(responses, groups)),
        language="de",
        meta=META,
    )
    (view,) = report.groups
    assert view.groups == {"Leitung und Vertrieb": 4, "Service": 3}
    assert report.missing_comparison is None
    assert "Der Vergleich nach Abteilungen fehlt" not in html_of(report)
