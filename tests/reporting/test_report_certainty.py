"""How sure each figure is, in the report: each level's verdict and 95 % interval on its
page and in the glance table, error bars in the level chart, and divergence between
groups as clear or possible, each said differently."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
import yaml

from assess.domain.answer_files import read_answers
from assess.domain.certainty import stages_within
from assess.domain.questionnaire import Questionnaire
from assess.domain.report_scores import report_scores
from assess.domain.validation import parse_questionnaire
from assess.reporting import charts
from assess.reporting.content import Report
from assess.reporting.render import Meta, build_report, html_of
from tests.factories import csv_bytes, dimension, questionnaire_data, recommendation, scale_item
from tests.wording import visible

HEADER = ["respondent", "department", "c1", "c2", "p1", "p2"]
# sharp (c1, c2): sales 5/5/4 against service 1/1/2 on both: 91.7 against 8.3 with little
# spread within each group: a clear divergence; the answers disagree (rwg 0).
# mixed (p1, p2): sales 5, 1, 5 and service 1, 5, 1 on p1; sales 4 and service 2 on p2:
# 70.8 against 29.2 (flagged), but with wide spread within each group: possible only.
ROWS = [
    ["r1", "sales", 5, 5, 5, 4],
    ["r2", "sales", 5, 5, 1, 4],
    ["r3", "sales", 4, 4, 5, 4],
    ["r4", "service", 1, 1, 1, 2],
    ["r5", "service", 1, 1, 5, 2],
    ["r6", "service", 2, 2, 1, 2],
]


@pytest.fixture(scope="module")
def questionnaire() -> Questionnaire:
    data = questionnaire_data(
        dimension(
            "sharp",
            scale_item("c1"),
            scale_item("c2"),
            recommendations=[recommendation("talk", {"divergence": {"significant": True}})],
        ),
        dimension(
            "mixed",
            scale_item("p1"),
            scale_item("p2"),
            recommendations=[recommendation("ask", {"divergence": {"significant": False}})],
        ),
        divergence_threshold=20,
    )
    return parse_questionnaire(yaml.safe_dump(data))


def report_in(questionnaire: Questionnaire, language: str) -> Report:
    responses = read_answers(csv_bytes(HEADER, *ROWS), questionnaire)
    # Groups of three may be shown: the smallest the disclosure rules allow.
    return build_report(
        questionnaire,
        report_scores(questionnaire, responses),
        language=language,
        meta=Meta("Muster GmbH", "CX-Check"),
    )


def test_each_level_carries_its_verdict_and_its_interval_within_0_and_100(
    questionnaire: Questionnaire,
) -> None:
    report = report_in(questionnaire, "en")
    sharp, mixed = report.levels
    assert (sharp.rwg, sharp.verdict) == (0.0, "differ")
    certainty = report.result.certainty["mixed"]
    assert mixed.rwg == certainty.rwg
    assert certainty.ci95 is not None
    assert mixed.interval == (max(0.0, certainty.ci95[0]), min(100.0, certainty.ci95[1]))
    assert sharp.wide  # six respondents, answers at both ends


def test_the_report_says_the_verdict_and_interval_of_each_level_in_both_languages(
    questionnaire: Questionnaire,
) -> None:
    report = report_in(questionnaire, "en")
    text = visible(html_of(report))
    low, high = report.levels[0].interval or (0.0, 0.0)
    assert "The figure hides large differences: rwg 0.00." in text
    assert f"95% interval: {low:.1f}–{high:.1f}." in text
    assert f"anywhere between {low:.0f} and {high:.0f}." in text
    german = visible(html_of(report_in(questionnaire, "de")))
    assert "Die Zahl verdeckt große Unterschiede: rwg 0,00." in german
    assert f"95-%-Intervall: {low:.1f}–{high:.1f}.".replace(".", ",", 2) in german
    assert "Die waagerechte Linie am Ende jedes Balkens: das 95-%-Intervall seines Werts." in german


def test_a_clear_and_a_possible_divergence_are_told_apart_clear_first(
    questionnaire: Questionnaire,
) -> None:
    report = report_in(questionnaire, "en")
    (view,) = report.groups
    assert [(d.level.dimension.id, d.strength) for d in view.levels] == [
        ("sharp", "clear"),
        ("mixed", "possible"),
    ]
    page = html_of(report)
    rows = re.findall(r"<tr class=\"[^\"]*\"><td>.*?</tr>", page)
    assert any("<strong>sharp</strong>" in r and "<strong>clear</strong>" in r for r in rows)
    assert any(">mixed<" in r and ">possible<" in r and "strong" not in r for r in rows)
    text = visible(page)
    assert "possible where the groups are small or their answers vary widely" in text
    german = visible(html_of(report_in(questionnaire, "de")))
    assert "deutlich" in german
    assert "möglich" in german


def test_each_level_page_says_its_divergence_and_the_stages_its_interval_reaches(
    questionnaire: Questionnaire,
) -> None:
    report = report_in(questionnaire, "en")
    sharp, mixed = report.levels
    assert (sharp.divergence, mixed.divergence) == ("clear", "possible")
    assert sharp.spread == report.result.divergence["department"]["sharp"].spread
    # sharp: mean 50, its interval wide enough to reach past "three" (40-60) both ways
    assert sharp.stage is not None
    assert sharp.stage.id == "three"
    assert sharp.open_stages
    assert "three" not in sharp.open_stages
    text = visible(html_of(report))
    assert "a clear divergence (see “Where groups disagree”)" in text
    assert "a possible divergence – the groups are small, so the difference may be chance" in text
    assert "The stage is not certain: the interval reaches into the stages" in text
    german = visible(html_of(report_in(questionnaire, "de")))
    assert "eine deutliche Abweichung (siehe „Wo die Gruppen auseinanderliegen“)" in german
    assert "Die Stufe ist nicht sicher: Das Intervall reicht bis in die Stufen „" in german


def test_stages_within_an_interval_are_those_it_reaches_into(
    questionnaire: Questionnaire,
) -> None:
    # stages at 0, 20, 40, 60, 80
    assert stages_within(questionnaire, (41.0, 59.9)) == ["three"]
    assert stages_within(questionnaire, (39.9, 60.0)) == ["two", "three", "four"]
    assert stages_within(questionnaire, (-12.0, 5.0)) == ["one"]
    assert stages_within(questionnaire, (95.0, 130.0)) == ["five"]
    assert stages_within(questionnaire, None) == []


def test_the_level_chart_draws_one_error_bar_per_interval_clipped_to_the_axis() -> None:
    drawing = charts.level_bars(
        ["a", "b", "c"],
        [50.0, 20.0, 70.0],
        [charts.Band("one", 0)],
        "Levels",
        intervals=[(40.0, 60.0), (-10.0, 50.0), None],
    )
    paths = [p for p in ET.fromstring(drawing).iter() if p.tag.endswith("path")]
    whiskers = [
        p for p in paths if "fill: none" in p.get("style", "") and p.get("d", "").count("M") == 6
    ]
    # Two intervals: each a line and two caps, six moves in one path.
    assert len(whiskers) == 1
    without = charts.level_bars(
        ["a", "b", "c"], [50.0, 20.0, 70.0], [charts.Band("one", 0)], "Levels"
    )
    assert (
        len([p for p in ET.fromstring(without).iter() if p.tag.endswith("path")]) == len(paths) - 1
    )
    # b's interval starts at the axis's 0, where the bars start: clipped, not past it.
    xs = [float(x) for x in re.findall(r"M\s*([-\d.]+)", whiskers[0].get("d", ""))]
    bars = next(p for p in paths if p.get("d", "").count("z") >= 3)
    left = min(float(x) for x in re.findall(r"M\s*([-\d.]+)", bars.get("d", "")))
    assert min(xs) == pytest.approx(left, abs=0.01)


def test_the_divergence_chart_draws_clear_solid_and_possible_dashed() -> None:
    drawing = charts.divergence(
        ["sharp", "mixed", "calm"],
        {"sales": [90.0, 80.0, 50.0], "service": [10.0, 50.0, 48.0]},
        ["clear", "possible", None],
        "Groups",
        words={"clear": "Clear divergence", "possible": "Possible divergence"},
    )
    texts = [t.text for t in ET.fromstring(drawing).iter() if t.tag.endswith("text")]
    assert {"Clear divergence", "Possible divergence"} <= set(texts)
    assert "stroke-dasharray" in drawing
    only_clear = charts.divergence(
        ["sharp"], {"sales": [90.0], "service": [10.0]}, ["clear"], "Groups"
    )
    assert "stroke-dasharray" not in only_clear


def test_a_step_chosen_by_a_clear_or_a_possible_divergence_says_which(
    questionnaire: Questionnaire,
) -> None:
    why = {s.advice.id: s.why for s in report_in(questionnaire, "en").steps}
    assert why == {
        "talk": "The groups' divergence is clear: more than chance explains",
        "ask": "The groups' divergence is possible only: it may be chance",
    }
    german = {s.advice.id: s.why for s in report_in(questionnaire, "de").steps}
    assert (
        german["talk"] == "Die Abweichung der Gruppen ist deutlich: größer, als der Zufall erklärt"
    )
