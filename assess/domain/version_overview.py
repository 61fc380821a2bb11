"""A comparison of two questionnaire versions summed up as a consultant asks about it:
which levels stay, what each level's statements and questions became, which stages were
renamed, and which settings of the whole questionnaire changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assess.domain.questionnaire import Questionnaire, Recommendation, Stage
from assess.domain.versions import Change, Comparison, Difference, Effect, Kind, Subject


@dataclass(frozen=True)
class Moved:
    """An item that moved between levels: its id and the other level."""

    item: str
    level: str


@dataclass(frozen=True)
class Advice:
    """How a level's recommendations changed: matched by id."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    # Changed only as far as their stage rules follow renamed stages.
    following_stages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Level:
    """What became of one level: its items added, removed, moved, scored differently or
    worded anew (or given another source), its recommendations and its own stage texts."""

    id: str
    kind: Kind | None  # None: in both versions
    items_before: int
    items_after: int
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    moved_in: tuple[Moved, ...] = ()
    moved_out: tuple[Moved, ...] = ()
    rescored: tuple[Change, ...] = ()
    reworded: tuple[str, ...] = ()
    weight: tuple[float, float] | None = None
    stage_wording: tuple[str, ...] = ()
    advice: Advice = field(default_factory=Advice)

    def to_dict(self) -> dict[str, Any]:
        """The level's changes as plain JSON values."""
        return {
            "id": self.id,
            "change": self.kind.value if self.kind else "kept",
            "items_before": self.items_before,
            "items_after": self.items_after,
            "added": list(self.added),
            "removed": list(self.removed),
            "moved_in": [{"item": m.item, "from": m.level} for m in self.moved_in],
            "moved_out": [{"item": m.item, "to": m.level} for m in self.moved_out],
            "scored_differently": [c.id for c in self.rescored],
            "reworded": list(self.reworded),
            "weight": list(self.weight) if self.weight else None,
            "stage_wording": list(self.stage_wording),
            "recommendations": {
                "added": list(self.advice.added),
                "removed": list(self.advice.removed),
                "changed": list(self.advice.changed),
                "following_renamed_stages": list(self.advice.following_stages),
            },
        }


@dataclass(frozen=True)
class Renamed:
    """A stage that starts where it did but has another id or name."""

    old: Stage
    new: Stage


@dataclass(frozen=True)
class Overview:
    """The comparison summed up: levels, stages, questionnaire settings, profile."""

    levels: tuple[Level, ...]
    stages_renamed: tuple[Renamed, ...]
    stages_added: tuple[str, ...]
    stages_removed: tuple[str, ...]
    thresholds: tuple[tuple[str, float, float], ...]  # a stage's start: id, before, after
    settings: tuple[Difference, ...]  # of the questionnaire as a whole
    profile_added: tuple[str, ...]
    profile_removed: tuple[str, ...]
    profile_changed: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """The overview as plain JSON values."""
        return {
            "levels": [level.to_dict() for level in self.levels],
            "stages": {
                "renamed": [
                    {"from": r.old.id, "to": r.new.id, "min_score": r.new.min_score}
                    for r in self.stages_renamed
                ],
                "added": list(self.stages_added),
                "removed": list(self.stages_removed),
                "thresholds": [
                    {"stage": s, "old": old, "new": new} for s, old, new in self.thresholds
                ],
            },
            "settings": [
                {"field": d.field, "old": d.old, "new": d.new, "effect": d.effect.value}
                for d in self.settings
            ],
            "profile": {
                "added": list(self.profile_added),
                "removed": list(self.profile_removed),
                "changed": list(self.profile_changed),
            },
        }


def overview(comparison: Comparison, old: Questionnaire, new: Questionnaire) -> Overview:
    """The comparison of `old` and `new` summed up per level, stage and setting."""
    renamed = _renamed_stages(comparison, old, new)
    mapping = {r.old.id: r.new.id for r in renamed}
    paired = {r.old.id for r in renamed} | {r.new.id for r in renamed}
    stage_changes = [c for c in comparison.changes if c.subject == Subject.stage]
    top = [c for c in comparison.changes if c.subject == Subject.questionnaire]
    profile = [c for c in comparison.changes if c.subject == Subject.profile]
    return Overview(
        levels=tuple(_levels(comparison, old, new, mapping)),
        stages_renamed=tuple(renamed),
        stages_added=_ids(stage_changes, Kind.added, paired),
        stages_removed=_ids(stage_changes, Kind.removed, paired),
        thresholds=tuple(
            (c.id, d.old, d.new)
            for c in stage_changes
            for d in c.differences
            if d.field == "min_score"
        ),
        settings=tuple(d for c in top for d in c.differences),
        profile_added=_ids(profile, Kind.added),
        profile_removed=_ids(profile, Kind.removed),
        profile_changed=_ids(profile, Kind.changed),
    )


def _ids(changes: list[Change], kind: Kind, leave_out: set[str] | None = None) -> tuple[str, ...]:
    return tuple(c.id for c in changes if c.kind == kind and c.id not in (leave_out or set()))


