"""The codebook of a research export, generated from the questionnaire: every column, its
meaning, type, values and labels (with the SPSS names and codes), the scoring rules in
words, what the export leaves out, and the item statistics of the exported rows."""

from __future__ import annotations

from typing import Any

from assess.domain.export import MIN_GROUP, ExportColumn
from assess.domain.itemstats import ItemStatistics
from assess.domain.questionnaire import Questionnaire, localized
from assess.research.sav import SavLayout

WORDS: dict[str, dict[str, str]] = {
    "title": {"de": "Codebuch", "en": "Codebook"},
    "columns": {"de": "Spalten", "en": "Columns"},
    "scoring": {"de": "Berechnung der Werte", "en": "How scores are computed"},
    "privacy": {"de": "Anonymität", "en": "Anonymity"},
    "stats": {"de": "Anhang: Itemstatistiken", "en": "Appendix: item statistics"},
    "rows": {"de": "Zeilen", "en": "rows"},
    "text": {"de": "Text", "en": "text"},
    "number": {"de": "Zahl", "en": "number"},
    "organisation": {
        "de": "Pseudonym der Organisation: in diesem Export stets gleich, in jedem Export neu",
        "en": "Pseudonym of the organisation: the same throughout this export, new in every export",
    },
    "respondent": {
        "de": "Pseudonym der befragten Person, in jedem Export neu",
        "en": "Pseudonym of the respondent, new in every export",
    },
    "attribute": {"de": "Merkmal der Organisation", "en": "Attribute of the organisation"},
    "profile": {"de": "Profilangabe der befragten Person", "en": "The respondent's profile answer"},
    "item": {"de": "Antwort", "en": "Answer"},
    "score": {"de": "Wert (0–100)", "en": "Score (0–100)"},
    "na": {"de": "na = trifft nicht zu (nicht anwendbar)", "en": "na = not applicable"},
    "empty": {"de": "leer = übersprungen", "en": "empty = skipped"},
}
SCORING = {
    "de": [
        "Itemwert 0–100: Skala (Antwort − Minimum) / (Maximum − Minimum) × 100, bei umgekehrt "
        "gepolten Items 100 minus dieser Wert; Auswahl: der Wert der gewählten Option; ja = 100, "
        "nein = 0. Übersprungene und nicht anwendbare Items haben keinen Wert (nicht null).",
        "Wert einer Ebene = Summe(Gewicht × Itemwert) / Summe(Gewicht) über die Items mit Wert; "
        "leer, wenn diese Items weniger als {coverage:.0%} des Itemgewichts der Ebene tragen.",
        "Gesamtwert = Summe(Ebenengewicht × Ebenenwert) / Summe(Ebenengewichte); leer, wenn eine "
        "Ebene keinen Wert hat. Summen laufen in der Reihenfolge des Fragebogens; nichts wird "
        "vorher gerundet.",
    ],
    "en": [
        "Item score 0–100: scale (answer − minimum) / (maximum − minimum) × 100, for reverse "
        "items 100 minus that; choice: the chosen option's score; yes = 100, no = 0. Skipped "
        "and not applicable items have no score (not zero).",
        "Dimension score = sum(weight × item score) / sum(weight) over the items with a score; "
        "empty when those items carry less than {coverage:.0%} of the dimension's item weight.",
        "Overall score = sum(dimension weight × dimension score) / sum(dimension weights); empty "
        "when any dimension has no score. Sums run in questionnaire order; nothing is rounded "
        "before the end.",
    ],
}
PRIVACY = {
    "de": [
        "Nur abgegebene Antworten abgeschlossener Befragungen von Organisationen, die dem "
        "Benchmarking zugestimmt haben.",
        "Keine Namen, E-Mail-Adressen, Links, Bezeichnungen der Befragten, Freitexte oder IDs. "
        "Pseudonyme sind Schlüssel-Hashes (SHA-256 eines zufälligen Schlüssels und der ID) mit "
        "einem Schlüssel, der nur für diesen Export erzeugt und danach verworfen wird: über "
        "die Pseudonyme lassen sich zwei Exporte nicht verknüpfen. Über gleiche Antworten "
        "lassen sich Zeilen zweier Exporte dennoch einander zuordnen; Exporte sind daher so "
        "vertraulich zu behandeln wie die Daten selbst.",
        "Die Zeilen sind nach den Pseudonymen sortiert (Organisation, dann befragte Person), "
        "also in einer für jeden Export neuen, zufälligen Reihenfolge: sie verrät nicht, wann "
        "jemand geantwortet hat.",
        "Profilangaben der Befragten (etwa die Abteilung) bleiben leer, wo weniger als "
        f"{MIN_GROUP} Befragte derselben Organisation dieselbe Angabe gemacht haben.",
        "Der Export liest einen einzigen Stand der Datenbank, den bei seinem Start; wer "
        "währenddessen die Zustimmung zurückzieht, fehlt erst im nächsten Export.",
    ],
    "en": [
        "Only submitted responses of closed assessments of organisations that opted in to "
        "benchmarks.",
        "No names, e-mail addresses, links, respondent labels, free texts or ids. Pseudonyms "
        "are keyed hashes (SHA-256 of a random key and the id) under a key made for this "
        "export only and then discarded: the pseudonyms cannot join two exports. Rows of two "
        "exports can still be matched by their identical answers, so treat an export as "
        "confidentially as the data themselves.",
        "Rows are sorted by pseudonym (organisation, then respondent), so in an order that is "
        "random and new in every export: it does not tell when anyone answered.",
        "Respondents' profile answers (such as the department) are left empty where fewer "
        f"than {MIN_GROUP} respondents of the same organisation gave the same answer.",
        "The export reads one state of the database, the one at its start; an organisation "
        "that opts out meanwhile is left out from the next export on.",
    ],
}


