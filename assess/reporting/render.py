"""A report from start to end: build its content from the scores it is given, fill the
template (from the templates folder the caller's settings name), make the PDF."""

from __future__ import annotations

import math
from base64 import b64encode
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from assess.domain.grouping import MIN_GROUP_RESPONDENTS
from assess.domain.questionnaire import Questionnaire
from assess.domain.report_scores import ReportScores
from assess.reporting import content
from assess.reporting.branding import Branding, BrandingError, make_branding
from assess.reporting.colours import palette
from assess.reporting.content import Meta, Report, ReportError
from assess.reporting.i18n import Translator, template_helpers, translator
from assess.reporting.pdf import SCHEME, SHIPPED_TEMPLATES, Fetcher, to_pdf

__all__ = [
    "Branding",
    "BrandingError",
    "Meta",
    "ReportError",
    "build_report",
    "html_of",
    "make_branding",
    "pdf_of",
]


@cache
def template_environment(folder: Path, language: str) -> Environment:
    """The environment of the report templates in `folder` in one language: it keeps
    its compiled templates, which an environment made per report would compile again
    each time."""
    environment = Environment(
        loader=FileSystemLoader(folder),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
    )
    environment.install_gettext_translations(  # type: ignore[attr-defined]
        translator(language).translations, newstyle=True
    )
    return environment


def build_report(
    questionnaire: Questionnaire,
    scores: ReportScores,
    *,
    language: str,
    meta: Meta,
    branding: Branding | None = None,
    extremes: bool = True,
) -> Report:
    """The content of a report of `scores`; ReportError when it cannot be made."""
    try:
        words = translator(language)
    except ValueError as exc:
        raise ReportError(str(exc)) from None
    return content.build(
        questionnaire,
        scores,
        language=language,
        meta=meta,
        branding=branding,
        translator=words,
        extremes=extremes,
    )


def html_of(
    report: Report, *, templates: Path = SHIPPED_TEMPLATES, standalone: bool = False
) -> str:
    """The report as HTML from the templates in `templates`: what the PDF is made from,
    or (`standalone`) a page a browser shows on its own, with the stylesheet and the
    logo inside it."""
    words = translator(report.language)
    environment = template_environment(templates, report.language)
    branding = report.branding
    logo_src = None
    if branding.logo is not None:
        logo_src = SCHEME + "logo"
        if standalone:
            logo_src = f"data:{branding.logo_type};base64,{b64encode(branding.logo).decode()}"
    stylesheet = None
    if standalone:
        stylesheet = (templates / "report.css").read_text("utf-8")
    return environment.get_template("report.html.j2").render(
        r=report, logo_src=logo_src, stylesheet=stylesheet, **_helpers(report, words)
    )


T = TypeVar("T")


def row_groups(rows: Sequence[T]) -> list[Sequence[T]]:
    """A table's rows as the template groups them: the first two and the last two apart
    from the rest, each group kept on one page, so that no page shows a single row of a
    table (see report.css); up to four rows, one group."""
    if len(rows) <= 4:
        return [rows]
    return [rows[:2], rows[2:-2], rows[-2:]]


def _helpers(report: Report, words: Translator) -> dict[str, Any]:
    shared = template_helpers(words, report.language)
    return {
        **shared,
        "day": words.day,
        "accent": palette(report.branding.accent).accent,  # as the charts draw it
        "title": shared["text"],
        "total_weight": math.fsum(d.weight for d in report.questionnaire.dimensions),
        "min_group": MIN_GROUP_RESPONDENTS,
        "row_groups": row_groups,
    }


def pdf_of(
    report: Report, fetcher: Fetcher | None = None, *, templates: Path = SHIPPED_TEMPLATES
) -> bytes:
    """The report as PDF, from the templates in `templates`."""
    fetcher = fetcher or Fetcher(report.branding.logo, report.branding.logo_type, templates)
    words = translator(report.language)
    title = f"{words.gettext('CX maturity report')} – {report.meta.organisation}"
    return to_pdf(
        html_of(report, templates=templates),
        fetcher,
        title=title,
        author=report.meta.organisation,
        language=report.language,
    )
