"""Terminal output of `assess stats` and `assess demo stats`: item statistics, one table
per level."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from assess.domain.itemstats import ItemStatistics
from assess.domain.questionnaire import Questionnaire, localized

STATS_WORDS = {
    "de": {
        "respondents": "Befragte",
        "complete": "vollständig",
        "mean": "Mittelwert",
        "without": "Alpha ohne Item",
        "standardised": "standardisiert: Formate gemischt",
        "lead": "Fakt",
        "lead_note": "(Fakt): von der Hauptansprechperson einmal je Organisation beantwortet; "
        "geht in kein Alpha ein.",
        "lowers": "Ohne dieses Item wäre Alpha höher",
    },
    "en": {
        "respondents": "respondents",
        "complete": "complete",
        "mean": "mean",
        "without": "alpha if deleted",
        "standardised": "standardised: formats mixed",
        "lead": "fact",
        "lead_note": "(fact): answered once per organisation by its lead respondent; enters "
        "no alpha.",
        "lowers": "Alpha would be higher without",
    },
}


def stats_tables(model: Questionnaire, figures: ItemStatistics, language: str) -> None:
    """One table per dimension: alpha and complete n, then each item's figures; the items
    without which alpha would be higher."""
    words = STATS_WORDS["de" if language == "de" else "en"]

    def number(value: float | None, places: int) -> str:
        if value is None:
            return "–"
        text = f"{value:.{places}f}"
        return text.replace(".", ",") if language == "de" else text

    console = Console()
    title = localized(model.title, language)
    # Text, not markup: titles and names are written by users and may hold [brackets].
    console.print(
        Text(
            f"{title} ({model.id} v{model.version}) – {figures.respondents} {words['respondents']}"
        )
    )
    if any(not i.in_alpha for d in figures.dimensions for i in d.items):
        console.print(Text(words["lead_note"]))
    names = {d.id: localized(d.name, language) for d in model.dimensions}
    for dimension in figures.dimensions:
        kind = f", {words['standardised']}" if dimension.standardised else ""
        table = Table(
            title=Text(
                f"{names[dimension.id]}: alpha {number(dimension.alpha, 3)} "
                f"(n = {dimension.n} {words['complete']}{kind})"
            ),
            title_justify="left",
        )
        table.add_column("Item", overflow="fold")  # ids wrap, never cut short
        for name in ("n", words["mean"], "sd", "r(it)", words["without"]):
            table.add_column(name, justify="right")
        for item in dimension.items:
            table.add_row(
                item.id if item.in_alpha else f"{item.id} ({words['lead']})",
                str(item.n),
                number(item.mean, 1),
                number(item.sd, 1),
                number(item.item_total_r, 2),
                number(item.alpha_if_deleted, 3),
            )
        console.print(table)
        alpha = dimension.alpha
        lowering = [
            f"{i.id} ({number(i.alpha_if_deleted, 3)})"
            for i in dimension.items
            if alpha is not None and i.alpha_if_deleted is not None and i.alpha_if_deleted > alpha
        ]
        if lowering:
            console.print(Text(f"{words['lowers']}: {', '.join(lowering)}"))
