"""What changed between two questionnaire versions, and whether their scores may be pooled.

Dimensions, items, stages, profile questions and options are matched by id (options by
value), so an item that moved to another dimension is one changed item, not a removed
and an added one. Every difference carries its effect:

- scores: how a score is computed, or which answers count, changes (items added, removed
  or moved; their type, weight, scale, reverse, option scores, "not applicable" or
  "can't judge" offered, who is asked them (`informant`); a level's weight; the scale;
  coverage);
- stages: which stage a score reaches changes;
- profile: the questions peer groups and researchers group by change;
- wording: what people read changes, not how it is scored (texts, a level's stage
  wording, a recommendation's text, owner and measure);
- other: sources, which recommendations are chosen and where the roadmap places them
  (their rules, priority, horizon, dependencies; added or removed; the importance scale,
  which weighs the priorities), the divergence threshold, languages.

Benchmarks pool two versions only when no difference changes scores: their scoring
signatures (`pooling.scoring_signature`, of which the pool key is the hash) are equal.
Otherwise the verdict says why: another questionnaire, levels added or removed, the
levels whose scores are computed differently, questionnaire-wide settings changed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from assess.domain.benchmarking import OVERALL
from assess.domain.differences import (
    Difference,
    Effect,
    dimension_differences,
    item_differences,
    profile_differences,
    questionnaire_differences,
    stage_differences,
)
from assess.domain.pooling import scoring_signature
from assess.domain.questionnaire import Questionnaire

# The questionnaire-wide settings that scores are computed with.
SETTINGS = ("scale", "min_coverage")

__all__ = ["Change", "Comparison", "Difference", "Effect", "Kind", "Pooling", "Subject", "compare"]


class Subject(StrEnum):
    """The kind of part that changed."""

    questionnaire = "questionnaire"
    dimension = "dimension"
    item = "item"
    stage = "stage"
    profile = "profile"


class Kind(StrEnum):
    """Whether a part is new, gone, or in both versions with differences."""

    added = "added"
    removed = "removed"
    changed = "changed"


@dataclass(frozen=True)
class Change:
    """A part added, removed, or changed (then with its differences)."""

    subject: Subject
    id: str
    kind: Kind
    effect: Effect | None = None  # of an added or removed part
    differences: tuple[Difference, ...] = ()
    dimension: str | None = None  # an item's dimension (in the new version, if there)

    @property
    def effects(self) -> list[Effect]:
        """The effects of this change, most consequential first."""
        found = {d.effect for d in self.differences}
        if self.effect is not None:
            found.add(self.effect)
        return [e for e in Effect if e in found]

    def to_dict(self) -> dict[str, Any]:
        """The change as plain JSON values."""
        return {
            "subject": self.subject.value,
            "id": self.id,
            "change": self.kind.value,
            "dimension": self.dimension,
            "effects": [e.value for e in self.effects],
            "differences": [
                {"field": d.field, "old": d.old, "new": d.new, "effect": d.effect.value}
                for d in self.differences
            ],
        }


@dataclass(frozen=True)
class Pooling:
    """Whether benchmarks pool the two versions' scores, and if not, why."""

    poolable: bool
    same_id: bool
    dimensions_added: tuple[str, ...]
    dimensions_removed: tuple[str, ...]
    # Dimensions (and "overall") whose scores are computed differently in the two versions.
    scores_changed_in: tuple[str, ...]
    # Settings of the whole questionnaire that score differently: "scale", "min_coverage".
    settings_changed: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The pooling verdict as plain JSON values."""
        return {
            "poolable": self.poolable,
            "same_id": self.same_id,
            "dimensions_added": list(self.dimensions_added),
            "dimensions_removed": list(self.dimensions_removed),
            "scores_changed_in": list(self.scores_changed_in),
            "settings_changed": list(self.settings_changed),
        }


@dataclass(frozen=True)
class Comparison:
    """Every change from the old version to the new one, and the pooling verdict."""

    old: tuple[str, int]
    new: tuple[str, int]
    changes: tuple[Change, ...]
    pooling: Pooling

    def with_effect(self, effect: Effect) -> list[Change]:
        """The changes that have this effect (among others, perhaps)."""
        return [c for c in self.changes if effect in c.effects]

    def counts(self) -> dict[str, int]:
        """How many changes have each effect."""
        return {e.value: len(self.with_effect(e)) for e in Effect}

    def to_dict(self) -> dict[str, Any]:
        """The comparison as plain JSON values, with how many changes have each effect."""
        return {
            "old": {"id": self.old[0], "version": self.old[1]},
            "new": {"id": self.new[0], "version": self.new[1]},
            "pooling": self.pooling.to_dict(),
            "counts": self.counts(),
            "changes": [c.to_dict() for c in self.changes],
        }


def compare(old: Questionnaire, new: Questionnaire) -> Comparison:
    """The changes from `old` to `new` and whether benchmarks may pool their scores."""
    changes: list[Change] = []
    top = questionnaire_differences(old, new)
    if top:
        changes.append(Change(Subject.questionnaire, new.id, Kind.changed, differences=tuple(top)))
    changes += _matched(
        Subject.dimension,
        {d.id: d for d in old.dimensions},
        {d.id: d for d in new.dimensions},
        Effect.scores,
        dimension_differences,
    )
    changes += _item_changes(old, new)
    changes += _matched(
        Subject.stage,
        {s.id: s for s in old.stages},
        {s.id: s for s in new.stages},
        Effect.stages,
        stage_differences,
    )
    changes += _matched(
        Subject.profile,
        {q.id: q for q in old.profile},
        {q.id: q for q in new.profile},
        Effect.profile,
        lambda a, b: profile_differences(old, new, a, b),
    )
    old_dims = [d.id for d in old.dimensions]
    new_dims = [d.id for d in new.dimensions]
    pooling = Pooling(
        poolable=scoring_signature(old) == scoring_signature(new),
        same_id=old.id == new.id,
        dimensions_added=tuple(d for d in new_dims if d not in old_dims),
        dimensions_removed=tuple(d for d in old_dims if d not in new_dims),
        scores_changed_in=_scores_changed_in(old, new, changes),
        settings_changed=tuple(
            d.field for d in top if d.effect == Effect.scores and d.field in SETTINGS
        ),
    )
    return Comparison((old.id, old.version), (new.id, new.version), tuple(changes), pooling)


def _matched(
    subject: Subject,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    effect: Effect,
    differences: Callable[[Any, Any], list[Difference]],
) -> list[Change]:
    """Removed parts, then added ones, then changed ones, each in questionnaire order."""
    changes = [Change(subject, key, Kind.removed, effect) for key in old if key not in new]
    changes += [Change(subject, key, Kind.added, effect) for key in new if key not in old]
    for key in new:
        if key in old:
            found = tuple(differences(old[key], new[key]))
            if found:
                changes.append(Change(subject, key, Kind.changed, differences=found))
    return changes


def _item_changes(old: Questionnaire, new: Questionnaire) -> list[Change]:
    old_items = {item.id: (dim.id, item) for dim, item in old.items()}
    new_items = {item.id: (dim.id, item) for dim, item in new.items()}
    changes = [
        Change(Subject.item, key, Kind.removed, Effect.scores, dimension=dim)
        for key, (dim, _) in old_items.items()
        if key not in new_items
    ]
    changes += [
        Change(Subject.item, key, Kind.added, Effect.scores, dimension=dim)
        for key, (dim, _) in new_items.items()
        if key not in old_items
    ]
    for key, (dim, item) in new_items.items():
        if key not in old_items:
            continue
        old_dim, old_item = old_items[key]
        found = []
        if old_dim != dim:
            found.append(Difference("dimension", old_dim, dim, Effect.scores))
        found += item_differences(old, new, old_item, item)
        if found:
            changes.append(
                Change(Subject.item, key, Kind.changed, differences=tuple(found), dimension=dim)
            )
    return changes


def _scores_changed_in(
    old: Questionnaire, new: Questionnaire, changes: list[Change]
) -> tuple[str, ...]:
    """Dimensions (and "overall") whose scores are computed differently."""
    touched: set[str] = set()
    every = {d.id for d in old.dimensions} | {d.id for d in new.dimensions}
    for change in changes:
        if Effect.scores not in change.effects:
            continue
        if change.subject == Subject.item:
            moved = [d.old for d in change.differences if d.field == "dimension"]
            touched.update(x for x in (change.dimension, *moved) if x)
        elif change.subject == Subject.dimension:
            touched.add(OVERALL)
        elif any(d.field == "min_coverage" for d in change.differences):
            # Coverage changes which respondents have a dimension score at all.
            touched.update(every)
    if touched - {OVERALL}:
        touched.add(OVERALL)  # the overall score is made of the dimension scores
    order = [d.id for d in new.dimensions] + [d.id for d in old.dimensions]
    return tuple(x for x in dict.fromkeys([*order, OVERALL]) if x in touched)
