"""The codebook of a research export, generated from the questionnaire: every variable,
its meaning, type, values, labels and SPSS codes; per item its level, type, scale, reverse
flag, weight and each option's score; the scoring rules in words, with which a researcher
recomputes every score from the export alone; what the export leaves out; and the item
statistics of the exported rows."""

from __future__ import annotations

from typing import Any

from assess.domain.export import YES_NO, ExportColumn
from assess.domain.grouping import MIN_GROUP_RESPONDENTS
from assess.domain.itemstats import ItemStatistics
from assess.domain.questionnaire import (
    BooleanItem,
    ChoiceItem,
    ProfileScale,
    Questionnaire,
    ScaleItem,
    localized,
)
from assess.domain.variables import STATUS_LABELS
from assess.research.codebook_notes import anonymity_notes, scoring_notes
from assess.research.sav import SavLayout

WORDS: dict[str, dict[str, str]] = {
    "title": {"de": "Codebuch", "en": "Codebook"},
    "columns": {"de": "Spalten", "en": "Columns"},
    "scoring": {"de": "Berechnung der Werte", "en": "How scores are computed"},
    "privacy": {"de": "Anonymität", "en": "Anonymity"},
    "stats": {"de": "Anhang: Itemstatistiken", "en": "Appendix: item statistics"},
    "stats_note": {
        "de": "Cronbachs Alpha je Ebene über die Befragten, die jedes Item der Ebene im Alpha "
        "beantwortet haben. Wo eine Ebene Formate mischt (Aussagen mit Auswahl- oder "
        "Ja/Nein-Fragen), ist es das standardisierte Alpha der z-Werte (markiert: std.), "
        "sonst das Alpha der Werte 0–100. Fakten der Hauptansprechperson (lead) gehen "
        "in kein Alpha ein: innerhalb einer Organisation gibt es nur eine Antwort; n, "
        "Mittelwert und sd zählen sie einmal je Organisation. Das n in der Zeile einer Ebene "
        "ist das listenweise n ihres Alphas: die Befragten, die jedes dieser Items "
        "beantwortet haben.",
        "en": "Cronbach's alpha per level over the respondents who answered every item of "
        "the level in alpha. Where a level mixes formats (statements with choice or yes/no "
        "questions), it is the standardised alpha of z-scores (marked: std.), else the alpha "
        "of the 0–100 scores. Facts asked of the lead enter no alpha: an organisation has "
        "one answer to them; n, mean and sd count it once per organisation. The n in a "
        "level's row is the listwise n of its alpha: the respondents who answered every one "
        "of those items.",
    },
    "icc_note": {
        "de": "Übereinstimmung innerhalb der Organisationen: Der Vergleich mit anderen "
        "Organisationen für Forschende in der JSON-API gibt je Ebene ICC(1) und ICC(2) mit "
        "95-%-Intervallen aus der einfaktoriellen Varianzanalyse der Befragten in ihren "
        "Organisationen (je Organisation, die ihre Werte zum Vergleich freigibt, ihre "
        "neueste Erhebung), dazu k Organisationen und N Befragte. ICC(1) ist der Anteil "
        "der Varianz des Werts einer befragten Person, der zwischen den Organisationen "
        "liegt; ICC(2) ist die Reliabilität des Mittelwerts einer Organisation. Ab ICC(2) "
        "0,70 rechtfertigt sie in der Regel, den Mittelwert als Wert der Organisation zu "
        "verwenden (LeBreton & Senter 2008).",
        "en": "Agreement within organisations: the researchers' benchmarks (GET "
        "/api/v1/research/questionnaires/{id}/versions/{v}/benchmarks) give per level ICC(1) "
        "and ICC(2) with 95 % intervals from the one-way analysis of variance of "
        "respondents nested in organisations (the current entry of each organisation that "
        "takes part), with the k organisations and N respondents behind them. ICC(1) is "
        "the share of the variance of a respondent's score that lies between "
        "organisations; ICC(2) is the reliability of an organisation's mean. ICC(2) of "
        "0.70 and above usually justifies using the mean as the organisation's score "
        "(LeBreton & Senter 2008).",
    },
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
    "organisation_profile": {
        "de": "Angabe der befragten Person über ihre Organisation",
        "en": "The respondent's answer about their organisation",
    },
    "item": {"de": "Antwort", "en": "Answer"},
    "status": {
        "de": "Status der Antwort (warum die Antwortspalte leer ist)",
        "en": "Status of the answer (why the answer's column is empty)",
    },
    "score": {"de": "Wert (0–100)", "en": "Score (0–100)"},
    "lead": {
        "de": "Antwort der Hauptansprechperson (1) oder einer anderen befragten Person (0)",
        "en": "Answered by the lead respondent (1) or by anyone else (0)",
    },
    "importance": {"de": "Wichtigkeit der Ebene", "en": "Importance of the level"},
}
SCORING = {
    "de": [
        "Regel 1, Punktwert eines Items 0–100: Skala (Antwort − scale_min) / (scale_max − "
        "scale_min) × 100, bei reverse = true 100 minus dieser Wert; Auswahl und ja/nein: "
        "value_score der gewählten Option (ja = 100, nein = 0). Ein Item ohne Antwort "
        "(Status na, dk oder skipped) hat keinen Wert (nicht null).",
        "Regel 2, Wert einer Ebene (score_<Ebene>) = Summe(weight × Punktwert) / Summe(weight) "
        "über die Items der Ebene mit Wert; leer, wenn diese Items weniger als min_coverage "
        "({coverage:.0%}) der Summe der weight aller Items der Ebene tragen.",
        "Regel 3, Gesamtwert (score_overall) = Summe(dimension_weight × Ebenenwert) / "
        "Summe(dimension_weight) über alle Ebenen; leer, wenn eine Ebene keinen Wert hat.",
        "Regel 4, Stufe eines Werts: die letzte Stufe, deren Mindestwert (value_score der "
        "Zeilen „stage“) höchstens so groß ist wie der Wert.",
        "Regel 5, Werte einer Organisation: je Ebene der Mittelwert der Ebenenwerte ihrer "
        "Befragten, die einen haben; ihr Gesamtwert nach Regel 3 aus diesen Mittelwerten. "
        "Zeilen mit demselben Pseudonym der Organisation gehören zu ihr.",
        "Summen laufen in der Reihenfolge des Fragebogens (der Spalten); nichts wird vor dem "
        "Ende gerundet. Die Regeln sind die des Fragebogenformats des Dienstes.",
    ],
    "en": [
        "Rule 1, item score 0–100: scale (answer − scale_min) / (scale_max − scale_min) × "
        "100, for reverse = true 100 minus that; choice and yes/no: the chosen option's "
        "value_score (yes = 100, no = 0). An item without an answer (status na, dk or "
        "skipped) has no score (not zero).",
        "Rule 2, level score (score_<level>) = sum(weight × item score) / sum(weight) over "
        "the level's items with a score; empty when those items carry less than min_coverage "
        "({coverage:.0%}) of the summed weight of all the level's items.",
        "Rule 3, overall score (score_overall) = sum(dimension_weight × level score) / "
        "sum(dimension_weight) over all levels; empty when any level has no score.",
        "Rule 4, stage of a score: the last stage whose minimum (value_score of the "
        '"stage" rows) is at most the score.',
        "Rule 5, an organisation's scores: per level the mean of the level scores of its "
        "respondents who have one; its overall score by rule 3 from those means. Rows with "
        "the same organisation pseudonym belong to it.",
        "Sums run in questionnaire (column) order; nothing is rounded before the end. These "
        "are the rules of the service's questionnaire format.",
    ],
}
MISSING_TEXT = {
    "de": "Antwortspalten von Skalen enthalten nur Zahlen, die anderen nur Optionen. Wo ein "
    "Item keine Antwort hat, ist die Zelle leer und die Spalte <Item>_status sagt warum: "
    "na = nicht anwendbar, dk = kann ich nicht beurteilen, skipped = ausgelassen; wo es "
    "eine Antwort hat, ist die Statusspalte leer. Die SPSS-Datei hat keine Statusspalten: "
    "dort sind diese drei Fälle fehlende Werte der Itemvariable mit eigenen Codes "
    "(spss_code).",
    "en": "Answer columns of scales hold numbers only, the others options only. Where an "
    "item has no answer, its cell is empty and the column <item>_status says why: na = not "
    "applicable, dk = can't judge, skipped = skipped; where it has an answer, the status "
    "column is empty. The SPSS file has no status columns: there these three cases are "
    "user-missing values of the item's variable with codes of their own (spss_code).",
}
PRIVACY = {
    "de": [
        "Nur abgegebene Antworten abgeschlossener Erhebungen von Organisationen, die dem "
        "Vergleich mit anderen Organisationen zugestimmt haben.",
        "Keine Namen, E-Mail-Adressen, Links, Bezeichnungen der Befragten, Freitexte oder IDs. "
        "Pseudonyme sind Schlüssel-Hashes (SHA-256 eines zufälligen Schlüssels und der ID) mit "
        "einem Schlüssel, der nur für diesen Export erzeugt und danach verworfen wird: über "
        "die Pseudonyme lassen sich zwei Exporte nicht verknüpfen. Über gleiche Antworten "
        "lassen sich Zeilen zweier Exporte dennoch einander zuordnen; Exporte sind daher so "
        "vertraulich zu behandeln wie die Daten selbst.",
        "Die Zeilen sind nach den Pseudonymen sortiert (Organisation, dann befragte Person), "
        "also in einer für jeden Export neuen, zufälligen Reihenfolge: sie verrät nicht, wann "
        "jemand geantwortet hat.",
        "Profilangaben der Befragten (etwa die Abteilung, auch ihre Angaben über die "
        f"Organisation) bleiben leer, wo weniger als {MIN_GROUP_RESPONDENTS} Befragte derselben "
        "Organisation dieselbe Angabe gemacht haben; alle Profilangaben einer Zeile bleiben "
        f"leer, wo die übrigen zusammen weniger als {MIN_GROUP_RESPONDENTS} Befragte gemeinsam "
        "haben.",
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
        "Respondents' profile answers (such as the department, and their answers about the "
        f"organisation) are left empty where fewer than {MIN_GROUP_RESPONDENTS} respondents of "
        "the same organisation gave the same answer; all of a row's are left empty where those "
        f"left are shared, all together, by fewer than {MIN_GROUP_RESPONDENTS}.",
        "The export reads one state of the database, the one at its start; an organisation "
        "that opts out meanwhile is left out from the next export on.",
    ],
}


