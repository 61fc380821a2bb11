"""The report's agenda for a consensus workshop: the items the departments differ on most,
in order, with the groups' means, answers and a question for the discussion; and no
section where there is nothing to discuss."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from assess.domain.answer_files import read_answers
from assess.domain.questionnaire import Questionnaire
from assess.domain.report_scores import report_scores
from assess.domain.validation import load_questionnaire
from assess.reporting.render import Meta, build_report, html_of

ROOT = Path(__file__).parents[2]
DEMO = (ROOT / "examples" / "answers-demo-v1.csv").read_text()


@pytest.fixture(scope="module")
def questionnaire() -> Questionnaire:
    return load_questionnaire(ROOT / "questionnaires" / "cx-maturity.yaml")


def report_html(questionnaire: Questionnaire, answers: str, language: str) -> str:
    scores = report_scores(questionnaire, read_answers(answers.encode(), questionnaire))
    report = build_report(questionnaire, scores, language=language, meta=Meta("M", "CX"))
    return html.unescape(html_of(report, templates=ROOT / "report_templates"))


@pytest.mark.parametrize(
    ("language", "heading", "ask"),
    [
        ("de", "Agenda für einen Konsens-Workshop", "Zur Diskussion:"),
        ("en", "Agenda for a consensus workshop", "For the discussion:"),
    ],
)
def test_the_report_lists_the_agenda_the_departments_differ_on_most_first(
    questionnaire: Questionnaire, language: str, heading: str, ask: str
) -> None:
    scores = report_scores(questionnaire, read_answers(DEMO.encode(), questionnaire))
    assert scores.agenda is not None
    text = report_html(questionnaire, DEMO, language)
    section = text[text.index(f"<h2>{heading}</h2>") :]
    section = section[: section.index("</section>")]
    items = re.findall(r"<h3>(\d+)\. ([^<]+) <span", section)
    assert [int(n) for n, _ in items] == list(range(1, 11))
    expected = [entry.item.text[language] for entry in scores.agenda.items]
    assert [t for _, t in items] == expected
    assert section.count(ask) == 10
    assert "Marketing" in section


def test_without_groups_to_compare_the_report_has_no_agenda(
    questionnaire: Questionnaire,
) -> None:
    undivided = re.sub(r"^(r\d+),[a-z]+,", r"\1,,", DEMO, flags=re.MULTILINE)
    text = report_html(questionnaire, undivided, "en")
    assert "Agenda for a consensus workshop" not in text
