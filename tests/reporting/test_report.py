"""The report: right to the decimal in both languages, every recommendation the rules
choose, fonts embedded, and nothing fetched or interpreted from user text."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from assess.domain.answer_files import read_answers
from assess.domain.questionnaire import Questionnaire, localized
from assess.domain.report_scores import report_scores
from assess.domain.scoring import score_assessment
from assess.domain.validation import load_questionnaire
from assess.reporting.branding import BrandingError, make_branding
from assess.reporting.i18n import translator
from assess.reporting.pdf import Fetcher
from assess.reporting.render import Meta, ReportError, build_report, html_of, pdf_of
from tests.factories import csv_bytes, dimension, make_questionnaire, scale_item, text
from tests.reporting.pdfs import pdf_text

ROOT = Path(__file__).parents[2]


@pytest.fixture(scope="module")
def questionnaire() -> Questionnaire:
    return load_questionnaire(ROOT / "questionnaires" / "cx-maturity.yaml")


@pytest.fixture(scope="module")
def responses(questionnaire: Questionnaire) -> list:
    return read_answers((ROOT / "examples" / "answers-demo-v1.csv").read_bytes(), questionnaire)


@pytest.fixture(scope="module", params=["de", "en"])
def rendered(request, questionnaire, responses) -> tuple[str, str, PdfReader, Fetcher]:
    language = request.param
    report = build_report(
        questionnaire,
        report_scores(questionnaire, responses),
        language=language,
        meta=Meta("Muster GmbH", "CX-Check", "2026", invited=16, sha256="ab" * 32),
        branding=make_branding(accent="#0a7"),
    )
    fetcher = Fetcher()
    words, reader = pdf_text(pdf_of(report, fetcher))
    return language, words, reader, fetcher


@pytest.mark.slow
def test_scores_stages_and_recommendations_are_in_the_pdf(
    rendered, questionnaire: Questionnaire, responses: list
) -> None:
    language, words, _, _ = rendered
    result = score_assessment(questionnaire, responses)
    number = translator(language).number
    assert "Muster GmbH" in words
    assert number(result.total.overall.score) in words
    assert ("52,2" if language == "de" else "52.2") in words
    for level in questionnaire.dimensions:
        figures = result.total.dimensions[level.id]
        assert number(figures.score) in words, level.id
        stage = questionnaire.stage_for_id(figures.stage)
        assert stage is not None
        assert localized(stage.name, language) in words
    recommendations = [r for _, r in questionnaire.recommendations()]
    assert result.recommendations
    for advice in result.recommendations:  # the roadmap: rule 12's choice, no other
        title = localized(recommendations[advice.position].title, language)
        assert re.sub(r"\s+", " ", title) in words, title
    assert "ab" * 32 in words.replace(" ", "")


def test_fonts_are_embedded_and_pages_bounded(rendered) -> None:
    _, _, reader, fetcher = rendered
    assert 8 <= len(reader.pages) <= 24
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get(
                "/FontDescriptor"
            )
            assert descriptor is not None
            descriptor = descriptor.get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert reader.metadata is not None
    assert "Muster GmbH" in (reader.metadata.title or "")
    assert fetcher.calls == ["assess-report:report.css"]


def test_german_and_english_headings(rendered) -> None:
    language, words, _, _ = rendered
    expected = "Zusammenfassung" if language == "de" else "Executive summary"
    assert expected in words
    assert ("Methodik" if language == "de" else "Methodology") in words


HOSTILE = [
    '<img src="file:///etc/passwd">',
    '<link rel=attachment href="file:///etc/passwd">',
    "{{ 7*7 }}",
    "$\\alpha$",
]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_user_text_stays_literal_and_fetches_nothing(hostile: str) -> None:
    questionnaire = make_questionnaire(
        dimension("d1", scale_item("i1", text=text(hostile)), name=text(hostile)),
        profile=[
            {
                "id": "department",
                "type": "choice",
                "scope": "respondent",
                "text": text("Department"),
                "options": [
                    {"value": "sales", "label": text(hostile)},
                    {"value": "it", "label": text("IT")},
                ],
            }
        ],
    )
    rows = [["r1", "sales", 4], ["r2", "sales", 5], ["r3", "it", 1], ["r4", "it", 2]]
    responses = read_answers(csv_bytes(["respondent", "department", "i1"], *rows), questionnaire)
    report = build_report(
        questionnaire,
        report_scores(questionnaire, responses),
        language="en",
        meta=Meta(hostile, hostile, hostile),
    )
    html = html_of(report)
    assert "<" not in hostile or hostile not in html  # escaped, never markup
    assert "{{" not in hostile or hostile in html  # printed, never evaluated
    fetcher = Fetcher()
    words, _ = pdf_text(pdf_of(report, fetcher))
    assert fetcher.calls == ["assess-report:report.css"]
    assert hostile.replace(" ", "") in words.replace(" ", "")


def test_a_report_needs_responses_and_a_language_of_the_questionnaire(
    questionnaire: Questionnaire, responses: list
) -> None:
    with pytest.raises(ReportError, match="no submitted responses"):
        build_report(
            questionnaire, report_scores(questionnaire, []), language="de", meta=Meta("X", "Y")
        )
    with pytest.raises(ReportError, match="not 'fr'"):
        build_report(
            questionnaire,
            report_scores(questionnaire, responses),
            language="fr",
            meta=Meta("X", "Y"),
        )


def test_branding_is_checked() -> None:
    assert make_branding(accent="#0a7").accent == "#0a7"
    with pytest.raises(BrandingError, match="not a colour"):
        make_branding(accent="red; background: url(http://x)")
    with pytest.raises(BrandingError, match="self-contained"):
        make_branding(
            b'<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd"/></svg>'
        )
    with pytest.raises(BrandingError, match="not a PNG"):
        make_branding(b"GIF89a....")
    with pytest.raises(BrandingError, match="readable PNG"):
        make_branding(b"\x89PNG\r\n\x1a\nbroken")
    with pytest.raises(BrandingError, match="at most"):
        make_branding(b"\x89PNG\r\n\x1a\n" + b"0" * 2_000_001)
    svg = make_branding(
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="4" height="4"/></svg>'
    )
    assert svg.logo_type == "image/svg+xml"


def test_a_huge_image_is_refused() -> None:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("1", (8000, 6000)).save(buffer, format="PNG")
    with pytest.raises(BrandingError, match="megapixels"):
        make_branding(buffer.getvalue())


@pytest.mark.slow
def test_a_logo_is_served_only_as_itself(questionnaire: Questionnaire, responses: list) -> None:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "#0a7f5c").save(buffer, format="PNG")
    branding = make_branding(buffer.getvalue(), "#123456")
    report = build_report(
        questionnaire,
        report_scores(questionnaire, responses[:3]),
        language="en",
        meta=Meta("Logo AG", "A"),
        branding=branding,
    )
    fetcher = Fetcher(branding.logo, branding.logo_type)
    pdf = pdf_of(report, fetcher)
    assert sorted(fetcher.calls) == ["assess-report:logo", "assess-report:report.css"]
    assert pdf.startswith(b"%PDF")


def test_every_report_text_has_a_german_translation() -> None:
    from babel.messages.extract import extract_from_file
    from babel.messages.pofile import read_po

    found = {
        message
        for path, method in (
            (ROOT / "report_templates" / "report.html.j2", "jinja2.ext:babel_extract"),
            (ROOT / "report_templates" / "overview.html.j2", "jinja2.ext:babel_extract"),
            (ROOT / "assess" / "jobs" / "reports.py", "python"),
            (ROOT / "assess" / "reporting" / "cover_sample.py", "python"),
            (ROOT / "assess" / "reporting" / "content.py", "python"),
            (ROOT / "assess" / "reporting" / "portfolio.py", "python"),
            (ROOT / "assess" / "reporting" / "peers.py", "python"),
            (ROOT / "assess" / "reporting" / "roadmap.py", "python"),
            (ROOT / "assess" / "reporting" / "importance.py", "python"),
        )
        for _, message, _, _ in extract_from_file(method, path)
    }
    po = ROOT / "assess" / "reporting" / "locale" / "de" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as handle:
        catalog = read_po(handle)
    translated = {m.id for m in catalog if m.id and m.string}
    assert found - translated == set()


def test_departments_of_fewer_than_three_are_not_shown_in_the_report(
    questionnaire: Questionnaire,
) -> None:
    demo = (ROOT / "examples" / "answers-demo-v1.csv").read_text()
    small = "\n".join(line for line in demo.splitlines() if not line.startswith(("r08,", "r09,")))
    report = build_report(
        questionnaire,
        report_scores(questionnaire, read_answers(small.encode(), questionnaire)),
        language="en",
        meta=Meta("Muster GmbH", "CX-Check"),
    )
    (view,) = report.groups
    # service keeps one respondent; with management, marketing and sales shown it would
    # be the total minus the rest, so of those groups of three the last by name goes too
    assert set(view.groups) == {"Management", "Marketing"}
    assert view.hidden == ["Sales", "Service"]
    html = html_of(report)
    assert "Not shown, to keep respondents anonymous: Sales, Service." in html


def test_every_chart_id_is_unique_in_the_report_and_every_reference_resolves(
    questionnaire: Questionnaire, responses: list
) -> None:
    html = html_of(
        build_report(
            questionnaire,
            report_scores(questionnaire, responses),
            language="en",
            meta=Meta("M", "CX"),
        )
    )
    ids = re.findall(r'id="([^"]+)"', html)
    references = set(re.findall(r"url\(#([^)]+)\)", html)) | set(
        re.findall(r'href="#([^"]+)"', html)
    )
    assert len(ids) == len(set(ids))
    assert references  # markers and hatches are referenced
    assert references <= set(ids)
