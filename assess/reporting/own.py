"""A respondent's own scores on one page of PDF: per level the score, the stage reached
with its description, and the level's first recommendations, all in the questionnaire's
words. No charts: a bar drawn by the stylesheet keeps the page light to render."""

from __future__ import annotations

from assess.domain.own_result import own_result
from assess.domain.questionnaire import localized
from assess.reporting.branding import DEFAULT_ACCENT
from assess.reporting.i18n import template_helpers, translator
from assess.reporting.inputs import OwnInputs, ReportError
from assess.reporting.pdf import Fetcher, to_pdf
from assess.reporting.render import template_environment
from assess.reporting.workers import slug


def own_html(inputs: OwnInputs) -> str:
    """The page as HTML, for the PDF (its stylesheet is fetched as `assess-report:`)."""
    if inputs.language not in inputs.questionnaire.languages:
        raise ReportError(
            f"the questionnaire is in {', '.join(inputs.questionnaire.languages)}, "
            f"not '{inputs.language}'"
        )
    words = translator(inputs.language)
    return (
        template_environment(inputs.language)
        .get_template("own.html.j2")
        .render(
            own=own_result(inputs.questionnaire, inputs.response),
            questionnaire=inputs.questionnaire,
            assessment=inputs.assessment,
            submitted=words.day(inputs.submitted),
            language=inputs.language,
            accent=DEFAULT_ACCENT,
            **template_helpers(words, inputs.language),
        )
    )


def own_pdf(inputs: OwnInputs, fetcher: Fetcher | None = None) -> tuple[bytes, str]:
    """The one-page PDF and a file name for it; ReportError if it cannot be made."""
    words = translator(inputs.language)
    title = words.gettext("Your own scores")
    heading = localized(inputs.questionnaire.title, inputs.language)
    pdf = to_pdf(
        own_html(inputs),
        fetcher or Fetcher(),
        title=f"{title} – {heading}",
        author=inputs.assessment,
        language=inputs.language,
    )
    return pdf, f"{slug(f'{inputs.assessment} {title}')}.pdf"
