"""A comparison of two questionnaire versions as people read it, in German or English: the
verdict on pooling and why, a summary (levels, statements and questions per level,
stages renamed, settings, profile, advice), what changed in each level, and on request
every difference field by field."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from assess.domain.benchmarking import OVERALL
from assess.domain.questionnaire import Questionnaire, localized
from assess.domain.version_overview import Overview, overview
from assess.domain.versions import Comparison, Effect, Kind
from assess.domain.versions_format import (
    advice_text,
    before_after,
    counts_text,
    joined_with_and,
    level_names,
    number_text,
    value_text,
    words_in,
)
from assess.domain.versions_levels import (
    MARKERS,
    change_tables,
    column_names,
    level_details,
    level_table,
)
from assess.domain.versions_words import PHRASES

__all__ = [
    "change_tables",
    "column_names",
    "comparison_document",
    "level_details",
    "level_table",
    "pooling_text",
    "print_comparison",
    "summary_lines",
    "summary_text",
]

WHOLE = ("title", "description")  # texts of the questionnaire named without their part


def pooling_text(
    comparison: Comparison, old: Questionnaire, new: Questionnaire, language: str
) -> str:
    """Whether benchmarks pool the two versions, and if not, why."""
    phrases = words_in(PHRASES, language)
    pooling = comparison.pooling
    if pooling.poolable:
        return str(phrases["pool_yes"])
    names = level_names(old, new, language)
    reasons = [] if pooling.same_id else [phrases["other_id"]]
    if pooling.dimensions_added:
        listed = ", ".join(names[d] for d in pooling.dimensions_added)
        reasons.append(phrases["levels_added"].format(listed))
    if pooling.dimensions_removed:
        listed = ", ".join(names[d] for d in pooling.dimensions_removed)
        reasons.append(phrases["levels_removed"].format(listed))
    if pooling.scores_changed_in:
        names[OVERALL] = phrases["overall"]
        listed = joined_with_and(
            [names.get(x, x) for x in pooling.scores_changed_in], phrases["and"]
        )
        reasons.append(phrases["changed_in"].format(listed))
    changed = {"scale": "scale_changed", "min_coverage": "coverage_changed"}
    reasons += [phrases[changed[setting]] for setting in pooling.settings_changed]
    return str(phrases["pool_no"].format("; ".join(reasons)))


def summary_lines(
    comparison: Comparison, old: Questionnaire, new: Questionnaire, language: str
) -> list[str]:
    """One line per part that changed: levels, statements and questions, stages, the
    questionnaire's settings, profile questions, recommendations."""
    phrases = words_in(PHRASES, language)
    found = overview(comparison, old, new)
    names = level_names(old, new, language)
    levels = found.levels
    kept = [level for level in levels if level.kind is None]
    added = [names[level.id] for level in levels if level.kind == Kind.added]
    removed = [names[level.id] for level in levels if level.kind == Kind.removed]
    parts = [
        (phrases["all_kept"] if not added and not removed else phrases["kept"]).format(len(kept))
    ]
    parts += [f"{phrases['added']}: {', '.join(added)}"] if added else []
    parts += [f"{phrases['removed']}: {', '.join(removed)}"] if removed else []
    lines = [f"{phrases['levels']}: {'; '.join(parts)}."]
    counts = phrases["items_counts"].format(len(old.item_ids()), len(new.item_ids()))
    numbers = counts_text(
        language,
        n_added=sum(len(level.added) for level in levels),
        n_removed=sum(len(level.removed) for level in levels),
        n_rescored=sum(len(level.rescored) + len(level.moved_in) for level in levels),
        n_reworded=sum(len(level.reworded) for level in levels),
    )
    lines.append(f"{phrases['items']}: {counts}" + (f": {numbers}." if numbers else "."))
    lines += _stage_lines(found, old, new, language)
    settings = _setting_phrases(found, language)
    if settings:
        lines.append(f"{phrases['questionnaire']}: {'; '.join(settings)}.")
    profile = [
        f"{phrases[kind]}: {', '.join(ids)}"
        for kind, ids in (
            ("added", found.profile_added),
            ("removed", found.profile_removed),
            ("changed", found.profile_changed),
        )
        if ids
    ]
    if profile:
        lines.append(f"{phrases['profile']}: {'; '.join(profile)}.")
    advice = advice_text([level.advice for level in levels], language)
    if advice:
        lines.append(f"{phrases['advice']}: {advice}.")
    return lines


def summary_text(
    comparison: Comparison, old: Questionnaire, new: Questionnaire, language: str
) -> str:
    """The verdict on pooling and the summary, one line each."""
    if not comparison.changes:
        return pooling_text(comparison, old, new, language)
    lines = summary_lines(comparison, old, new, language)
    return "\n".join([pooling_text(comparison, old, new, language), *lines])


