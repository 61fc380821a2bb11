"""A portfolio's first document: one page with every chosen client side by side (the
overall score and stage and each level's score of their latest closed assessment, as
released to the client), and the clients whose figures cannot be shown, with the reason.
Made from what it is given; `assess.jobs.reports` gathers it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from assess.reporting.branding import Branding
from assess.reporting.i18n import template_helpers, translator
from assess.reporting.pdf import SCHEME, SHIPPED_TEMPLATES, Fetcher, to_pdf

FILE_NAME = "0-overview.pdf"  # first in every listing of the ZIP


@dataclass(frozen=True)
class ClientRow:
    """One client's latest closed assessment and its figures as released."""

    organisation: str
    assessment: str
    respondents: int
    overall: float | None
    stage: str
    levels: dict[str, float | None]


@dataclass(frozen=True)
class Table:
    """The clients whose assessments share a questionnaire, with its levels' names."""

    questionnaire: str
    levels: list[tuple[str, str]]  # (id, name)
    rows: list[ClientRow] = field(default_factory=list)


@dataclass(frozen=True)
class NotShown:
    """A chosen client without figures in the overview, and why."""

    organisation: str
    reason: str


@dataclass(frozen=True)
class Overview:
    """Everything the page shows, in its language and with the consultant's branding."""

    language: str
    day: date
    branding: Branding
    tables: list[Table]
    not_shown: list[NotShown]

    @property
    def clients(self) -> int:
        """How many clients the page names."""
        return sum(len(t.rows) for t in self.tables) + len(self.not_shown)


def overview_pdf(overview: Overview, templates: Path = SHIPPED_TEMPLATES) -> bytes:
    """The overview as a one-page PDF (landscape, so that the levels fit side by side),
    from the templates in `templates`."""
    from assess.reporting.render import template_environment  # the report's templates and words

    words = translator(overview.language)
    html = (
        template_environment(templates, overview.language)
        .get_template("overview.html.j2")
        .render(
            o=overview,
            logo_src=SCHEME + "logo" if overview.branding.logo is not None else None,
            day=words.day,
            **template_helpers(words, overview.language),
        )
    )
    fetcher = Fetcher(overview.branding.logo, overview.branding.logo_type, templates)
    title = words.gettext("Portfolio overview")
    return to_pdf(html, fetcher, title=title, author="assess", language=overview.language)
