"""The report says what the answers mean: best and worst lists hold statements only, each
in the reading its score gives; choice and yes/no questions are facts in words; every
answer shows by its label in the report's language; numbers and percentages as the
language writes them; each step's first step where the questionnaire names one."""

from __future__ import annotations

import re

import pytest
import yaml

from assess.domain.answer_files import read_answers
from assess.domain.explain import ItemTrace
from assess.domain.questionnaire import Questionnaire
from assess.domain.report_scores import report_scores
from assess.domain.validation import parse_questionnaire
from assess.reporting.answers import Statement, best_and_worst, ranked_statements
from assess.reporting.content import Report
from assess.reporting.i18n import translator
from assess.reporting.render import Meta, build_report, html_of
from tests.wording import raw_answers_in, visible, worded_answers, worded_questionnaire_data


@pytest.fixture(scope="module")
def questionnaire() -> Questionnaire:
    return parse_questionnaire(yaml.safe_dump(worded_questionnaire_data()))


def report_in(questionnaire: Questionnaire, language: str) -> Report:
    responses = read_answers(worded_answers(), questionnaire)
    return build_report(
        questionnaire,
        report_scores(questionnaire, responses),
        language=language,
        meta=Meta("Muster GmbH", "CX-Check", invited=1234),
    )


@pytest.mark.parametrize("language", ["de", "en"])
def test_no_raw_answer_value_shows_in_the_report(
    questionnaire: Questionnaire, language: str
) -> None:
    text = visible(html_of(report_in(questionnaire, language)))
    assert raw_answers_in(text, language) == []
    # the test finds what it looks for: the raw form of the same words
    assert sorted(raw_answers_in("cxl-lead · yes: 2 · na: 1", language)) == [
        "cxl-lead",
        "na",
        "yes",
    ]
    assert raw_answers_in("Frage? yes 2 · no 1", language) == ["yes", "no"]


def test_the_german_report_names_every_answer_by_its_label(questionnaire: Questionnaire) -> None:
    text = visible(html_of(report_in(questionnaire, "de")))
    assert "CX-Verantwortung: Bei einer CX-Leitung" in text
    assert (
        "Gibt es eine CX-Rolle? Ja 2 · Nein 1 · Kann ich nicht beurteilen 1 · Nicht anwendbar 1"
        in text
    )
    assert "Ja: 2 · Nein: 1 · Kann ich nicht beurteilen: 1 · Nicht anwendbar: 1" in text
    assert "2: 1 · 3: 1 · 4: 1 · Kann ich nicht beurteilen: 1 · Nicht anwendbar: 1" in text
    assert "Bei einer CX-Leitung: 1" in text


def test_the_english_report_names_every_answer_by_its_label(questionnaire: Questionnaire) -> None:
    text = visible(html_of(report_in(questionnaire, "en")))
    assert "CX responsibility: With a CX lead" in text
    assert "Is there a CX role? Yes 2 · No 1 · Can't judge 1 · Not applicable 1" in text
    assert "Yes: 2 · No: 1 · Can't judge: 1 · Not applicable: 1" in text


@pytest.mark.parametrize(
    ("language", "rejected"),
    [
        ("de", "Abgelehnt: „Kundenorientierung ist vor allem Software.“"),
        ("en", "Rejected: “Customer orientation is mainly software.”"),
    ],
)
def test_best_and_worst_hold_statements_a_reverse_one_as_rejected(
    questionnaire: Questionnaire, language: str, rejected: str
) -> None:
    (level,) = report_in(questionnaire, language).levels
    listed = [s.text for s in level.best + level.worst]
    # the statements off the scale's middle (the third scores 50), none twice, no question
    assert len(listed) == len(set(listed)) == 2
    assert rejected in listed
    assert not any("CX-Rolle" in t or "CX role" in t or "Verantwortung" in t for t in listed)
    assert [s.score for s in level.best] == sorted((s.score for s in level.best), reverse=True)
    assert level.best[0].score == 90.0  # the myth, answered 1 and 2: rejected
    assert [f.question for f in level.facts] == (
        ["CX-Verantwortung:", "Gibt es eine CX-Rolle?"]
        if language == "de"
        else ["CX responsibility:", "Is there a CX role?"]
    )


