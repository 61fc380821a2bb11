"""A consultant's portfolio: the reports of every closed assessment they serve, in one ZIP
file, with a table of contents that also names the assessments it could not report on."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, replace

from assess.reporting.i18n import translator
from assess.reporting.overview import FILE_NAME as OVERVIEW_FILE

# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Entry:
    """One closed assessment of the portfolio: its report, or why there is none."""

    organisation: str
    assessment: str
    wave: str | None
    language: str
    filename: str | None = None
    pdf: bytes | None = None
    note: str = ""

    def rendered(self, filename: str, pdf: bytes) -> Entry:
        """This entry with its report."""
        return replace(self, filename=filename, pdf=pdf)

    def skipped(self, reason: str) -> Entry:
        """This entry without a report, and why."""
        return replace(self, note=reason)


def portfolio_zip(
    entries: Iterable[Entry], language: str, *, overview: bytes | None = None
) -> bytes:
    """The ZIP of the overview of all clients (first, when given), the entries' reports and
    `contents.csv`, its table of contents (in `language`; English when the reports keep
    their questionnaires' own languages)."""
    _ = translator(language or "en").gettext
    table = io.StringIO()
    writer = csv.writer(table)
    writer.writerow(
        [_("Organisation"), _("Assessment"), _("Wave"), _("Language"), _("File"), _("Note")]
    )
    taken: set[str] = set()
    listed = 0
    buffer = io.BytesIO()
    # PDFs are compressed inside already; storing them keeps the job fast.
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        if overview is not None:
            archive.writestr(OVERVIEW_FILE, overview)
            taken.add(OVERVIEW_FILE)
        for listed, entry in enumerate(entries, start=1):  # noqa: B007 (counted after)
            name = ""
            if entry.pdf is not None and entry.filename is not None:
                name = _unique(entry.filename, taken)
                archive.writestr(name, entry.pdf)
            writer.writerow(
                _cells(
                    [
                        entry.organisation,
                        entry.assessment,
                        entry.wave or "",
                        entry.language,
                        name,
                        entry.note,
                    ]
                )
            )
        if not listed:
            writer.writerow(_cells([_("There are no closed assessments to report on yet.")]))
        # A byte order mark, so spreadsheet programs read the file as UTF-8.
        archive.writestr("contents.csv", "\ufeff" + table.getvalue())
    return buffer.getvalue()


def _unique(filename: str, taken: set[str]) -> str:
    stem, dot, suffix = filename.rpartition(".")
    name, number = filename, 1
    while name in taken:
        number += 1
        name = f"{stem}-{number}{dot}{suffix}"
    taken.add(name)
    return name


def _cells(values: list[str]) -> list[str]:
    """Cells a spreadsheet shows as text, never runs as formulas."""
    return ["'" + v if v.startswith(_FORMULA_START) else v for v in values]
