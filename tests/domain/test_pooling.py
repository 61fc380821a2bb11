"""Benchmarks pool two questionnaire versions only when their scores are computed the same
way: the pool key is the hash of the scoring signature, and the comparison's verdict is
that the signatures are equal, so keys and verdict agree on every pair of versions."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
import yaml

from assess.domain.catalogue import Catalogue
from assess.domain.pooling import pool_key, scoring_signature
from assess.domain.validation import load_questionnaire, parse_questionnaire
from assess.domain.versions import Comparison, Effect, compare
from tests.conftest import QUESTIONNAIRES
from tests.factories import boolean_item, choice_item, dimension, questionnaire_data, scale_item
from tests.second_version import second_version_data

Data = dict[str, Any]


def base() -> Data:
    """Two levels: d1 (a scale item, a choice item), d2 (a scale item, a yes/no item)."""
    return questionnaire_data(
        dimension("d1", scale_item("a"), choice_item("b", {"low": 0, "high": 100})),
        dimension("d2", scale_item("c"), boolean_item("e")),
        recommendations=None,
    )


def build(data: Data) -> Any:
    data = {key: value for key, value in data.items() if value is not None}
    return parse_questionnaire(yaml.safe_dump(data, allow_unicode=True))


def item(data: Data, item_id: str) -> Data:
    found: Data = next(i for d in data["dimensions"] for i in d["items"] if i["id"] == item_id)
    return found


def option(data: Data, value: str) -> Data:
    found: Data = next(o for o in item(data, "b")["options"] if o["value"] == value)
    return found


def reasons(comparison: Comparison) -> list[object]:
    """What the verdict gives as reasons not to pool: another questionnaire, levels added
    or removed, levels or settings that score differently; and every change of scores."""
    pooling = comparison.pooling
    found: list[object] = [] if pooling.same_id else ["another questionnaire"]
    found += [*pooling.dimensions_added, *pooling.dimensions_removed]
    found += [*pooling.scores_changed_in, *pooling.settings_changed]
    return found + comparison.with_effect(Effect.scores)


# Each changes one thing in the way scores are computed.
SCORING: dict[str, Callable[[Data], object]] = {
    "an item's weight": lambda d: item(d, "a").update(weight=2),
    "reverse": lambda d: item(d, "a").update(reverse=True),
    "an item's own scale": lambda d: item(d, "c").update(min=0, max=10),
    "the questionnaire's scale": lambda d: d.update(scale={"min": 1, "max": 7}),
    "an option's score": lambda d: option(d, "low").update(score=10),
    "an option added": lambda d: item(d, "b")["options"].append(
        {"value": "mid", "label": {"de": "mid", "en": "mid"}, "score": 50}
    ),
    "an option's value": lambda d: option(d, "high").update(value="top"),
    "not applicable offered": lambda d: item(d, "a").update(allow_na=False),
    "can't judge offered": lambda d: item(d, "c").update(allow_dont_know=True),
    "asked of the lead": lambda d: item(d, "e").update(informant="lead"),
    "an item's type": lambda d: d["dimensions"][1]["items"].__setitem__(1, scale_item("e")),
    "an item added": lambda d: d["dimensions"][0]["items"].append(scale_item("new")),
    "an item removed": lambda d: d["dimensions"][1]["items"].pop(),
    "an item moved": lambda d: d["dimensions"][1]["items"].append(
        d["dimensions"][0]["items"].pop(0)
    ),
    "a level's weight": lambda d: d["dimensions"][0].update(weight=3),
    "a level added": lambda d: d["dimensions"].append(dimension("d3", scale_item("f"))),
    "a level removed": lambda d: d["dimensions"].pop(),
    "coverage": lambda d: d.update(min_coverage=0.8),
    "the questionnaire's id": lambda d: d.update(id="other"),
}

# Each changes what people read, the stages or the advice, never a score.
NOT_SCORING: dict[str, Callable[[Data], object]] = {
    "an item's text": lambda d: item(d, "a").update(text={"de": "neu", "en": "new"}),
    "an item's help": lambda d: item(d, "a").update(help={"de": "Hilfe", "en": "help"}),
    "an item's source": lambda d: item(d, "a").update(source={"article": "001", "quote": "x"}),
    "an option's label": lambda d: option(d, "low").update(label={"de": "tief", "en": "low"}),
    "the scale's labels": lambda d: d["scale"].update(labels={1: {"de": "nie", "en": "never"}}),
    "an item's scale given as the questionnaire's": lambda d: item(d, "a").update(min=1, max=5),
    "a stage's threshold": lambda d: d["stages"][1].update(min_score=25),
    "a stage renamed": lambda d: d["stages"][1].update(id="second", name={"de": "2", "en": "2"}),
    "a level's name": lambda d: d["dimensions"][0].update(name={"de": "Eins", "en": "One"}),
    "a recommendation": lambda d: d["dimensions"][0].update(
        recommendations=[{"id": "r1", "when": {"below": 60}, "text": {"de": "Tun", "en": "Do"}}]
    ),
    "a profile question": lambda d: d["profile"].append(
        {"id": "size", "type": "choice", "text": {"de": "G", "en": "S"}, "options": []}
        | {"options": [{"value": "s", "label": {"de": "s", "en": "s"}}]}
    ),
    "importance asked": lambda d: d.update(
        importance={"min": 1, "max": 5, "text": {"de": "Wichtig?", "en": "Important?"}}
    ),
    "the divergence threshold": lambda d: d.update(divergence_threshold=30),
    "the order of items": lambda d: d["dimensions"][0]["items"].reverse(),
    "the order of levels": lambda d: d["dimensions"].reverse(),
    "the version": lambda d: d.update(version=7),
}


@pytest.mark.parametrize("change", SCORING)
def test_a_change_in_how_scores_are_computed_stops_pooling_and_says_why(change: str) -> None:
    data = base()
    SCORING[change](data)
    old, new = build(base()), build(data)
    comparison = compare(old, new)
    assert not comparison.pooling.poolable
    assert pool_key(old) != pool_key(new)
    assert reasons(comparison), "the verdict names no reason"


@pytest.mark.parametrize("change", NOT_SCORING)
def test_a_change_that_computes_scores_the_same_way_still_pools(change: str) -> None:
    data = base()
    NOT_SCORING[change](data)
    old, new = build(base()), build(data)
    comparison = compare(old, new)
    assert comparison.pooling.poolable
    assert pool_key(old) == pool_key(new)
    assert comparison.with_effect(Effect.scores) == []


def test_keys_are_equal_exactly_when_the_verdict_pools_for_every_pair_of_versions() -> None:
    versions = [build(base())]
    for change in [*SCORING.values(), *NOT_SCORING.values()]:
        data = base()
        change(data)
        versions.append(build(data))
    for old, new in itertools.product(versions, repeat=2):
        poolable = compare(old, new).pooling.poolable
        assert poolable is (pool_key(old) == pool_key(new))
        assert poolable is (not reasons(compare(old, new)))


def test_the_bundled_first_version_and_a_second_with_other_items_do_not_pool() -> None:
    first = load_questionnaire(QUESTIONNAIRES / "cx-maturity.yaml")
    second = parse_questionnaire(yaml.safe_dump(second_version_data(), allow_unicode=True))
    comparison = compare(first, second)
    assert not comparison.pooling.poolable
    assert pool_key(first) != pool_key(second)
    assert comparison.pooling.same_id
    assert comparison.pooling.dimensions_added == comparison.pooling.dimensions_removed == ()
    assert comparison.pooling.scores_changed_in == (
        "strategy",
        "orchestration",
        "tactics",
        "culture",
        "overall",
    )


def test_the_bundled_versions_1_and_2_are_kept_apart_in_benchmarks() -> None:
    versions = Catalogue(QUESTIONNAIRES).versions["cx-maturity"]
    first, second = versions[1].questionnaire, versions[2].questionnaire
    assert not compare(first, second).pooling.poolable
    assert pool_key(first) != pool_key(second)


def test_every_pair_of_bundled_versions_has_equal_keys_exactly_when_it_pools() -> None:
    bundled = [load_questionnaire(path) for path in sorted(QUESTIONNAIRES.glob("*.yaml"))]
    for old, new in itertools.product(bundled, repeat=2):
        assert compare(old, new).pooling.poolable is (pool_key(old) == pool_key(new))


def test_demo_organisations_pool_apart_from_real_ones() -> None:
    questionnaire = build(base())
    assert pool_key(questionnaire, demo=True) != pool_key(questionnaire)
    assert pool_key(questionnaire, demo=True) == pool_key(build(base()), demo=True)


def test_the_signature_holds_how_each_item_scores() -> None:
    signature = scoring_signature(build(base()))
    assert signature["dimensions"]["d1"]["items"]["b"]["options"] == {"low": 0.0, "high": 100.0}
    assert signature["dimensions"]["d1"]["items"]["a"]["scale"] == [1, 5]
    assert signature["min_coverage"] == 0.5
