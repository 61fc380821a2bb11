"""The report says which answers it counts: after the workshop its cover says so and a
section lists each consensus answer (statement, agreed answer by its label, rationale),
in German and English; as answered it says that where there was a workshop, and nothing
where there was none."""

from __future__ import annotations

import re

from assess.domain.answers import Response
from assess.domain.consensus import Consensus
from assess.domain.questionnaire import Questionnaire
from assess.domain.report_scores import report_scores
from assess.reporting.render import Meta, build_report, html_of
from tests.factories import boolean_item, choice_item, dimension, make_questionnaire, scale_item

QUESTIONNAIRE: Questionnaire = make_questionnaire(
    dimension("d1", scale_item("s1"), boolean_item("b1")),
    dimension("d2", choice_item("c1", {"none": 0, "board": 100})),
)
RESPONSES = [
    Response(f"r{n}", {"s1": answer, "b1": answer > 3, "c1": "none"}, {"department": dept})
    for n, (answer, dept) in enumerate([(5, "sales"), (5, "sales"), (1, "service"), (1, "service")])
]
AGREED = (Consensus("s1", 4, "Both settled on 4."), Consensus("b1", False, "Only a plan."))


def page(language: str, view: str | None, consensus: tuple[Consensus, ...] = ()) -> str:
    agreed = {c.item: c.answer for c in consensus}
    scores = report_scores(QUESTIONNAIRE, RESPONSES, consensus=agreed)
    meta = Meta("Muster GmbH", "CX 2026", view=view, consensus=consensus)
    report = build_report(QUESTIONNAIRE, scores, language=language, meta=meta)
    return re.sub(r"\s+", " ", html_of(report))


def test_after_the_workshop_the_report_lists_the_consensus_answers_by_label() -> None:
    english = page("en", "workshop", AGREED)
    assert (
        "After the workshop: each consensus answer counts as every respondent’s answer" in english
    )
    assert "Consensus answers of the workshop" in english
    assert "<td>s1</td><td>4</td><td>Both settled on 4.</td>" in english
    assert "<td>b1</td><td>No</td><td>Only a plan.</td>" in english
    german = page("de", "workshop", AGREED)
    assert "Nach dem Workshop: Jede Konsensantwort zählt als Antwort aller Befragten" in german
    assert "Konsensantworten des Workshops" in german
    assert "<td>b1</td><td>Nein</td><td>Only a plan.</td>" in german


def test_the_report_after_the_workshop_counts_the_agreed_answers() -> None:
    # d1 as answered: sales (100 + 100) / 2, service (0 + 0) / 2 -> 50; after the
    # workshop every respondent (75 + 0) / 2 -> 37.5.
    agreed = {c.item: c.answer for c in AGREED}
    after = report_scores(QUESTIONNAIRE, RESPONSES, consensus=agreed).result
    answered = report_scores(QUESTIONNAIRE, RESPONSES).result
    assert answered.total.dimensions["d1"].score == 50.0
    assert after.total.dimensions["d1"].score == 37.5


def test_as_answered_the_report_says_so_only_where_there_was_a_workshop() -> None:
    answered = page("de", "answered")
    assert "Wie beantwortet, ohne die Konsensantworten des Workshops" in answered
    assert "Konsensantworten des Workshops</h2>" not in answered
    plain = page("en", None)
    assert "As answered" not in plain
    assert "consensus" not in plain.lower()
