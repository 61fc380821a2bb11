"""A respondent's own scores on one page of PDF: per level the score, the stage reached
with its description, and the level's first recommendations, all in the questionnaire's
words. No charts: a bar drawn by the stylesheet keeps the page light to render. The own
result is given (see assess/results/own_scores.py), never scored here."""

from __future__ import annotations

from pathlib import Path

from assess.domain.formatting import slug
from assess.domain.questionnaire import localized
from assess.reporting.branding import DEFAULT_ACCENT
from assess.reporting.i18n import template_helpers, translator
from assess.reporting.inputs import OwnInputs, ReportError
from assess.reporting.pdf import SHIPPED_TEMPLATES, Fetcher, to_pdf
from assess.reporting.render import template_environment


def own_html(inputs: OwnInputs, templates: Path = SHIPPED_TEMPLATES) -> str:
    """The page as HTML from the templates in `templates`, for the PDF (its stylesheet
    is fetched as `assess-report:`)."""
    if inputs.language not in inputs.questionnaire.languages:
        raise ReportError(
            f"the questionnaire is in {', '.join(inputs.questionnaire.languages)}, "
            f"not '{inputs.language}'"
        )
    words = translator(inputs.language)
    return (
        template_environment(templates, inputs.language)
        .get_template("own.html.j2")
        .render(
            own=inputs.own,
            questionnaire=inputs.questionnaire,
            assessment=inputs.assessment,
            submitted=words.day(inputs.submitted),
            language=inputs.language,
            accent=DEFAULT_ACCENT,
            **template_helpers(words, inputs.language),
        )
    )


def own_pdf(
    inputs: OwnInputs, fetcher: Fetcher | None = None, *, templates: Path = SHIPPED_TEMPLATES
) -> tuple[bytes, str]:
    """The one-page PDF and a file name for it, from the templates in `templates`;
    ReportError if it cannot be made."""
    words = translator(inputs.language)
    title = words.gettext("Your own scores")
    heading = localized(inputs.questionnaire.title, inputs.language)
    pdf = to_pdf(
        own_html(inputs, templates),
        fetcher or Fetcher(folder=templates),
        title=f"{title} – {heading}",
        author=inputs.assessment,
        language=inputs.language,
    )
    return pdf, f"{slug(f'{inputs.assessment} {title}')}.pdf"
