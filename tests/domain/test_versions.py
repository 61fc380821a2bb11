"""Comparing two questionnaire versions: each kind of change, its effect, and the verdict
on pooling their scores in benchmarks."""

from __future__ import annotations

from typing import Any

import yaml

from assess.domain.pooling import pool_key
from assess.domain.validation import parse_questionnaire
from assess.domain.versions import Change, Comparison, Effect, Kind, Subject, compare
from assess.domain.versions_text import change_tables
from tests.factories import (
    boolean_item,
    choice_item,
    dimension,
    make_questionnaire,
    questionnaire_data,
    scale_item,
    text,
)


def base(**extra: Any) -> dict[str, Any]:
    """Two dimensions: d1 (a scale item, a choice item), d2 (a scale item, a yes/no item)."""
    return questionnaire_data(
        dimension("d1", scale_item("a"), choice_item("b", {"low": 0, "high": 100})),
        dimension("d2", scale_item("c"), boolean_item("e")),
        **extra,
    )


def build(data: dict[str, Any]) -> Any:
    return parse_questionnaire(yaml.safe_dump(data))


def changed(data: dict[str, Any]) -> Comparison:
    """The comparison of the base questionnaire with `data` as its version 2."""
    return compare(build(base()), build({**data, "version": 2}))


def only(comparison: Comparison, subject: Subject, change_id: str) -> Change:
    found = [c for c in comparison.changes if c.subject == subject and c.id == change_id]
    assert len(found) == 1, comparison.changes
    return found[0]


def fields(change: Change) -> dict[str, tuple[Any, Any, Effect]]:
    return {d.field: (d.old, d.new, d.effect) for d in change.differences}


def test_the_same_questionnaire_has_no_changes_and_pools() -> None:
    comparison = compare(build(base()), build(base()))
    assert comparison.changes == ()
    assert comparison.pooling.poolable
    assert comparison.pooling.scores_changed_in == ()


def test_item_weight_changes_scores_of_its_dimension_and_stops_pooling() -> None:
    data = base()
    data["dimensions"][0]["items"][0]["weight"] = 2
    comparison = changed(data)
    item = only(comparison, Subject.item, "a")
    assert fields(item) == {"weight": (1.0, 2.0, Effect.scores)}
    assert item.dimension == "d1"
    assert not comparison.pooling.poolable
    assert comparison.pooling.same_id
    assert comparison.pooling.scores_changed_in == ("d1", "overall")


def test_reverse_and_an_items_own_scale_change_scores() -> None:
    data = base()
    data["dimensions"][0]["items"][0].update(reverse=True, min=0, max=10)
    item = only(changed(data), Subject.item, "a")
    assert fields(item) == {
        "reverse": (False, True, Effect.scores),
        "scale": ([1, 5], [0, 10], Effect.scores),
    }


def test_the_questionnaire_scale_changes_every_scale_item_that_uses_it() -> None:
    comparison = changed(base(scale={"min": 1, "max": 7}))
    top = only(comparison, Subject.questionnaire, "test")
    assert fields(top)["scale"] == ([1, 5], [1, 7], Effect.scores)
    assert fields(only(comparison, Subject.item, "a"))["scale"] == ([1, 5], [1, 7], Effect.scores)
    assert fields(only(comparison, Subject.item, "c"))["scale"] == ([1, 5], [1, 7], Effect.scores)
    assert comparison.pooling.scores_changed_in == ("d1", "d2", "overall")


def test_option_scores_added_and_removed_options_change_scores_labels_are_wording() -> None:
    data = base()
    data["dimensions"][0]["items"][1] = choice_item("b", {"low": 10, "mid": 50})
    data["dimensions"][0]["items"][1]["options"][0]["label"] = {"de": "niedrig", "en": "low"}
    item = only(changed(data), Subject.item, "b")
    assert fields(item) == {
        "options.low.score": (0.0, 10.0, Effect.scores),
        "options.low.label.de": ("low", "niedrig", Effect.wording),
        "options.high": (100.0, None, Effect.scores),
        "options.mid": (None, 50.0, Effect.scores),
    }
    assert item.effects == [Effect.scores, Effect.wording]


