"""Field by field differences between two versions of one part of a questionnaire.

Texts are compared per language, options by value, scales by their effective range
(an item's own, else the questionnaire's), recommendations by id (by their place in the
dimension where they have none); each difference carries its effect.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from assess.domain.questionnaire import (
    ChoiceItem,
    Dimension,
    Importance,
    ProfileChoice,
    ProfileQuestion,
    ProfileScale,
    ProfileText,
    Questionnaire,
    Quote,
    Recommendation,
    ScaleItem,
    Stage,
    StageWording,
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
    found += _importance(old.importance, new.importance)
    return found


def _importance(old: Importance | None, new: Importance | None) -> list[Difference]:
    """The importance scale weighs the priorities of the advice (rule 10), never a score;
    its texts are wording."""
    old_range = [old.min, old.max] if old else None
    new_range = [new.min, new.max] if new else None
    found = _value("importance", old_range, new_range, Effect.other)
    found += _texts("importance.text", old.text if old else None, new.text if new else None)
    found += _labels("importance.labels", old.labels if old else {}, new.labels if new else {})
    return found


def dimension_differences(old: Dimension, new: Dimension) -> list[Difference]:
    """Differences of a dimension: weight, texts, stage wording, source, recommendations."""
    found = _value("weight", old.weight, new.weight, Effect.scores)
    found += _texts("name", old.name, new.name)
    found += _texts("description", old.description, new.description)
    for stage in _union(old.stages, new.stages):
        found += _stage_wording(f"stages.{stage}", old.stages.get(stage), new.stages.get(stage))
    found += _value("source", _plain(old.source), _plain(new.source), Effect.other)
    old_advice = _keyed(old.recommendations)
    new_advice = _keyed(new.recommendations)
    for key in _union(old_advice, new_advice):
        found += _recommendation(f"recommendations.{key}", old_advice.get(key), new_advice.get(key))
    return found


def _stage_wording(
    name: str, old: StageWording | None, new: StageWording | None
) -> list[Difference]:
    found = _texts(f"{name}.name", old.name if old else None, new.name if new else None)
    found += _texts(
        f"{name}.description", old.description if old else None, new.description if new else None
    )
    return found


def _keyed(recommendations: list[Recommendation]) -> dict[str, Recommendation]:
    """Recommendations by id; one without an id by its place in the dimension (1, 2, …)."""
    return {r.id or str(n): r for n, r in enumerate(recommendations, start=1)}


def _recommendation(
    name: str, old: Recommendation | None, new: Recommendation | None
) -> list[Difference]:
    """Which advice is chosen and where the roadmap places it is `other`; what people
    read of it is wording. Recommendations never change scores."""
    if old is None or new is None:
        return [Difference(name, old is not None, new is not None, Effect.other)]
    found = _value(
        f"{name}.when",
        old.when.model_dump(mode="json", exclude_none=True),
        new.when.model_dump(mode="json", exclude_none=True),
        Effect.other,
    )
    found += _value(f"{name}.priority", old.priority, new.priority, Effect.other)
    found += _value(f"{name}.horizon", old.horizon, new.horizon, Effect.other)
    found += _value(f"{name}.depends_on", old.depends_on, new.depends_on, Effect.other)
    found += _texts(f"{name}.title", old.title, new.title)
    found += _texts(f"{name}.text", old.text, new.text)
    found += _texts(f"{name}.owner", old.owner, new.owner)
    found += _texts(f"{name}.first_step", old.first_step, new.first_step)
    found += _texts(f"{name}.measure", old.measure, new.measure)
    found += _value(f"{name}.source", _plain(old.source), _plain(new.source), Effect.other)
    return found


def item_differences(
    old_q: Questionnaire, new_q: Questionnaire, old: ItemType, new: ItemType
) -> list[Difference]:
    """Differences of an item: type, weight, n/a, can't judge, informant, reverse, scale,
    options, texts."""
    found = _value("type", old.type, new.type, Effect.scores)
    found += _value("weight", old.weight, new.weight, Effect.scores)
    found += _value("allow_na", old.allow_na, new.allow_na, Effect.scores)
    found += _value("allow_dont_know", old.allow_dont_know, new.allow_dont_know, Effect.scores)
    # A lead item's answer is everyone's (rule 6): who is asked changes the scores.
    found += _value("informant", old.informant, new.informant, Effect.scores)
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
    found += _texts("label", old.label, new.label)
    found += _texts("help", old.help, new.help)
    found += _value("source", _plain(old.source), _plain(new.source), Effect.other)
    return found


def stage_differences(old: Stage, new: Stage) -> list[Difference]:
    """Differences of a stage: where it starts, and its texts."""
    found = _value("min_score", old.min_score, new.min_score, Effect.stages)
    found += _texts("name", old.name, new.name)
    found += _texts("description", old.description, new.description)
    found += _value("source", _plain(old.source), _plain(new.source), Effect.other)
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
    found += _value("source", _plain(old.source), _plain(new.source), Effect.other)
    return found


def _scale_labels(questionnaire: Questionnaire, item: ScaleItem) -> dict[int, dict[str, str]]:
    if item.labels is not None:
        return item.labels
    return questionnaire.scale.labels if questionnaire.scale else {}


def _plain(source: str | Quote | None) -> str | dict[str, str] | None:
    """A source as plain JSON values: the article number, or the article and quote."""
    return source.model_dump() if isinstance(source, Quote) else source


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
