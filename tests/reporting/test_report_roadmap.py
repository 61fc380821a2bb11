"""The report's roadmap and importance–performance view: steps grouped by horizon in
roadmap order, why each was chosen in German and English, the chart only where every
level has importance, the executive summary's first steps, and each level's target, gap
and own stage wording."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from assess.domain.answer_files import read_answers
from assess.domain.questionnaire import Questionnaire
from assess.domain.report_scores import report_scores
from assess.domain.results import Reason
from assess.domain.validation import load_questionnaire
from assess.reporting.content import Report
from assess.reporting.i18n import translator
from assess.reporting.render import Meta, build_report, html_of
from assess.reporting.roadmap import why_of
from tests.factories import (
    csv_bytes,
    dimension,
    importance_scale,
    make_questionnaire,
    recommendation,
    scale_item,
    text,
)

ADVICE_CHECK = Path(__file__).parents[1] / "questionnaires" / "advice-check.yaml"
HEADER = [
    "respondent",
    "lead",
    "size",
    "department",
    "importance:strategy",
    "importance:orchestration",
    "importance:culture",
    "strategy-purpose",
    "strategy-board-kpis",
    "strategy-cx-lead",
    "orch-journeys",
    "orch-owner",
    "orch-data",
    "culture-stories",
    "culture-reward",
]
# Strategy 21.4 (lip service), orchestration 53.6, culture 44.6; importance 4.3, 4.1, 2.1.
ROWS = [
    ["r1", "yes", "large", "marketing", 5, 4, 2, 2, 2, "no", "dk", "department", 4, 2, 2],
    ["r2", "", "large", "marketing", 5, 3, 2, 3, 2, "", "dk", "", 4, 3, "dk"],
    ["r3", "", "large", "marketing", 4, 4, 3, 2, 3, "", 3, "", 5, 2, 1],
    ["r4", "", "large", "sales", 5, 5, 2, 4, "dk", "", 5, "", 2, 3, 2],
    ["r5", "", "large", "sales", 4, 4, 3, 3, 2, "", 4, "", 1, 4, 3],
    ["r6", "", "large", "sales", 4, 5, 1, 2, 1, "", 5, "", 2, 3, 2],
    ["r7", "", "large", "service", 3, 4, 2, "dk", 2, "", 2, "", 3, 5, 4],
]


@pytest.fixture(scope="module")
def advice_check() -> Questionnaire:
    return load_questionnaire(ADVICE_CHECK)


def report_of(
    questionnaire: Questionnaire,
    answers: bytes,
    language: str = "en",
    targets: dict[str, str] | None = None,
) -> Report:
    responses = read_answers(answers, questionnaire)
    return build_report(
        questionnaire,
        report_scores(questionnaire, responses, targets=targets),
        language=language,
        meta=Meta("Muster GmbH", "CX-Check"),
    )


def plain(html: str) -> str:
    """The HTML's text, tags and runs of white space reduced to one space."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def section(html: str, name: str) -> str:
    """The text of the report's section of that class."""
    return plain(html.split(f'<section class="{name}">')[1].split("</section>")[0])


def test_roadmap_groups_steps_by_horizon_in_roadmap_order(advice_check: Questionnaire) -> None:
    report = report_of(advice_check, csv_bytes(HEADER, *ROWS))
    order = [a.id for a in report.result.recommendations]
    # strategy-cx-lead (next) comes before strategy-board-kpis (now), which builds on it
    assert order == [
        "strategy-purpose",
        "strategy-cx-lead",
        "strategy-board-kpis",
        "orch-owner",
        "culture-reward",
        "strategy-large",
        "culture-stories",
    ]
    assert [s.advice.id for s in report.steps] == order
    assert [s.number for s in report.steps] == list(range(1, 8))
    grouped = {h.id: [(s.number, s.advice.id) for s in h.steps] for h in report.roadmap}
    assert list(grouped) == ["now", "next", "later"]
    assert grouped == {
        "now": [(1, "strategy-purpose"), (3, "strategy-board-kpis")],
        "next": [(2, "strategy-cx-lead"), (4, "orch-owner"), (5, "culture-reward")],
        "later": [(6, "strategy-large"), (7, "culture-stories")],
    }
    board = report.steps[2]
    assert board.after == [2]


def test_the_roadmap_page_shows_owner_measure_and_why_in_german(
    advice_check: Questionnaire,
) -> None:
    report = report_of(advice_check, csv_bytes(HEADER, *ROWS), language="de")
    page = section(html_of(report), "roadmap")
    assert "Sofort – erste 90 Tage" in page
    assert "Als Nächstes – 3 bis 12 Monate" in page
    assert "Später" in page
    assert "Wer: Geschäftsleitung" in page
    assert "Woran Sie den Erfolg erkennen: Jede Entscheidungsvorlage nennt den Kundennutzen." in (
        page
    )
    assert "Warum: Die Aussage „Unser Purpose leitet Entscheidungen“ erreicht 41,7 von 100" in page
    assert "Baut auf Schritt 2 auf" in page
    assert page.index("Formulieren Sie einen Purpose.") < page.index("Als Nächstes")