def test_a_moved_item_is_one_change_that_touches_both_dimensions() -> None:
    data = base()
    moved = data["dimensions"][0]["items"].pop(0)
    data["dimensions"][1]["items"].append(moved)
    comparison = changed(data)
    item = only(comparison, Subject.item, "a")
    assert item.kind == Kind.changed
    assert fields(item) == {"dimension": ("d1", "d2", Effect.scores)}
    assert set(comparison.pooling.scores_changed_in) == {"d1", "d2", "overall"}
    assert not comparison.pooling.poolable


def test_a_text_changed_in_one_language_is_wording_only() -> None:
    data = base()
    data["dimensions"][1]["items"][0]["text"] = {"de": "neu", "en": "c"}
    comparison = changed(data)
    assert fields(only(comparison, Subject.item, "c")) == {"text.de": ("c", "neu", Effect.wording)}
    assert comparison.pooling.scores_changed_in == ()
    assert comparison.counts()["wording"] == 1
    assert comparison.counts()["scores"] == 0


def test_an_items_label_added_or_changed_is_wording_only() -> None:
    data = base()
    data["dimensions"][0]["items"][1]["label"] = {"de": "Verantwortung", "en": "Ownership"}
    comparison = changed(data)
    assert fields(only(comparison, Subject.item, "b")) == {
        "label.de": (None, "Verantwortung", Effect.wording),
        "label.en": (None, "Ownership", Effect.wording),
    }
    assert comparison.pooling.scores_changed_in == ()


def test_items_added_and_removed_change_scores_of_their_dimensions() -> None:
    data = base()
    data["dimensions"][0]["items"].append(scale_item("new"))
    data["dimensions"][1]["items"].pop()  # e
    comparison = changed(data)
    added, removed = only(comparison, Subject.item, "new"), only(comparison, Subject.item, "e")
    assert (added.kind, added.effect, added.dimension) == (Kind.added, Effect.scores, "d1")
    assert (removed.kind, removed.effect, removed.dimension) == (Kind.removed, Effect.scores, "d2")
    assert comparison.pooling.scores_changed_in == ("d1", "d2", "overall")
    assert not comparison.pooling.poolable


def test_an_items_type_and_allow_na_change_scores() -> None:
    data = base()
    data["dimensions"][1]["items"][1] = scale_item("e", allow_na=False)
    assert fields(only(changed(data), Subject.item, "e")) == {
        "type": ("boolean", "scale", Effect.scores),
        "allow_na": (True, False, Effect.scores),
    }


def test_an_added_dimension_stops_pooling() -> None:
    data = base()
    data["dimensions"].append(dimension("d3", scale_item("f")))
    comparison = changed(data)
    assert only(comparison, Subject.dimension, "d3").kind == Kind.added
    assert not comparison.pooling.poolable
    assert comparison.pooling.dimensions_added == ("d3",)


def test_a_removed_dimension_stops_pooling() -> None:
    data = base()
    data["dimensions"].pop()
    comparison = changed(data)
    assert only(comparison, Subject.dimension, "d2").kind == Kind.removed
    assert not comparison.pooling.poolable
    assert comparison.pooling.dimensions_removed == ("d2",)


def test_another_questionnaire_id_stops_pooling_even_with_the_same_dimensions() -> None:
    comparison = compare(build(base()), build(base(id="other")))
    assert not comparison.pooling.poolable
    assert not comparison.pooling.same_id


def test_the_verdict_is_the_benchmark_pools_rule() -> None:
    for data in (base(), base(id="other"), questionnaire_data()):
        old, new = build(base()), build(data)
        assert compare(old, new).pooling.poolable is (pool_key(old) == pool_key(new))