def codebook(
    questionnaire: Questionnaire,
    columns: list[ExportColumn],
    sav: SavLayout,
    language: str,
    statistics: ItemStatistics | None = None,
) -> dict[str, Any]:
    """The codebook as plain data (JSON-ready); item statistics where given."""
    book: dict[str, Any] = {
        "questionnaire": {
            "id": questionnaire.id,
            "version": questionnaire.version,
            "title": localized(questionnaire.title, language),
        },
        "language": language,
        "variables": [_variable(questionnaire, column, sav, language) for column in columns],
        "stages": [
            {"stage": s.id, "name": localized(s.name, language), "min_score": s.min_score}
            for s in questionnaire.stages
        ],
        "scoring": [rule.format(coverage=questionnaire.min_coverage) for rule in SCORING[language]]
        + scoring_notes(questionnaire, language),
        "missing": MISSING_TEXT[language],
        "anonymity": PRIVACY[language] + anonymity_notes(questionnaire, language),
    }
    if statistics is not None:
        book["rows"] = statistics.respondents
        book["item_statistics"] = statistics.to_dict()
    return book


def _variable(
    questionnaire: Questionnaire, column: ExportColumn, sav: SavLayout, language: str
) -> dict[str, Any]:
    label = localized(column.label, language)
    about_organisation = column.kind == "profile" and column.question.scope == "organisation"
    meaning = WORDS["organisation_profile" if about_organisation else column.kind][language]
    entry: dict[str, Any] = {
        "variable": column.name,
        "kind": column.kind,
        "label": label,
        "meaning": f"{meaning}: {label}" if label else meaning,
        "type": "number" if column.numeric else "text",
    }
    if column.kind == "profile":
        entry["scope"] = column.question.scope
    if column.kind == "status":
        entry["values"] = [
            {
                "value": status,
                "label": localized(text, language),
                "spss_code": sav.missing_codes[status],
            }
            for status in sav.statuses(column)
            for text in (STATUS_LABELS[status],)
        ]
        return entry
    codes = sav.codes.get(column.name, {})
    labels = sav.value_labels.get(column.name, {})
    if column.kind == "item":
        entry |= _item(questionnaire, column.question)
    elif column.kind == "score" and column.question is not None:
        entry["dimension"] = column.question.id
        entry["dimension_weight"] = column.question.weight
        entry["min_coverage"] = questionnaire.min_coverage
    elif column.kind == "importance" and questionnaire.importance is not None:
        entry["dimension"] = column.question.id
        entry["scale_min"] = questionnaire.importance.min
        entry["scale_max"] = questionnaire.importance.max
    elif isinstance(column.question, ProfileScale):
        entry["scale_min"], entry["scale_max"] = questionnaire.scale_of(column.question)
    scores = _option_scores(column)
    if codes:
        entry["values"] = [
            {"value": value, "label": labels.get(float(code), value), "spss_code": code}
            | ({"score": scores[value]} if value in scores else {})
            for value, code in codes.items()
        ]
    elif labels:  # points of a scale with labels
        entry["values"] = [
            {"value": str(int(code)), "label": text, "spss_code": int(code)}
            for code, text in labels.items()
            if code not in sav.missing_codes.values()
        ]
    if column.hidden_below:
        entry["hidden_below"] = column.hidden_below
    return entry


def _item(questionnaire: Questionnaire, item: Any) -> dict[str, Any]:
    """What scoring needs of an item: its level, type, weight, scale and reverse flag."""
    dimension = next(d for d in questionnaire.dimensions if item in d.items)
    facts: dict[str, Any] = {
        "dimension": dimension.id,
        "dimension_weight": dimension.weight,
        "item_type": item.type,
        "weight": item.weight,
        "allow_na": item.allow_na,
    }
    if item.allow_dont_know:
        facts["allow_dont_know"] = True
    if item.informant == "lead":
        facts["informant"] = "lead"
    if isinstance(item, ScaleItem):
        facts["scale_min"], facts["scale_max"] = questionnaire.scale_of(item)
        facts["reverse"] = item.reverse
    return facts


def _option_scores(column: ExportColumn) -> dict[str, float]:
    """The score of each option of an item (yes 100, no 0); none for other columns."""
    if isinstance(column.question, ChoiceItem):
        return {o.value: o.score for o in column.question.options}
    if isinstance(column.question, BooleanItem) and column.values == YES_NO:
        return {"yes": 100.0, "no": 0.0}
    return {}
