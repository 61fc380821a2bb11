"""Reading rendered PDFs back in report tests."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader


def pdf_text(pdf: bytes) -> tuple[str, PdfReader]:
    """The PDF's words with whitespace collapsed, and the reader for its pages."""
    reader = PdfReader(io.BytesIO(pdf))
    words = " ".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", words), reader