def _renamed_stages(
    comparison: Comparison, old: Questionnaire, new: Questionnaire
) -> list[Renamed]:
    """Stages whose id or name differs where they start at the same score: a removed and
    an added stage of the same threshold, or a stage kept under a new name."""
    before = {s.id: s for s in old.stages}
    after = {s.id: s for s in new.stages}
    removed = [before[c.id] for c in comparison.changes if _is(c, Subject.stage, Kind.removed)]
    added = {after[c.id].min_score: after[c.id] for c in comparison.changes
             if _is(c, Subject.stage, Kind.added)}  # fmt: skip
    found = [Renamed(s, added[s.min_score]) for s in removed if s.min_score in added]
    for change in comparison.changes:
        names = [d for d in change.differences if d.field.startswith("name.")]
        if _is(change, Subject.stage, Kind.changed) and names:
            found.append(Renamed(before[change.id], after[change.id]))
    return sorted(found, key=lambda r: r.new.min_score)


def _is(change: Change, subject: Subject, kind: Kind) -> bool:
    return change.subject == subject and change.kind == kind


def _levels(
    comparison: Comparison, old: Questionnaire, new: Questionnaire, stages: dict[str, str]
) -> list[Level]:
    before = {d.id: d for d in old.dimensions}
    after = {d.id: d for d in new.dimensions}
    items = [c for c in comparison.changes if c.subject == Subject.item]
    levels = {c.id: c for c in comparison.changes if c.subject == Subject.dimension}
    moved = [(c, origin) for c in items if (origin := _moved_from(c))]
    found = []
    for level_id in dict.fromkeys([*after, *before]):
        change = levels.get(level_id)
        kind = change.kind if change is not None and change.kind != Kind.changed else None
        mine = [c for c in items if c.dimension == level_id]
        differences = change.differences if change is not None else ()
        weight = next((d for d in differences if d.field == "weight"), None)
        found.append(
            Level(
                id=level_id,
                kind=kind,
                items_before=len(before[level_id].items) if level_id in before else 0,
                items_after=len(after[level_id].items) if level_id in after else 0,
                added=tuple(c.id for c in mine if c.kind == Kind.added),
                removed=tuple(c.id for c in mine if c.kind == Kind.removed),
                moved_in=tuple(Moved(c.id, f) for c, f in moved if c.dimension == level_id),
                moved_out=tuple(Moved(c.id, str(c.dimension)) for c, f in moved if f == level_id),
                rescored=tuple(
                    c
                    for c in mine
                    if c.kind == Kind.changed and not _moved_from(c) and Effect.scores in c.effects
                ),
                reworded=tuple(
                    c.id for c in mine if c.kind == Kind.changed and Effect.scores not in c.effects
                ),
                weight=(weight.old, weight.new) if weight else None,
                stage_wording=_stage_wording(differences),
                advice=_advice(differences, before.get(level_id), after.get(level_id), stages),
            )
        )
    return found


def _moved_from(change: Change) -> str | None:
    return next((d.old for d in change.differences if d.field == "dimension"), None)


def _stage_wording(differences: tuple[Difference, ...]) -> tuple[str, ...]:
    """The stages whose wording on this level changed."""
    names = [d.field.split(".")[1] for d in differences if d.field.startswith("stages.")]
    return tuple(dict.fromkeys(names))


def _advice(
    differences: tuple[Difference, ...],
    old: Any,
    new: Any,
    stages: dict[str, str],
) -> Advice:
    """Recommendations added, removed and changed; changed ones whose only change is
    that their stage rule names the renamed stages are told apart."""
    keys: dict[str, list[Difference]] = {}
    for difference in differences:
        parts = difference.field.split(".")
        if parts[0] == "recommendations":
            keys.setdefault(parts[1], []).append(difference)
    # A recommendation in one version only is one difference named by its key alone.
    whole = {k: found[0] for k, found in keys.items() if found[0].field.count(".") == 1}
    added = tuple(k for k, d in whole.items() if d.new)
    removed = tuple(k for k, d in whole.items() if d.old)
    changed = [k for k in keys if k not in whole]
    before = _by_key(old.recommendations if old else [])
    after = _by_key(new.recommendations if new else [])
    following = tuple(k for k in changed if _follows(before.get(k), after.get(k), stages))
    return Advice(added, removed, tuple(k for k in changed if k not in following), following)


def _by_key(recommendations: list[Recommendation]) -> dict[str, Recommendation]:
    """As `differences` matches them: by id, else by their place in the level."""
    return {r.id or str(n): r for n, r in enumerate(recommendations, start=1)}


def _follows(
    old: Recommendation | None, new: Recommendation | None, stages: dict[str, str]
) -> bool:
    """Whether `new` is `old` with its stage rule naming the renamed stages, and no other
    change."""
    if old is None or new is None or not stages or old.when.stages is None:
        return False
    renamed = [stages.get(s, s) for s in old.when.stages]
    moved = old.model_copy(update={"when": old.when.model_copy(update={"stages": renamed})})
    return moved == new