def _stage_lines(
    found: Overview, old: Questionnaire, new: Questionnaire, language: str
) -> list[str]:
    phrases = words_in(PHRASES, language)
    parts = []
    if found.stages_renamed:
        pairs = "; ".join(
            f"{phrases['from']} {number_text(r.new.min_score, language)}: "
            f"{localized(r.old.name, language)} → {localized(r.new.name, language)}"
            for r in found.stages_renamed
        )
        parts.append(f"{len(found.stages_renamed)} {phrases['renamed']} ({pairs})")
    names = {s.id: localized(s.name, language) for s in [*old.stages, *new.stages]}
    for kind in ("added", "removed"):
        ids = getattr(found, f"stages_{kind}")
        if ids:
            parts.append(f"{phrases[kind]}: {', '.join(names[s] for s in ids)}")
    moved = [
        phrases["starts"].format(
            names[s], number_text(after, language), number_text(before, language)
        )
        for s, before, after in found.thresholds
    ]
    if parts and not moved and not found.stages_added and not found.stages_removed:
        moved = [phrases["thresholds_kept"]]
    parts += moved
    return [f"{phrases['stages']}: {'; '.join(parts)}."] if parts else []


def _setting_phrases(found: Overview, language: str) -> list[str]:
    """The questionnaire's own changes: texts reworded once per text, values before and
    after, importance added or removed."""
    phrases = words_in(PHRASES, language)
    said: dict[str, str] = {}
    importance = next((d for d in found.settings if d.field == "importance"), None)
    for difference in found.settings:
        base = difference.field.split(".")[0]
        if base == "importance" and importance is not None:
            if importance.old is None:
                span = value_text(importance.new, language)
                said[base] = phrases["importance_added"].format(span)
                continue
            if importance.new is None:
                said[base] = phrases["importance_removed"]
                continue
        if difference.effect == Effect.wording:
            # One mention per text, whatever its languages and scale points.
            key = ".".join(difference.field.split(".")[: 1 if base in WHOLE else 2])
            said.setdefault(key, f"{phrases.get(key, key)} {phrases['reworded']}")
        else:
            said.setdefault(difference.field, before_after(difference, language))
    return list(said.values())


def comparison_document(
    comparison: Comparison, old: Questionnaire, new: Questionnaire, language: str
) -> dict[str, Any]:
    """The comparison as JSON: the summary first, then the overview, every change."""
    plain = comparison.to_dict()
    return {
        "old": plain["old"],
        "new": plain["new"],
        "summary": summary_text(comparison, old, new, language),
        "pooling": plain["pooling"],
        "overview": overview(comparison, old, new).to_dict(),
        "counts": plain["counts"],
        "changes": plain["changes"],
    }


def print_comparison(
    comparison: Comparison,
    old: Questionnaire,
    new: Questionnaire,
    language: str,
    console: Console | None = None,
    *,
    details: bool = False,
) -> None:
    """The verdict and the summary, a table of the levels, what changed in each level;
    with `details` every difference field by field."""
    console = console or Console()
    phrases = words_in(PHRASES, language)
    (old_id, old_version), (new_id, new_version) = comparison.old, comparison.new
    console.print(Text(f"{old_id} v{old_version} → {new_id} v{new_version}", style="bold"))
    console.print(Text(pooling_text(comparison, old, new, language)))
    if not comparison.changes:
        console.print(Text(phrases["none"]))
        return
    console.print()
    for line in summary_lines(comparison, old, new, language):
        console.print(Text(line))
    found = overview(comparison, old, new)
    columns, rows = level_table(found, old, new, language)
    _print_table(console, "", columns, rows)
    for name, lines in level_details(found, old, new, language):
        console.print(Text(name, style="bold"))
        listed = Table.grid(padding=(0, 1))
        listed.add_column(width=2, justify="right")
        listed.add_column()
        for line in lines:
            marker, _, rest = line.partition(" ")
            if marker in MARKERS:
                listed.add_row(marker, Text(rest))
            else:
                listed.add_row("", Text(line))
        console.print(listed)
    if not details:
        console.print()
        console.print(Text(phrases["details_hint"], style="dim"))
        return
    for title, table_rows in change_tables(comparison, old, new, language):
        _print_table(console, title, column_names(language), table_rows)


def _print_table(console: Console, title: str, columns: list[str], rows: list[list[str]]) -> None:
    table = Table(title=Text(title) if title else None, title_justify="left")
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    console.print(table)