def test_the_report_gives_exactly_the_chosen_recommendations(
    advice_check: Questionnaire,
) -> None:
    # strategy-purpose answered well (4 and 5 of 5: 75+): its item rule says it is in place
    rows = [[*row[:7], 4 if row[0] != "r7" else 5, *row[8:]] for row in ROWS]
    report = report_of(advice_check, csv_bytes(HEADER, *rows))
    chosen = [a.id for a in report.result.recommendations]
    assert "strategy-purpose" not in chosen
    assert [s.advice.id for s in report.steps] == chosen
    for level in report.levels:
        own = [s for s in report.steps if s.dimension.id == level.dimension.id]
        assert level.recommendations == own
    assert "Formulate a purpose." not in html_of(report)


def test_nothing_chosen_is_said_in_one_sentence() -> None:
    questionnaire = make_questionnaire(
        dimension("d1", scale_item("i1"), recommendations=[recommendation("r", {"below": 10})])
    )
    report = report_of(questionnaire, csv_bytes(["respondent", "i1"], ["a", 5], ["b", 4]))
    assert report.steps == []
    html = plain(html_of(report))
    assert "None of the questionnaire's recommendations fits these answers." in html


WHY = [
    (
        Reason("items.strategy-board-kpis.below", 50, 37.5),
        "The statement 'The board steers with customer figures' scores 37.5 of 100",
        "Die Aussage „Die Geschäftsleitung steuert mit Kundenkennzahlen“ erreicht 37,5 von 100",
    ),
    (
        Reason("items.orch-owner.below", 100, 50.0),
        # a fact of the lead: its one answer, not its score
        "The lead respondent answered 'Who owns the journeys?' with 'A department'",
        "Die Hauptansprechperson beantwortete „Wer verantwortet die Journeys?“ "
        "mit „Eine Abteilung“",
    ),
    (
        Reason("stages", ["lip-service", "emerging"], "emerging"),
        "Level 'Strategy' is at stage 'Emerging'",
        "Die Ebene „Strategie“ steht auf der Stufe „Im Aufbau“",
    ),
    (
        Reason("below", 60, 21.42857),
        "Level 'Strategy' scores 21.4 of 100",
        "Die Ebene „Strategie“ erreicht 21,4 von 100",
    ),
    (
        Reason("at_least", 20, 21.42857),
        "Level 'Strategy' scores 21.4 of 100",
        "Die Ebene „Strategie“ erreicht 21,4 von 100",
    ),
    (
        Reason("divergence.at_least", 20, 25.0),
        "The departments are 25.0 points apart",
        "Die Abteilungen liegen 25,0 Punkte auseinander",
    ),
    (
        Reason("dont_know.at_least", 0.25, 0.28),
        "28% of the answers: 'can't judge'",
        "28\xa0% der Antworten: „Kann ich nicht beurteilen“",
    ),
    (Reason("profile.size", ["large"], "large"), "Size: Large", "Größe: Groß"),
]


@pytest.mark.parametrize(("reason", "english", "german"), WHY, ids=[w[0].condition for w in WHY])
def test_why_a_step_was_chosen_is_said_in_words_for_each_condition(
    advice_check: Questionnaire, reason: Reason, english: str, german: str
) -> None:
    report = report_of(advice_check, csv_bytes(HEADER, *ROWS))
    strategy = advice_check.dimensions[0]
    for language, expected in (("en", english), ("de", german)):
        said = why_of(advice_check, report.result, strategy, (reason,), translator(language))
        assert said.replace(" ", "\xa0") == expected.replace(" ", "\xa0"), language


def test_the_conditions_of_one_step_share_one_line(advice_check: Questionnaire) -> None:
    report = report_of(advice_check, csv_bytes(HEADER, *ROWS))
    strategy = advice_check.dimensions[0]
    because = (
        Reason("below", 75, 21.42857),
        Reason("at_least", 0, 21.42857),
        Reason("items.strategy-purpose.below", 50, 41.66667),
    )
    said = why_of(advice_check, report.result, strategy, because, translator("en"))
    assert said == (
        "Level 'Strategy' scores 21.4 of 100. "
        "The statement 'Our purpose guides decisions' scores 41.7 of 100"
    )


def test_the_importance_performance_chart_places_every_level(
    advice_check: Questionnaire,
) -> None:
    report = report_of(advice_check, csv_bytes(HEADER, *ROWS), language="de")
    view = report.importance
    assert view is not None
    assert [(p.number, p.name, p.quadrant) for p in view.levels] == [
        (1, "Strategie", "Hier konzentrieren"),
        (2, "Orchestrierung", "Weiter so"),
        (3, "Kultur", "Möglicherweise zu viel Aufwand"),
    ]
    assert view.overall == pytest.approx(41.0714285714)
    assert view.mean_importance == pytest.approx((30 / 7 + 29 / 7 + 15 / 7) / 3)
    html = html_of(report)
    assert "Wichtigkeit und Leistung jeder Ebene" in html  # the chart's title
    for name in (
        "Hier konzentrieren",
        "Weiter so",
        "Geringe Priorität",
        "Möglicherweise zu viel Aufwand",
    ):
        assert f">{name}</text>" in html, name
    assert "Martilla" in plain(html).split("Methodik")[-1]