def test_a_reverse_statement_that_scores_low_reads_as_agreed_with() -> None:
    data = worded_questionnaire_data()
    questionnaire = parse_questionnaire(yaml.safe_dump(data))
    agreed = worded_answers().replace(b",1,", b",5,").replace(b",2,", b",4,")
    responses = read_answers(agreed, questionnaire)
    for language, expected in (
        ("de", "Zugestimmt: „Kundenorientierung ist vor allem Software.“"),
        ("en", "Agreed: “Customer orientation is mainly software.”"),
    ):
        report = build_report(
            questionnaire,
            report_scores(questionnaire, responses),
            language=language,
            meta=Meta("Muster GmbH", "CX-Check"),
        )
        (level,) = report.levels
        worst = level.worst[0]
        assert (worst.text, worst.score) == (expected, 10.0)


def test_numbers_and_percentages_are_written_as_each_language_writes_them(
    questionnaire: Questionnaire,
) -> None:
    german = visible(html_of(report_in(questionnaire, "de")))
    english = visible(html_of(report_in(questionnaire, "en")))
    assert "von 1.234 Eingeladenen" in german
    assert "of 1,234 invited" in english
    assert re.search(r"\d%", german) is None  # 25 %, never 25%
    assert re.search(r"\d %", english) is None  # 25%, never 25 %
    assert "0 % 25 % 50 % 75 % 100 %" in german  # the statements' chart
    assert "0% 25% 50% 75% 100%" in english


def test_the_first_step_shows_in_the_roadmap_and_the_levels_page(
    questionnaire: Questionnaire,
) -> None:
    text = visible(html_of(report_in(questionnaire, "de")))
    assert text.count("Erster Schritt: Laden Sie am Montag drei Kunden ein.") == 2
    english = visible(html_of(report_in(questionnaire, "en")))
    assert english.count("First step: Invite three customers on Monday.") == 2


def test_a_level_of_questions_only_shows_its_facts_without_lists_or_chart() -> None:
    data = worded_questionnaire_data()
    level = data["dimensions"][0]
    level["items"] = [i for i in level["items"] if i["type"] != "scale"]
    questionnaire = parse_questionnaire(yaml.safe_dump(data))
    answers = b"respondent,lead,q-owner,q-role\nr1,yes,cxl-none,yes\nr2,,,no\n"
    report = build_report(
        questionnaire,
        report_scores(questionnaire, read_answers(answers, questionnaire)),
        language="de",
        meta=Meta("Muster GmbH", "CX-Check"),
    )
    (shown,) = report.levels
    assert (shown.best, shown.worst, shown.distribution_svg) == ([], [], "")
    text = visible(html_of(report))
    assert "CX-Verantwortung: Nirgends" in text
    assert "Gibt es eine CX-Rolle? Ja 1 · Nein 1" in text
    assert "Am besten bewertet" not in text


def test_best_lists_only_statements_above_the_middle_and_worst_only_below() -> None:
    ranked = [Statement(f"s{score}", score) for score in (75.0, 55.0, 50.0, 45.0, 30.0)]
    best, worst = best_and_worst(ranked)
    assert [s.score for s in best] == [75.0, 55.0]
    assert [s.score for s in worst] == [30.0, 45.0]
    weak = [Statement("weak", 37.5), Statement("weaker", 12.5)]
    assert best_and_worst(weak) == ([], weak[::-1])


@pytest.mark.parametrize(
    ("score", "reading"),
    [
        (87.5, "Abgelehnt: „Mythos“"),
        (56.0, "Eher abgelehnt: „Mythos“"),
        (50.0, "Weder zugestimmt noch abgelehnt: „Mythos“"),
        (44.0, "Eher zugestimmt: „Mythos“"),
        (25.0, "Zugestimmt: „Mythos“"),
    ],
)
def test_a_reverse_statement_reads_as_clearly_or_rather_rejected_or_agreed(
    score: float, reading: str
) -> None:
    dimension = parse_questionnaire(yaml.safe_dump(worded_questionnaire_data())).dimensions[0]
    item = next(i for i in dimension.items if getattr(i, "reverse", False))
    item = item.model_copy(update={"text": {"de": "Mythos", "en": "Myth"}})
    dimension = dimension.model_copy(update={"items": [item]})
    trace = ItemTrace(item.id, 1.0, True, 1, 0, 0, score, {})
    (statement,) = ranked_statements(dimension, [trace], {}, translator("de"))
    assert statement.text == reading
