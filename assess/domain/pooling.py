"""Which questionnaire versions benchmarks pool: those whose scores are computed the same way.

A version's scoring signature holds everything its scores are computed from, and nothing
else: the questionnaire's id, its scale and minimum coverage, each dimension's weight and
items, and of each item its type, weight, whether "not applicable" and "can't judge" are
offered, who is asked it, and how an answer becomes a score (reverse and scale range, or
each option's score). Texts, stages, profile questions, recommendations and sources are
not in it: they change what people read or which advice they get, not a score.

Two versions pool when their signatures are equal (`versions.compare` says so, with the
reasons where they are not), and a pool's key is the signature's hash, so the verdict and
the pools cannot disagree. Order does not count: dimensions and items are matched by id.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from assess.domain.questionnaire import ChoiceItem, Questionnaire, ScaleItem
from assess.domain.tally import ItemType


def scoring_signature(questionnaire: Questionnaire) -> dict[str, Any]:
    """What the version's scores are computed from, as plain JSON values."""
    scale = questionnaire.scale
    return {
        "id": questionnaire.id,
        "scale": [scale.min, scale.max] if scale else None,
        "min_coverage": questionnaire.min_coverage,
        "dimensions": {
            dimension.id: {
                "weight": dimension.weight,
                "items": {item.id: _item(questionnaire, item) for item in dimension.items},
            }
            for dimension in questionnaire.dimensions
        },
    }


def _item(questionnaire: Questionnaire, item: ItemType) -> dict[str, Any]:
    found: dict[str, Any] = {
        "type": item.type,
        "weight": item.weight,
        "allow_na": item.allow_na,
        "allow_dont_know": item.allow_dont_know,
        "informant": item.informant,
    }
    if isinstance(item, ScaleItem):
        found["reverse"] = item.reverse
        found["scale"] = list(questionnaire.scale_of(item))
    if isinstance(item, ChoiceItem):
        found["options"] = {option.value: option.score for option in item.options}
    return found


def pool_key(questionnaire: Questionnaire, *, demo: bool = False) -> str:
    """The pool of a questionnaire version: the hash of its scoring signature; demo
    organisations have pools of their own, so synthetic scores never count among real ones."""
    text = json.dumps(scoring_signature(questionnaire), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256((text + "\ndemo" if demo else text).encode()).hexdigest()[:32]
