"""A respondent's own one-page PDF: their score and stage per level, the stage's
description and two recommendations, in the questionnaire's words and either language,
on one page, fetching nothing but its own stylesheet."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from pypdf import PdfReader

from assess.domain.answers import Response
from assess.domain.own_result import own_result
from assess.domain.questionnaire import Questionnaire, localized
from assess.domain.validation import load_questionnaire
from assess.reporting.i18n import translator
from assess.reporting.inputs import OwnInputs, ReportError
from assess.reporting.own import own_html, own_pdf
from assess.reporting.pdf import SCHEME, Fetcher

ROOT = Path(__file__).parents[2]
DAY = date(2026, 12, 6)
NAMES = {"de": "ihre-eigenen-werte", "en": "your-own-scores"}


@pytest.fixture(scope="module")
def questionnaire() -> Questionnaire:
    return load_questionnaire(ROOT / "questionnaires" / "cx-maturity.yaml")


def answering(questionnaire: Questionnaire, level: int) -> Response:
    """Every item answered at `level` (1 lowest to 5 highest maturity): reversed items
    and choices to match, so that each level lands on the same stage."""
    answers: dict[str, object] = {}
    for dimension in questionnaire.dimensions:
        for item in dimension.items:
            if item.type == "scale":
                answers[item.id] = 6 - level if item.reverse else level
            elif item.type == "choice":
                ranked = sorted(item.options, key=lambda o: o.score)
                answers[item.id] = ranked[round((level - 1) / 4 * (len(ranked) - 1))].value
            else:
                answers[item.id] = level >= 3
    return Response("you", answers, {})


def words_of(pdf: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    return flat(text), len(reader.pages)


def flat(value: str) -> str:
    """Text without its spaces: a PDF's lines break words apart wherever they end."""
    return re.sub(r"\s+", "", value)


@pytest.mark.parametrize(("language", "level"), [("de", 1), ("de", 5), ("en", 2)])
def test_one_page_holds_each_levels_score_stage_description_and_two_recommendations(
    questionnaire: Questionnaire, language: str, level: int
) -> None:
    own = own_result(questionnaire, answering(questionnaire, level))
    fetcher = Fetcher()
    pdf, name = own_pdf(OwnInputs(questionnaire, own, language, "CX-Check 2026", DAY), fetcher)
    words, pages = words_of(pdf)
    assert pages == 1
    assert fetcher.calls == [f"{SCHEME}own.css"]
    expected = own
    number = translator(language).number
    recommended = 0
    for shown in expected.levels:
        assert shown.stage is not None
        assert flat(localized(shown.dimension.name, language)) in words
        assert flat(f"{number(shown.score)} / 100") in words
        assert shown.stage.description
        assert flat(localized(shown.stage.description, language)) in words
        assert len(shown.recommendations) <= 2
        for recommendation in shown.recommendations:
            assert flat(localized(recommendation.text, language)) in words
        recommended += len(shown.recommendations)
    if level == 1:  # the weakest answers get two recommendations on every level
        assert recommended == 2 * len(expected.levels)
    assert flat(translator(language).day(DAY)) in words
    assert name == f"cx-check-2026-{NAMES[language]}.pdf"


def test_a_language_the_questionnaire_lacks_is_refused(questionnaire: Questionnaire) -> None:
    english = questionnaire.model_copy(update={"languages": ["en"]})
    own = own_result(questionnaire, answering(questionnaire, 3))
    with pytest.raises(ReportError, match="not 'de'"):
        own_html(OwnInputs(english, own, "de", "CX-Check", DAY))


def test_every_text_of_the_own_pdf_has_a_german_translation() -> None:
    found = {
        message
        for _, message, _, _ in extract_from_file(
            "jinja2.ext:babel_extract", ROOT / "report_templates" / "own.html.j2"
        )
    }
    po = ROOT / "assess" / "reporting" / "locale" / "de" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as handle:
        translated = {m.id for m in read_po(handle) if m.id and m.string}
    assert len(found) >= 5
    assert found - translated == set()
