"""A comparison of questionnaire versions level by level, in German or English: a table of
the levels, what changed in each, and every difference field by field."""

from __future__ import annotations

from assess.domain.questionnaire import Questionnaire, localized
from assess.domain.tally import ItemType
from assess.domain.version_overview import Level, Overview
from assess.domain.versions import Change, Comparison, Effect, Kind
from assess.domain.versions_format import (
    advice_text,
    before_after,
    field_name,
    level_names,
    number_text,
    value_text,
    words_in,
)
from assess.domain.versions_words import EFFECTS, FIELDS, PHRASES, SUBJECTS, VALUES

SHORT = 64  # characters of an item's text quoted in a level's changes
MARKERS = ("+", "−", "→", "←", "~")  # added, removed, moved in, moved out, scored differently


def level_table(
    found: Overview, old: Questionnaire, new: Questionnaire, language: str
) -> tuple[list[str], list[list[str]]]:
    """Per level: its statements and questions before and now, and how many were added,
    removed, scored differently, reworded (or given another source)."""
    phrases = words_in(PHRASES, language)
    names = level_names(old, new, language)
    keys = ("level", "count", "new", "removed", "scored_differently", "reworded_short")
    rows = [
        [
            names[level.id],
            f"{level.items_before} → {level.items_after}",
            str(len(level.added)),
            str(len(level.removed)),
            str(len(level.rescored) + len(level.moved_in)),
            str(len(level.reworded)),
        ]
        for level in found.levels
    ]
    return [phrases[key] for key in keys], rows


def level_details(
    found: Overview, old: Questionnaire, new: Questionnaire, language: str
) -> list[tuple[str, list[str]]]:
    """Per level that changed: its name and one line per statement or question added (+),
    removed (−), moved in (→) or out (←), or scored differently (~), then what else
    changed there."""
    phrases = words_in(PHRASES, language)
    names = level_names(old, new, language)
    before = {item.id: item for _, item in old.items()}
    after = {item.id: item for _, item in new.items()}
    sections = []
    for level in found.levels:
        lines = [f"+ {_item(after[i], language)}" for i in level.added]
        lines += [f"− {_item(before[i], language)}" for i in level.removed]
        lines += [
            f"→ {m.item}: {phrases['moved_in'].format(names.get(m.level, m.level))}"
            for m in level.moved_in
        ]
        lines += [
            f"← {m.item}: {phrases['moved_out'].format(names.get(m.level, m.level))}"
            for m in level.moved_out
        ]
        lines += [f"~ {_rescored(change, language)}" for change in level.rescored]
        lines += _level_lines(level, language)
        if lines:
            sections.append((names[level.id], lines))
    return sections


def _level_lines(level: Level, language: str) -> list[str]:
    phrases = words_in(PHRASES, language)
    lines = []
    if level.reworded:
        lines.append(f"{phrases['reworded_or_source']}: {', '.join(level.reworded)}")
    if level.weight:
        old, new = (number_text(w, language) for w in level.weight)
        lines.append(f"{phrases['weight']}: {old} → {new}")
    if level.stage_wording:
        lines.append(f"{phrases['stage_texts']}: {len(level.stage_wording)}")
    advice = advice_text([level.advice], language)
    if advice:
        lines.append(f"{phrases['advice']}: {advice}")
    return lines


def _item(item: ItemType, language: str) -> str:
    """`id – „text…“ (statement, weight 2, …)` in a line."""
    phrases, values = words_in(PHRASES, language), words_in(VALUES, language)
    text = localized(item.text, language)
    text = text if len(text) <= SHORT else text[: SHORT - 1].rstrip() + "…"
    quoted = f"„{text}“" if language == "de" else f"“{text}”"
    kind = [values[item.type]]
    if item.weight != 1:
        weight = words_in(FIELDS, language)["weight"]
        kind.append(f"{weight} {number_text(item.weight, language)}")
    if getattr(item, "reverse", False):
        kind.append(phrases["reverse"])
    if item.informant == "lead":
        kind.append(phrases["lead"])
    if item.allow_dont_know:
        kind.append(phrases["dont_know"])
    return f"{item.id} – {quoted} ({', '.join(kind)})"


def _rescored(change: Change, language: str) -> str:
    scoring = [d for d in change.differences if d.effect == Effect.scores]
    return f"{change.id}: " + "; ".join(before_after(d, language) for d in scoring)


def change_tables(
    comparison: Comparison, old: Questionnaire, new: Questionnaire, language: str
) -> list[tuple[str, list[list[str]]]]:
    """Per effect that has changes: its title with their count, and one row per difference."""
    effects = words_in(EFFECTS, language)
    names = level_names(old, new, language)
    languages = new.languages + old.languages
    tables = []
    for effect in Effect:
        changes = comparison.with_effect(effect)
        if changes:
            rows = [row for c in changes for row in _rows(c, effect, language, languages, names)]
            tables.append((f"{effects[effect]} ({len(changes)})", rows))
    return tables


def column_names(language: str) -> list[str]:
    """The headings of a table of changes: part, what, before, after."""
    phrases = words_in(PHRASES, language)
    return [phrases[column] for column in ("part", "what", "before", "after")]


def _rows(
    change: Change, effect: Effect, language: str, languages: list[str], names: dict[str, str]
) -> list[list[str]]:
    subjects, phrases = words_in(SUBJECTS, language), words_in(PHRASES, language)
    shown = names.get(change.id, change.id) if change.subject.value == "dimension" else change.id
    part = f"{subjects[change.subject]} {shown}"
    if change.kind != Kind.changed:
        level = names.get(change.dimension or "", change.dimension)
        where = f" ({subjects['dimension']} {level})" if change.dimension else ""
        return [[part + where, phrases[change.kind.value], "", ""]]
    return [
        [
            part,
            field_name(d.field, language, languages),
            value_text(d.old, language),
            value_text(d.new, language),
        ]
        for d in change.differences
        if d.effect == effect
    ]