def test_dimension_weight_changes_the_overall_score_only_names_are_wording() -> None:
    data = base()
    data["dimensions"][0].update(weight=3, name=text("Strategy"))
    comparison = changed(data)
    assert fields(only(comparison, Subject.dimension, "d1")) == {
        "weight": (1.0, 3.0, Effect.scores),
        "name.de": ("d1", "Strategy", Effect.wording),
        "name.en": ("d1", "Strategy", Effect.wording),
    }
    assert comparison.pooling.scores_changed_in == ("overall",)


def test_coverage_changes_every_dimension() -> None:
    comparison = changed(base(min_coverage=0.8))
    assert fields(only(comparison, Subject.questionnaire, "test")) == {
        "min_coverage": (0.5, 0.8, Effect.scores)
    }
    assert comparison.pooling.scores_changed_in == ("d1", "d2", "overall")
    assert comparison.pooling.settings_changed == ("min_coverage",)
    assert not comparison.pooling.poolable


def test_stage_thresholds_ids_and_names() -> None:
    data = base()
    stages = data["stages"]
    stages[1]["min_score"] = 25
    stages[2]["name"] = {"de": "drei", "en": "three"}
    stages.pop()  # five
    stages.append({"id": "top", "min_score": 90, "name": text("top")})
    comparison = changed(data)
    assert fields(only(comparison, Subject.stage, "two")) == {
        "min_score": (20.0, 25.0, Effect.stages)
    }
    assert fields(only(comparison, Subject.stage, "three")) == {
        "name.de": ("three", "drei", Effect.wording)
    }
    assert only(comparison, Subject.stage, "five").kind == Kind.removed
    assert only(comparison, Subject.stage, "top").effect == Effect.stages
    assert comparison.pooling.scores_changed_in == ()


def test_profile_questions_added_removed_and_their_options() -> None:
    data = base()
    department = data["profile"][0]
    department["options"].append({"value": "hr", "label": text("hr")})
    department["scope"] = "organisation"
    data["profile"].append(
        {
            "id": "industry",
            "type": "choice",
            "text": text("Industry"),
            "options": [{"value": "retail", "label": text("retail")}],
        }
    )
    comparison = changed(data)
    assert fields(only(comparison, Subject.profile, "department")) == {
        "scope": ("respondent", "organisation", Effect.profile),
        "options.hr": (False, True, Effect.profile),
    }
    assert only(comparison, Subject.profile, "industry").kind == Kind.added
    assert comparison.pooling.scores_changed_in == ()


def test_to_dict_lists_every_change_with_its_effects() -> None:
    data = base()
    data["dimensions"][0]["items"][0]["weight"] = 2
    out = changed(data).to_dict()
    assert out["old"] == {"id": "test", "version": 1}
    assert out["new"] == {"id": "test", "version": 2}
    assert out["pooling"] == {
        "poolable": False,
        "same_id": True,
        "dimensions_added": [],
        "dimensions_removed": [],
        "scores_changed_in": ["d1", "overall"],
        "settings_changed": [],
    }
    assert out["changes"] == [
        {
            "subject": "item",
            "id": "a",
            "change": "changed",
            "dimension": "d1",
            "effects": ["scores"],
            "differences": [{"field": "weight", "old": 1.0, "new": 2.0, "effect": "scores"}],
        }
    ]


def test_the_factory_questionnaire_compares_to_itself_without_changes() -> None:
    questionnaire = make_questionnaire()
    assert compare(questionnaire, questionnaire).changes == ()


def test_cant_judge_and_informant_change_scores_of_their_dimension() -> None:
    data = base()
    data["dimensions"][0]["items"][0]["allow_dont_know"] = True
    data["dimensions"][1]["items"][1]["informant"] = "lead"
    comparison = changed(data)
    assert fields(only(comparison, Subject.item, "a")) == {
        "allow_dont_know": (False, True, Effect.scores)
    }
    assert fields(only(comparison, Subject.item, "e")) == {
        "informant": ("all", "lead", Effect.scores)
    }
    assert comparison.pooling.scores_changed_in == ("d1", "d2", "overall")