def test_without_importance_for_every_level_the_chart_is_left_out(
    advice_check: Questionnaire,
) -> None:
    no_culture = [[*row[:6], "", *row[7:]] for row in ROWS]
    report = report_of(advice_check, csv_bytes(HEADER, *no_culture))
    assert report.importance is None
    assert "Importance and performance" not in html_of(report)


def test_a_questionnaire_without_importance_has_no_chart() -> None:
    questionnaire = make_questionnaire(dimension("d1", scale_item("i1")))
    report = report_of(questionnaire, csv_bytes(["respondent", "i1"], ["a", 2], ["b", 3]))
    assert report.importance is None


def test_the_executive_summarys_first_steps_are_the_roadmaps_first(
    advice_check: Questionnaire,
) -> None:
    report = report_of(advice_check, csv_bytes(HEADER, *ROWS))
    assert report.top == report.steps[:3]
    summary = section(html_of(report), "summary").split("What to do first")[1]
    texts = ["Formulate a purpose.", "Name a CX lead.", "Put customer figures on the board"]
    positions = [summary.index(t) for t in texts]
    assert positions == sorted(positions)
    assert "Build a CX office." not in summary


def test_a_level_shows_its_target_gap_importance_and_own_stage_wording() -> None:
    questionnaire = make_questionnaire(
        dimension(
            "d1",
            scale_item("i1", allow_dont_know=True),
            scale_item("i2"),
            name=text("Strategy"),
            stages={
                "two": {"name": {"de": "Erwachen", "en": "Awakening"}, "description": text("Own")},
                "three": {"description": {"de": "Dritte eigene", "en": "Third own"}},
            },
        ),
        importance=importance_scale(),
    )
    answers = csv_bytes(
        ["respondent", "importance:d1", "i1", "i2"],
        ["a", 4, 2, 1],
        ["b", 5, "dk", 3],
        ["c", 4, 3, 2],
    )
    # a: (25 + 0) / 2 = 12.5; b: i2 alone, 50 (coverage 1/2 met); c: (50 + 25) / 2 = 37.5
    # d1 = (12.5 + 50 + 37.5) / 3 = 33.3: stage "two" (20), next "three" (40), gap 6.7
    report = report_of(questionnaire, answers, language="de")
    (level,) = report.levels
    assert level.stage_name == "Erwachen"
    assert level.target == "three"
    assert level.standing.gap == pytest.approx(40 - 100 / 3)
    html = plain(html_of(report))
    assert "Stufe: Erwachen Typisch für diese Stufe: Own" in html
    assert "Zielstufe: three · Abstand: 6,7 Punkte" in html
    assert "Wichtigkeit: 4,3 von 5" in html
    assert "„Kann ich nicht beurteilen“: 17 % der Antworten" in html
    assert "Was die nächste Stufe verlangt: three (ab 40,0) Dritte eigene" in html


def test_a_target_set_moves_the_gap(advice_check: Questionnaire) -> None:
    report = report_of(advice_check, csv_bytes(HEADER, *ROWS), targets={"strategy": "established"})
    strategy = report.levels[0]
    assert strategy.target == "Established"
    assert strategy.standing.gap == pytest.approx(50 - 150 / 7)
    assert "Target: Established · Gap: 28.6 points" in plain(html_of(report))


def test_cant_judge_answers_show_apart_in_a_levels_chart_and_trace(
    advice_check: Questionnaire,
) -> None:
    report = report_of(advice_check, csv_bytes(HEADER, *ROWS))
    strategy = report.levels[0]
    purpose = strategy.items[0].trace
    assert purpose.distribution == {"2": 3, "3": 2, "4": 1, "dk": 1}
    labels = [label for label, _ in strategy.legend]
    assert labels[-2:] == ["Can't judge", "Not applicable"]
    assert strategy.legend[-2][1].backward
    html = unescape(plain(html_of(report)))
    assert "Can't judge: 1" in html
    assert "dk: 1" not in html


def test_a_numeric_profile_answer_reads_as_written() -> None:
    questionnaire = make_questionnaire(
        dimension(
            "d1",
            scale_item("i1"),
            recommendations=[recommendation("r", {"profile": {"offices": [3]}})],
        ),
        profile=[{"id": "offices", "type": "scale", "min": 1, "max": 9, "text": text("Offices?")}],
    )
    report = report_of(
        questionnaire, csv_bytes(["respondent", "offices", "i1"], ["a", 3, 4], ["b", 3, 2])
    )
    (step,) = report.steps
    assert step.why == "Offices: 3"
