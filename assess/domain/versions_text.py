"""A comparison of two questionnaire versions as people read it, in German or English."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from assess.domain.benchmarking import OVERALL
from assess.domain.questionnaire import Questionnaire, localized
from assess.domain.versions import Change, Comparison, Effect, Kind, Subject

WORDS = {
    "en": {
        Effect.scores: "Changes that alter scores",
        Effect.stages: "Stages",
        Effect.profile: "Profile questions",
        Effect.wording: "Wording (scores unchanged)",
        Effect.other: "Other changes",
        Subject.questionnaire: "questionnaire",
        Subject.dimension: "dimension",
        Subject.item: "item",
        Subject.stage: "stage",
        Subject.profile: "profile question",
        Kind.added: "added",
        Kind.removed: "removed",
        "part": "Part",
        "what": "What",
        "before": "Before",
        "after": "After",
        "none": "No differences.",
        "pool": "Benchmarks pool their scores",
        "yes": "yes",
        "no": "no",
        "same": "every score is computed the same way",
        "other_id": "different questionnaires",
        "dims_added": "dimensions added: {}",
        "dims_removed": "dimensions removed: {}",
        "changed_in": "scores are computed differently in: {}",
        "overall": "overall score",
        "weight": "weight",
        "type": "type",
        "allow_na": "'not applicable' offered",
        "reverse": "reverse",
        "scale": "scale",
        "options": "option",
        "score": "score",
        "label": "label",
        "labels": "scale label",
        "text": "text",
        "help": "help",
        "name": "name",
        "description": "description",
        "title": "title",
        "min_coverage": "minimum coverage",
        "divergence_threshold": "divergence threshold",
        "languages": "languages",
        "source": "source",
        "recommendations": "recommendations",
        "dimension": "dimension",
        "min_score": "starts at",
        "scope": "scope",
        "max_length": "maximum length",
        "importance": "importance scale",
        "allow_dont_know": "'can't judge' offered",
        "informant": "asked of",
        "stages": "stage wording",
        "when": "rule",
        "priority": "priority",
        "horizon": "horizon",
        "owner": "owner",
        "first_step": "first step",
        "measure": "measure of success",
        "depends_on": "depends on",
    },
    "de": {
        Effect.scores: "Änderungen, die Werte verändern",
        Effect.stages: "Stufen",
        Effect.profile: "Profilfragen",
        Effect.wording: "Formulierungen (Werte unverändert)",
        Effect.other: "Weitere Änderungen",
        Subject.questionnaire: "Fragebogen",
        Subject.dimension: "Ebene",
        Subject.item: "Item",
        Subject.stage: "Stufe",
        Subject.profile: "Profilfrage",
        Kind.added: "hinzugefügt",
        Kind.removed: "entfernt",
        "part": "Teil",
        "what": "Was",
        "before": "Vorher",
        "after": "Nachher",
        "none": "Keine Unterschiede.",
        "pool": "Benchmarks fassen die Werte zusammen",
        "yes": "ja",
        "no": "nein",
        "same": "alle Werte werden gleich berechnet",
        "other_id": "verschiedene Fragebögen",
        "dims_added": "Ebenen hinzugefügt: {}",
        "dims_removed": "Ebenen entfernt: {}",
        "changed_in": "Werte werden anders berechnet in: {}",
        "overall": "Gesamtwert",
        "weight": "Gewicht",
        "type": "Typ",
        "allow_na": "„trifft nicht zu“ angeboten",
        "reverse": "umgekehrt",
        "scale": "Skala",
        "options": "Option",
        "score": "Wert",
        "label": "Beschriftung",
        "labels": "Skalenbeschriftung",
        "text": "Text",
        "help": "Hilfe",
        "name": "Name",
        "description": "Beschreibung",
        "title": "Titel",
        "min_coverage": "Mindestabdeckung",
        "divergence_threshold": "Abweichungsschwelle",
        "languages": "Sprachen",
        "source": "Quelle",
        "recommendations": "Empfehlungen",
        "dimension": "Ebene",
        "min_score": "beginnt bei",
        "scope": "Geltung",
        "max_length": "Höchstlänge",
        "importance": "Wichtigkeitsskala",
        "allow_dont_know": "„kann ich nicht beurteilen“ angeboten",
        "informant": "gefragt wird",
        "stages": "Stufenbeschreibung",
        "when": "Regel",
        "priority": "Priorität",
        "horizon": "Zeithorizont",
        "owner": "Verantwortlich",
        "first_step": "erster Schritt",
        "measure": "Erfolgsmessung",
        "depends_on": "hängt ab von",
    },
}


def _words(language: str) -> dict[Any, str]:
    return WORDS.get(language, WORDS["en"])


def pooling_text(
    comparison: Comparison, old: Questionnaire, new: Questionnaire, language: str
) -> str:
    """One sentence: whether benchmarks pool the two versions, and why (not)."""
    words = _words(language)
    pooling = comparison.pooling
    if pooling.poolable:
        return f"{words['pool']}: {words['yes']} ({words['same']})."
    reasons = [] if pooling.same_id else [words["other_id"]]
    if pooling.dimensions_added:
        reasons.append(words["dims_added"].format(", ".join(pooling.dimensions_added)))
    if pooling.dimensions_removed:
        reasons.append(words["dims_removed"].format(", ".join(pooling.dimensions_removed)))
    if pooling.scores_changed_in:
        names = {d.id: localized(d.name, language) for d in [*old.dimensions, *new.dimensions]}
        names[OVERALL] = words["overall"]
        listed = ", ".join(names.get(x, x).split(" – ")[0] for x in pooling.scores_changed_in)
        reasons.append(words["changed_in"].format(listed))
    reasons += [words[setting] for setting in pooling.settings_changed]
    return f"{words['pool']}: {words['no']} ({'; '.join(reasons)})."


def summary_text(
    comparison: Comparison, old: Questionnaire, new: Questionnaire, language: str
) -> str:
    """The verdict on pooling, and why."""
    return pooling_text(comparison, old, new, language)


def print_comparison(
    comparison: Comparison,
    old: Questionnaire,
    new: Questionnaire,
    language: str,
    console: Console | None = None,
) -> None:
    """The verdict, then one table per effect listing each difference."""
    console = console or Console()
    words = _words(language)
    (old_id, old_version), (new_id, new_version) = comparison.old, comparison.new
    console.print(Text(f"{old_id} v{old_version} → {new_id} v{new_version}", style="bold"))
    console.print(Text(pooling_text(comparison, old, new, language)))
    if not comparison.changes:
        console.print(Text(words["none"]))
        return
    for title, rows in change_tables(comparison, old, new, language):
        table = Table(title=Text(title), title_justify="left")
        for column in column_names(language):
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*(Text(cell) for cell in row))
        console.print(table)


def column_names(language: str) -> list[str]:
    """The headings of a table of changes: part, what, before, after."""
    words = _words(language)
    return [words[column] for column in ("part", "what", "before", "after")]


def change_tables(
    comparison: Comparison, old: Questionnaire, new: Questionnaire, language: str
) -> list[tuple[str, list[list[str]]]]:
    """Per effect that has changes: its title with their count, and one row per difference."""
    words = _words(language)
    tables = []
    for effect in Effect:
        changes = comparison.with_effect(effect)
        if not changes:
            continue
        rows = [
            row
            for change in changes
            for row in _rows(change, effect, language, new.languages + old.languages)
        ]
        tables.append((f"{words[effect]} ({len(changes)})", rows))
    return tables


def _rows(change: Change, effect: Effect, language: str, languages: list[str]) -> list[list[str]]:
    words = _words(language)
    part = f"{words[change.subject]} {change.id}"
    if change.kind != Kind.changed:
        where = f" ({words['dimension']} {change.dimension})" if change.dimension else ""
        return [[part + where, words[change.kind], "", ""]]
    return [
        [
            part,
            _field(d.field, words, languages),
            _value(d.old, words, language),
            _value(d.new, words, language),
        ]
        for d in change.differences
        if d.effect == effect
    ]


def _field(name: str, words: dict[Any, str], languages: list[str]) -> str:
    """`options.board.label.de` -> "option board label (de)"."""
    parts = []
    for token in name.split("."):
        parts.append(f"({token})" if token in languages else words.get(token, token))
    return " ".join(parts)


def _value(value: object, words: dict[Any, str], language: str) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return words["yes"] if value else words["no"]
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",") if language == "de" else f"{value:g}"
    if isinstance(value, list):
        if len(value) == 2 and all(isinstance(v, int) for v in value):
            return f"{value[0]}–{value[1]}"
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):  # a rule or a quoted source
        return "; ".join(f"{k}: {_value(v, words, language)}" for k, v in value.items())
    return str(value)
