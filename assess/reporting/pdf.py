"""HTML to PDF with WeasyPrint, fetching nothing but the report's own files.

The fetcher serves the stylesheet of `report_templates/` and the logo given with the
branding, under the `assess-report:` scheme, and refuses every other address (file:,
http(s):, data:, redirects): a questionnaire text or an organisation name cannot make
the renderer read a local file or reach the network.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from weasyprint import HTML
from weasyprint.urls import URLFetcherResponse

from assess.config import bundled

SCHEME = "assess-report:"
SERVED = {"report.css": "text/css", "own.css": "text/css"}
# The templates shipped with the package: ASSESS_REPORT_TEMPLATES_DIR's default, which
# callers that have settings pass on instead.
SHIPPED_TEMPLATES = bundled("report_templates")


class RefusedFetch(ValueError):
    """The report asked for something outside its own files."""


@dataclass
class Fetcher:
    """Serves `assess-report:<name>` from the report's files and the logo; records every
    address asked for, so tests can prove nothing else was fetched."""

    logo: bytes | None = None
    logo_type: str | None = None
    folder: Path = SHIPPED_TEMPLATES
    calls: list[str] = field(default_factory=list)

    def __call__(self, url: str, *args: object, **kwargs: object) -> URLFetcherResponse:
        self.calls.append(url)
        if not url.startswith(SCHEME):
            raise RefusedFetch(f"the report fetches only its own files, not {url[:80]}")
        name = url.removeprefix(SCHEME)
        if name == "logo" and self.logo is not None:
            return URLFetcherResponse(url, self.logo, {"Content-Type": self.logo_type or ""})
        if name in SERVED:
            body = (self.folder / name).read_bytes()
            return URLFetcherResponse(url, body, {"Content-Type": SERVED[name]})
        raise RefusedFetch(f"no such report file: {name[:80]}")


def to_pdf(html: str, fetcher: Fetcher, *, title: str, author: str, language: str) -> bytes:
    """The PDF of a report's HTML: tagged (PDF/UA), fonts embedded, with metadata."""
    document = HTML(string=html, base_url=SCHEME, url_fetcher=fetcher).render(
        pdf_variant="pdf/ua-1"
    )
    document.metadata.title = title
    document.metadata.authors = [author]
    document.metadata.lang = language
    return bytes(document.write_pdf(pdf_variant="pdf/ua-1"))
