"""Field by field differences between two versions of one part of a questionnaire.

Texts are compared per language, options by value, scales by their effective range
(an item's own, else the questionnaire's); each difference carries its effect.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from assess.domain.questionnaire import (
    ChoiceItem,
    Dimension,
    ProfileChoice,
    ProfileQuestion,
    ProfileScale,
    ProfileText,
    Questionnaire,
    ScaleItem,
    Stage,
)
from assess.domain.scoring import ItemType


class Effect(StrEnum):
    """What a difference changes, most consequential first."""

    scores = "scores"
    stages = "stages"
    profile = "profile"
    wording = "wording"
    other = "other"


@dataclass(frozen=True)
class Difference:
    """One field of a part that differs: `field` is a dotted path such as
    `weight`, `text.de` or `options.board.score`; None stands for absent."""

    field: str
    old: Any
    new: Any
    effect: Effect


def questionnaire_differences(old: Questionnaire, new: Questionnaire) -> list[Difference]:
    """Differences of the questionnaire as a whole: titles, languages, coverage, scale."""
    found = _texts("title", old.title, new.title)
    found += _texts("description", old.description, new.description)
    found += _value("languages", old.languages, new.languages, Effect.other)
    found += _value("min_coverage", old.min_coverage, new.min_coverage, Effect.scores)
    found += _value(
        "divergence_threshold", old.divergence_threshold, new.divergence_threshold, Effect.other
    )
    old_range = [old.scale.min, old.scale.max] if old.scale else None
    new_range = [new.scale.min, new.scale.max] if new.scale else None
    found += _value("scale", old_range, new_range, Effect.scores)
    found += _labels(
        "scale.labels", old.scale.labels if old.scale else {}, new.scale.labels if new.scale else {}
    )
    return found


def dimension_differences(old: Dimension, new: Dimension) -> list[Difference]:
    """Differences of a dimension: weight, texts, source, recommendations."""
    found = _value("weight", old.weight, new.weight, Effect.scores)
    found += _texts("name", old.name, new.name)
    found += _texts("description", old.description, new.description)
    found += _value("source", old.source, new.source, Effect.other)
    old_advice = [r.model_dump(mode="json") for r in old.recommendations]
    new_advice = [r.model_dump(mode="json") for r in new.recommendations]
    if old_advice != new_advice:
        found.append(Difference("recommendations", len(old_advice), len(new_advice), Effect.other))
    return found


def item_differences(
    old_q: Questionnaire, new_q: Questionnaire, old: ItemType, new: ItemType
) -> list[Difference]:
    """Differences of an item: type, weight, n/a, reverse, scale, options, texts."""
    found = _value("type", old.type, new.type, Effect.scores)
    found += _value("weight", old.weight, new.weight, Effect.scores)
    found += _value("allow_na", old.allow_na, new.allow_na, Effect.scores)
    if isinstance(old, ScaleItem) and isinstance(new, ScaleItem):
        found += _value("reverse", old.reverse, new.reverse, Effect.scores)
        found += _value(
            "scale", list(old_q.scale_of(old)), list(new_q.scale_of(new)), Effect.scores
        )
        found += _labels("labels", _scale_labels(old_q, old), _scale_labels(new_q, new))
    if isinstance(old, ChoiceItem) and isinstance(new, ChoiceItem):
        old_options = {o.value: o for o in old.options}
        new_options = {o.value: o for o in new.options}
        for value in _union(old_options, new_options):
            before, after = old_options.get(value), new_options.get(value)
            if before is None or after is None:
                score = before.score if before else None
                found.append(
                    Difference(
                        f"options.{value}", score, after.score if after else None, Effect.scores
                    )
                )
                continue
            found += _value(f"options.{value}.score", before.score, after.score, Effect.scores)
            found += _texts(f"options.{value}.label", before.label, after.label)
    found += _texts("text", old.text, new.text)
    found += _texts("help", old.help, new.help)
    found += _value("source", old.source, new.source, Effect.other)
    return found


def stage_differences(old: Stage, new: Stage) -> list[Difference]:
    """Differences of a stage: where it starts, and its texts."""
    found = _value("min_score", old.min_score, new.min_score, Effect.stages)
    found += _texts("name", old.name, new.name)
    found += _texts("description", old.description, new.description)
    found += _value("source", old.source, new.source, Effect.other)
    return found


def profile_differences(
    old_q: Questionnaire, new_q: Questionnaire, old: ProfileQuestion, new: ProfileQuestion
) -> list[Difference]:
    """Differences of a profile question: type, scope, options, scale, texts."""
    found = _value("type", old.type, new.type, Effect.profile)
    found += _value("scope", old.scope, new.scope, Effect.profile)
    if isinstance(old, ProfileChoice) and isinstance(new, ProfileChoice):
        old_options = {o.value: o for o in old.options}
        new_options = {o.value: o for o in new.options}
        for value in _union(old_options, new_options):
            before, after = old_options.get(value), new_options.get(value)
            if before is None or after is None:
                found.append(
                    Difference(
                        f"options.{value}", before is not None, after is not None, Effect.profile
                    )
                )
            else:
                found += _texts(f"options.{value}.label", before.label, after.label)
    if isinstance(old, ProfileScale) and isinstance(new, ProfileScale):
        found += _value(
            "scale", list(old_q.scale_of(old)), list(new_q.scale_of(new)), Effect.profile
        )
    if isinstance(old, ProfileText) and isinstance(new, ProfileText):
        found += _value("max_length", old.max_length, new.max_length, Effect.profile)
    found += _texts("text", old.text, new.text)
    found += _texts("help", old.help, new.help)
    found += _value("source", old.source, new.source, Effect.other)
    return found


def _scale_labels(questionnaire: Questionnaire, item: ScaleItem) -> dict[int, dict[str, str]]:
    if item.labels is not None:
        return item.labels
    return questionnaire.scale.labels if questionnaire.scale else {}


def _value(name: str, old: Any, new: Any, effect: Effect) -> list[Difference]:
    return [] if old == new else [Difference(name, old, new, effect)]


def _texts(
    name: str, old: Mapping[str, str] | None, new: Mapping[str, str] | None
) -> list[Difference]:
    """One wording difference per language whose text differs (None where absent)."""
    old, new = old or {}, new or {}
    return [
        Difference(f"{name}.{language}", old.get(language), new.get(language), Effect.wording)
        for language in _union(old, new)
        if old.get(language) != new.get(language)
    ]


def _labels(
    name: str, old: Mapping[int, Mapping[str, str]], new: Mapping[int, Mapping[str, str]]
) -> list[Difference]:
    found: list[Difference] = []
    for point in sorted(set(old) | set(new)):
        found += _texts(f"{name}.{point}", old.get(point), new.get(point))
    return found


def _union(first: Iterable[str], second: Iterable[str]) -> list[str]:
    """Keys of both, in first-seen order."""
    return list(dict.fromkeys([*first, *second]))
