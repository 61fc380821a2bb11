"""A table that runs over a page break keeps at least two rows on each page: no page of a
report starts or ends with a single row of a table."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from weasyprint import HTML
from weasyprint.formatting_structure import boxes

from assess.domain.answer_files import read_answers
from assess.domain.report_scores import report_scores
from assess.domain.validation import load_questionnaire
from assess.reporting.pdf import SCHEME, Fetcher
from assess.reporting.render import Meta, build_report, html_of, row_groups

ROOT = Path(__file__).parents[2]


def rows_per_page(html: str) -> dict[object, list[int]]:
    """Each table's body rows on each page it appears on, as WeasyPrint lays them out."""
    document = HTML(string=html, base_url=SCHEME, url_fetcher=Fetcher()).render()
    found: dict[object, list[int]] = defaultdict(list)

    def walk(box: boxes.Box) -> None:
        if isinstance(box, boxes.TableBox):
            found[box.element].append(
                sum(
                    len(group.children)
                    for group in box.children
                    if isinstance(group, boxes.TableRowGroupBox)
                    and not (group.is_header or group.is_footer)
                )
            )
            return
        for child in getattr(box, "children", []):
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return found


def page_with_table(space_mm: int, rows: int) -> str:
    """A table as the report's template writes it, below `space_mm` of other content."""
    groups = row_groups(list(range(rows)))
    body = "".join(
        ("<tbody class='together'>" if index in (0, len(groups) - 1) else "<tbody>")
        + "".join(
            f"<tr><td>Ebene {n}: Orchestrierung – ganzheitliches Kundenerlebnis als "
            "operatives Ziel, mit Begeisterung, Zufriedenheit und Loyalität</td>"
            f"<td class='num'>{n}</td></tr>"
            for n in group
        )
        + "</tbody>"
        for index, group in enumerate(groups)
    )
    return (
        '<html lang="de"><head><link rel="stylesheet" href="assess-report:report.css"></head>'
        f'<body><div style="height: {space_mm}mm"></div><table class="figures">'
        "<thead><tr><th>Ebene</th><th>Wert</th></tr></thead>"
        f"<tbody class='start'></tbody>{body}</table></body></html>"
    )


@pytest.mark.parametrize("rows", [4, 5, 7])
def test_a_table_broken_anywhere_keeps_two_rows_on_each_page(rows: int) -> None:
    split = 0
    # From a table that fits above the foot of the page to one that starts below it,
    # so that every row in turn is the last that would fit.
    for space in range(200, 256, 5):
        (pages,) = rows_per_page(page_with_table(space, rows)).values()
        assert sum(pages) == rows  # no row split in two
        if len(pages) > 1:
            split += 1
            assert min(pages) >= 2, (space, pages)
    assert split or rows <= 4  # longer tables did run over a page break


def test_no_page_of_the_demo_report_starts_or_ends_with_one_row_of_a_table() -> None:
    questionnaire = load_questionnaire(ROOT / "questionnaires" / "cx-maturity.yaml")
    responses = read_answers(
        (ROOT / "examples" / "answers-demo-v1.csv").read_bytes(), questionnaire
    )
    report = build_report(
        questionnaire,
        report_scores(questionnaire, responses),
        language="de",
        meta=Meta("Muster GmbH", "CX-Check"),
    )
    tables = rows_per_page(html_of(report))
    assert any(len(pages) > 1 for pages in tables.values())  # the appendix runs on
    for pages in tables.values():
        if len(pages) > 1:
            assert min(pages) >= 2, pages
