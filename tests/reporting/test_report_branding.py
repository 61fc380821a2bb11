"""A branded report: the accent colour in every chart, item texts on the distribution
charts' rows, dates as each language writes them."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

from assess.domain.answer_files import read_answers
from assess.domain.benchmarking import Attributes, Cell
from assess.domain.questionnaire import Questionnaire, localized
from assess.domain.report_scores import report_scores
from assess.domain.validation import load_questionnaire
from assess.reporting import charts
from assess.reporting.branding import make_branding
from assess.reporting.colours import OKABE_ITO, contrast, palette
from assess.reporting.content import Report
from assess.reporting.i18n import translator
from assess.reporting.render import Meta, build_report, html_of
from tests.reporting.comparisons import MINE, comparison_with

ROOT = Path(__file__).parents[2]
ACCENT = "#c2185b"
DEFAULT_COLOURS = {c.lower() for c in OKABE_ITO} | set(palette().ramp(5))


@pytest.fixture(scope="module")
def questionnaire() -> Questionnaire:
    return load_questionnaire(ROOT / "questionnaires" / "cx-maturity.yaml")


@pytest.fixture(scope="module")
def responses(questionnaire: Questionnaire) -> list:
    return read_answers((ROOT / "examples" / "answers-demo-v1.csv").read_bytes(), questionnaire)


def branded(questionnaire: Questionnaire, responses: list, language: str, accent: str) -> Report:
    """The demo report with an earlier wave, peers and departments, in `accent`."""
    cells = [Cell(MINE, 3), Cell(Attributes("retail", "1-49", "de"), 20), Cell(Attributes("b"), 30)]
    meta = Meta(
        "Muster GmbH",
        "CX-Check",
        "2026",
        day=date(2026, 12, 6),
        previous={d.id: 40.0 for d in questionnaire.dimensions},
        previous_label="2025",
        benchmark=comparison_with(questionnaire, responses, cells),
    )
    return build_report(
        questionnaire,
        report_scores(questionnaire, responses),
        language=language,
        meta=meta,
        branding=make_branding(accent=accent),
    )


def colours_in(svg: str) -> set[str]:
    return {c.lower() for c in re.findall(r"#[0-9A-Fa-f]{6}\b", svg)}


def test_the_accent_colour_reaches_every_chart_of_the_report(
    questionnaire: Questionnaire, responses: list
) -> None:
    report = branded(questionnaire, responses, "de", ACCENT)
    assert report.progress_svg is not None
    assert report.peers is not None
    assert report.groups
    drawn = {
        "radar": report.radar_svg,
        "bars": report.bars_svg,
        "progress": report.progress_svg,
        "peers": report.peers.radar_svg,
        **{f"groups {view.question}": view.chart_svg for view in report.groups},
    }
    for name, svg in drawn.items():
        assert ACCENT in colours_in(svg), name
        assert not colours_in(svg) & DEFAULT_COLOURS, name
    for level in report.levels:
        used = colours_in(level.distribution_svg)
        ramp = used & set(palette(ACCENT).ramp(len(level.legend) - 1))
        assert len(ramp) >= 2, level.name
        assert not used & DEFAULT_COLOURS, level.name
        # the legend beside the chart shows the same colours
        assert ramp <= {swatch.colour for _, swatch in level.legend}
    assert f"--accent: {ACCENT}" in html_of(report)


def test_an_accent_too_light_for_paper_is_darkened_and_no_accent_keeps_the_defaults() -> None:
    yellow = palette("#ffeb3b")
    assert contrast(yellow.accent) >= 3.0
    assert yellow.accent != "#ffeb3b"
    assert palette("#123").accent == "#112233"
    assert palette().series(3) == list(OKABE_ITO[:3])
    bars = charts.level_bars(["A", "B"], [40.0, 60.0], [charts.Band("x", 0)], "t")
    assert OKABE_ITO[0].lower() in colours_in(bars)
    branded_bars = charts.level_bars(
        ["A", "B"], [40.0, 60.0], [charts.Band("x", 0)], "t", "#ffeb3b"
    )
    assert yellow.accent in colours_in(branded_bars)


def test_groups_get_shades_of_the_accent_that_differ_in_lightness() -> None:
    shades = palette(ACCENT).series(4)
    assert shades[0] == ACCENT
    assert len(set(shades)) == 4
    lightness = sorted(sum(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in shades)
    assert all(b - a > 40 for a, b in itertools.pairwise(lightness))
    ramp = palette(ACCENT).ramp(5)
    sums = [sum(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in ramp]
    assert sums == sorted(sums, reverse=True)


@pytest.mark.parametrize("language", ["de", "en"])
def test_distribution_rows_are_labelled_with_the_item_texts_in_the_report_language(
    questionnaire: Questionnaire, responses: list, language: str
) -> None:
    report = branded(questionnaire, responses, language, ACCENT)
    for level, dimension in zip(report.levels, questionnaire.dimensions, strict=True):
        root = ET.fromstring(level.distribution_svg)
        lines = [t.text or "" for t in root.iter() if t.tag.endswith("text")]
        words = " ".join(" ".join(lines).split())
        for item in dimension.items:
            assert " ".join(localized(item.text, language).split()) in words, item.id
            assert item.id not in lines


@pytest.mark.parametrize(
    ("language", "written"), [("en", "6 December 2026"), ("de", "6. Dezember 2026")]
)
def test_dates_are_written_as_the_report_language_writes_them(
    questionnaire: Questionnaire, responses: list, language: str, written: str
) -> None:
    assert translator(language).day(date(2026, 12, 6)) == written
    html = html_of(branded(questionnaire, responses, language, ACCENT))
    assert written in html
    assert "December 6" not in html