def codebook(
    questionnaire: Questionnaire,
    columns: list[ExportColumn],
    sav: SavLayout,
    language: str,
    statistics: ItemStatistics,
) -> dict[str, Any]:
    """The codebook as plain data (JSON-ready)."""
    entries = []
    for column, variable in zip(columns, sav.names, strict=True):
        meaning = WORDS[column.kind][language]
        labels = sav.value_labels.get(variable, {})
        label = localized(column.label, language)
        entry: dict[str, Any] = {
            "column": column.name,
            "spss_variable": variable,
            "kind": column.kind,
            "meaning": f"{meaning}: {label}" if label else meaning,
            "type": "number" if column.numeric else "text",
            "values": [
                {
                    "value": value,
                    "label": labels.get(float(code), value),
                    "spss_code": code,
                }
                for value, code in sav.codes.get(variable, {}).items()
            ],
        }
        if column.kind == "item":
            entry["missing"] = {
                "na": {"meaning": WORDS["na"][language], "spss_code": sav.na_code},
                "": WORDS["empty"][language],
            }
        if column.kind == "item" and not entry["values"]:
            entry["values"] = [
                {"value": str(int(code)), "label": text, "spss_code": int(code)}
                for code, text in sav.value_labels.get(variable, {}).items()
                if code != sav.na_code
            ]
        if column.hidden_below:
            entry["hidden_below"] = column.hidden_below
        entries.append(entry)
    return {
        "questionnaire": {
            "id": questionnaire.id,
            "version": questionnaire.version,
            "title": localized(questionnaire.title, language),
        },
        "language": language,
        "rows": statistics.respondents,
        "columns": entries,
        "scoring": [rule.format(coverage=questionnaire.min_coverage) for rule in SCORING[language]],
        "anonymity": PRIVACY[language],
        "item_statistics": statistics.to_dict(),
    }


def codebook_markdown(book: dict[str, Any]) -> str:
    """The codebook as Markdown."""
    lang = book["language"]
    q = book["questionnaire"]
    lines = [f"# {WORDS['title'][lang]}: {q['title']} ({q['id']} v{q['version']})", ""]
    lines += [f"{book['rows']} {WORDS['rows'][lang]}.", "", f"## {WORDS['columns'][lang]}", ""]
    lines += ["| column | SPSS | type | meaning | values |", "|---|---|---|---|---|"]
    for c in book["columns"]:
        values = "; ".join(f"`{v['value']}` = {v['label']} ({v['spss_code']})" for v in c["values"])
        if "missing" in c:
            na = c["missing"]["na"]
            missing = f"{na['meaning']} ({na['spss_code']}); {c['missing']['']}"
            values += ("; " if values else "") + missing
        kind = WORDS["text" if c["type"] == "text" else "number"][lang]
        names = f"`{c['column']}` | `{c['spss_variable']}`"
        lines.append(f"| {names} | {kind} | {_cell(c['meaning'])} | {_cell(values)} |")
    lines += ["", f"## {WORDS['scoring'][lang]}", ""] + [f"- {r}" for r in book["scoring"]]
    lines += ["", f"## {WORDS['privacy'][lang]}", ""] + [f"- {r}" for r in book["anonymity"]]
    lines += ["", f"## {WORDS['stats'][lang]}", ""]
    lines += [
        "| dimension / item | n | mean | sd | r(it) | alpha / alpha if deleted |",
        "|---|---|---|---|---|---|",
    ]
    for dim_id, dim in book["item_statistics"]["dimensions"].items():
        lines.append(f"| **{dim_id}** | {dim['n']} | | | | {_figure(dim['alpha'])} |")
        for item_id, f in dim["items"].items():
            lines.append(
                f"| {item_id} | {f['n']} | {_figure(f['mean'])} | {_figure(f['sd'])} | "
                f"{_figure(f['item_total_r'])} | {_figure(f['alpha_if_deleted'])} |"
            )
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _figure(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"