def test_importance_scale_weighs_priorities_not_scores_its_texts_are_wording() -> None:
    importance = {"min": 1, "max": 5, "text": text("How important?")}
    old = build(base(importance=importance))
    data = base(importance={**importance, "max": 7, "labels": {7: text("critical")}})
    comparison = compare(old, build({**data, "version": 2}))
    assert fields(only(comparison, Subject.questionnaire, "test")) == {
        "importance": ([1, 5], [1, 7], Effect.other),
        "importance.labels.7.de": (None, "critical", Effect.wording),
        "importance.labels.7.en": (None, "critical", Effect.wording),
    }
    assert comparison.pooling.scores_changed_in == ()
    assert comparison.pooling.poolable


def test_a_levels_stage_wording_is_wording() -> None:
    data = base()
    data["dimensions"][0]["stages"] = {"two": {"description": {"de": "eigene", "en": "own"}}}
    assert fields(only(changed(data), Subject.dimension, "d1")) == {
        "stages.two.description.de": (None, "eigene", Effect.wording),
        "stages.two.description.en": (None, "own", Effect.wording),
    }


def test_recommendations_are_matched_by_id_rules_and_order_are_other_texts_wording() -> None:
    def advice(**changes: Any) -> dict[str, Any]:
        return {"id": "r1", "when": {"below": 60}, "text": text("Act"), **changes}

    old = build(
        base()
        | {
            "dimensions": [
                dimension("d1", scale_item("a"), recommendations=[advice(), advice(id="r2")])
            ]
        }
    )
    new_advice = advice(
        when={"below": 60, "items": {"a": {"below": 50}}},
        horizon="now",
        depends_on=["r3"],
        owner=text("Board"),
        measure=text("Figures"),
    )
    data = base() | {
        "dimensions": [
            dimension("d1", scale_item("a"), recommendations=[advice(id="r3"), new_advice])
        ],
        "version": 2,
    }
    assert fields(only(compare(old, build(data)), Subject.dimension, "d1")) == {
        "recommendations.r1.when": (
            {"below": 60.0},
            {"below": 60.0, "items": {"a": {"below": 50.0}}},
            Effect.other,
        ),
        "recommendations.r1.horizon": ("next", "now", Effect.other),
        "recommendations.r1.depends_on": ([], ["r3"], Effect.other),
        "recommendations.r1.owner.de": (None, "Board", Effect.wording),
        "recommendations.r1.owner.en": (None, "Board", Effect.wording),
        "recommendations.r1.measure.de": (None, "Figures", Effect.wording),
        "recommendations.r1.measure.en": (None, "Figures", Effect.wording),
        "recommendations.r2": (True, False, Effect.other),
        "recommendations.r3": (False, True, Effect.other),
    }


def test_a_quoted_source_differs_as_plain_values() -> None:
    data = base()
    data["dimensions"][0]["items"][0]["source"] = {"article": "004", "quote": "words"}
    change = only(changed(data), Subject.item, "a")
    assert fields(change) == {"source": (None, {"article": "004", "quote": "words"}, Effect.other)}
    assert change.to_dict()["differences"][0]["new"] == {"article": "004", "quote": "words"}


def test_the_new_fields_are_worded_in_both_languages() -> None:
    data = base()
    data["dimensions"][0]["items"][0]["allow_dont_know"] = True
    data["dimensions"][0]["recommendations"] = [
        {"id": "r1", "when": {"below": 60}, "text": text("Act"), "owner": text("Board")}
    ]
    old = base()
    old["dimensions"][0]["recommendations"] = [
        {"id": "r1", "when": {"below": 60}, "text": text("Act")}
    ]
    comparison = compare(build(old), build({**data, "version": 2}))
    cells = {
        language: [
            cell
            for _, rows in change_tables(comparison, build(old), build(data), language)
            for row in rows
            for cell in row
        ]
        for language in ("de", "en")
    }
    assert "„Kann ich nicht beurteilen“ angeboten" in cells["de"]
    assert "recommendation r1 owner (en)" in cells["en"]
    assert "Empfehlung r1 Verantwortlich (de)" in cells["de"]
