"""The report's benchmark section: there when a peer group may be shown, absent otherwise,
complete in both languages."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assess.domain.answer_files import read_answers
from assess.domain.benchmarking import Attributes, Cell, score_ids, verdicts
from assess.domain.comparison import Comparison, GroupFigures, compare, own_scores
from assess.domain.peer_figures import distribution
from assess.domain.questionnaire import Questionnaire
from assess.domain.report_scores import report_scores
from assess.domain.validation import load_questionnaire
from assess.reporting.i18n import translator
from assess.reporting.peers import peer_section
from assess.reporting.render import Meta, build_report, pdf_of
from tests.reporting.comparisons import MINE, comparison_with
from tests.reporting.pdfs import pdf_text

ROOT = Path(__file__).parents[2]


@pytest.fixture(scope="module")
def questionnaire() -> Questionnaire:
    return load_questionnaire(ROOT / "questionnaires" / "cx-maturity.yaml")


@pytest.fixture(scope="module")
def responses(questionnaire: Questionnaire) -> list:
    return read_answers((ROOT / "examples" / "answers-demo-v1.csv").read_bytes(), questionnaire)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("language", "heading", "group", "method"),
    [
        ("en", "Compared with peers", "same industry (Retail)", "Student-t"),
        ("de", "Im Vergleich mit anderen Organisationen", "gleiche Branche (Handel)", "Student-t"),
    ],
)
def test_the_section_names_the_group_used_and_the_interval_methods(
    questionnaire: Questionnaire,
    responses: list,
    language: str,
    heading: str,
    group: str,
    method: str,
) -> None:
    cells = [Cell(MINE, 3), Cell(Attributes("retail", "1-49", "de"), 20), Cell(Attributes("b"), 30)]
    comparison = comparison_with(questionnaire, responses, cells)
    assert comparison.used is not None
    meta = Meta("Muster GmbH", "CX", benchmark=comparison)
    report = build_report(
        questionnaire, report_scores(questionnaire, responses), language=language, meta=meta
    )
    words, _ = pdf_text(pdf_of(report))
    assert heading in words
    assert group in words
    assert method in words
    figures = comparison.peers["overall"][comparison.used]
    assert translator(language).number(figures.median) in words
    if language == "de":
        # why industry + size band is not used, with the values it would have used
        assert (
            "gleiche Branche und Größenklasse (Handel, 250–999): weniger als 5 Organisationen "
            "im Vergleichspool, mindestens 5 nötig" in words
        )


@pytest.mark.slow
def test_no_section_without_a_group_that_may_be_shown(
    questionnaire: Questionnaire, responses: list
) -> None:
    comparison = comparison_with(questionnaire, responses, [Cell(MINE, 4)])
    for benchmark in (comparison, None):
        meta = Meta("Muster GmbH", "CX", benchmark=benchmark)
        report = build_report(
            questionnaire, report_scores(questionnaire, responses), language="en", meta=meta
        )
        words, _ = pdf_text(pdf_of(report))
        assert "Compared with peers" not in words
        assert "Peer benchmark" not in words


def passed_over(questionnaire: Questionnaire, comparison: Comparison) -> list[str]:
    """Why the German section passes over the groups before the one it uses."""
    section = peer_section(
        questionnaire, comparison, language="de", organisation="Muster", translator=translator("de")
    )
    assert section is not None
    return section.passed_over


def test_a_fallback_says_which_attribute_is_not_given(
    questionnaire: Questionnaire, responses: list
) -> None:
    ids = score_ids(d.id for d in questionnaire.dimensions)
    cells = [Cell(Attributes("retail", "1-49", "de"), 20), Cell(Attributes("healthcare"), 30)]
    stored = [
        GroupFigures(g, v, {s: distribution(np.linspace(20, 80, v.organisations)) for s in ids})
        for g, v in verdicts(cells).items()
    ]
    own = own_scores(questionnaire, responses)
    without_size = compare(ids, own, stored, Attributes("retail", None, "de"), 5)
    assert passed_over(questionnaire, without_size) == [
        "gleiche Branche und Größenklasse: Anzahl der Mitarbeitenden für diese Organisation "
        "nicht angegeben"
    ]
    without_either = compare(ids, own, stored, Attributes(None, None, "de"), 5)
    assert passed_over(questionnaire, without_either) == [
        "gleiche Branche und Größenklasse: Branche und Anzahl der Mitarbeitenden für diese "
        "Organisation nicht angegeben",
        "gleiche Branche: Branche für diese Organisation nicht angegeben",
    ]


def test_a_fallback_names_the_group_too_rare_in_the_pool(
    questionnaire: Questionnaire, responses: list
) -> None:
    cells = [Cell(MINE, 3), Cell(Attributes("healthcare", "1-49", "de"), 40)]
    comparison = comparison_with(questionnaire, responses, cells)
    assert passed_over(questionnaire, comparison) == [
        "gleiche Branche und Größenklasse (Handel, 250–999): weniger als 5 Organisationen im "
        "Vergleichspool, mindestens 5 nötig",
        "gleiche Branche (Handel): weniger als 5 Organisationen im Vergleichspool, mindestens "
        "5 nötig",
    ]
