"""Recommendations follow the questionnaire's rules: weakest level first, by priority,
each at most once, none for a level without a score."""

from __future__ import annotations

from typing import Any

from assess.domain.questionnaire import Rule
from assess.domain.recommendations import applies, choose, top
from assess.domain.results import DimensionFigures
from assess.domain.statistics import Summary
from tests.factories import dimension, make_questionnaire, scale_item, text


def rec(rec_id: str | None, when: dict[str, Any], priority: int = 1) -> dict[str, Any]:
    entry: dict[str, Any] = {"when": when, "priority": priority, "text": text(f"do {rec_id}")}
    if rec_id is not None:
        entry["id"] = rec_id
    return entry


def figures(score: float | None, stage: str | None) -> DimensionFigures:
    return DimensionFigures(score, stage, Summary(n=3, mean=score, sd=None, min=score, max=score))


def test_rules_combine_stage_and_score_bands() -> None:
    assert applies(Rule(stages=["two"]), 25.0, "two")
    assert not applies(Rule(stages=["two"]), 45.0, "three")
    assert applies(Rule(below=60), 59.999, "three")
    assert not applies(Rule(below=60), 60.0, "four")
    assert applies(Rule(at_least=60), 60.0, "four")
    assert not applies(Rule(stages=["four"], below=65), 70.0, "four")
    assert applies(Rule(stages=["four"], below=65), 62.5, "four")
    assert not applies(Rule(below=60), None, None)


def test_weakest_level_first_then_priority_then_file_order() -> None:
    questionnaire = make_questionnaire(
        dimension(
            "strong",
            scale_item("s1"),
            recommendations=[rec("s-any", {"below": 100}, 1)],
        ),
        dimension(
            "weak",
            scale_item("w1"),
            recommendations=[
                rec("w-later", {"below": 100}, 2),
                rec("w-first", {"below": 100}, 1),
                rec("w-also-first", {"below": 100}, 1),
                rec("w-never", {"at_least": 50}, 1),
            ],
        ),
    )
    chosen = choose(questionnaire, {"strong": figures(70.0, "four"), "weak": figures(30.0, "two")})
    assert [c.recommendation.id for c in chosen] == ["w-first", "w-also-first", "w-later", "s-any"]
    assert [c.dimension.id for c in chosen] == ["weak", "weak", "weak", "strong"]
    assert [c.recommendation.id for c in top(chosen)] == ["w-first", "w-also-first", "s-any"]


def test_the_same_advice_is_given_once() -> None:
    shared = rec(None, {"below": 100})
    questionnaire = make_questionnaire(
        dimension("a", scale_item("a1"), recommendations=[shared]),
        dimension("b", scale_item("b1"), recommendations=[shared, rec("b-own", {"below": 100})]),
    )
    chosen = choose(questionnaire, {"a": figures(50.0, "three"), "b": figures(10.0, "one")})
    assert [(c.dimension.id, c.recommendation.id) for c in chosen] == [("b", None), ("b", "b-own")]


def test_a_level_without_a_score_gets_nothing() -> None:
    questionnaire = make_questionnaire(
        dimension("a", scale_item("a1"), recommendations=[rec("a-low", {"stages": ["one"]})]),
    )
    assert choose(questionnaire, {"a": figures(None, None)}) == []
    assert choose(questionnaire, {}) == []


def test_default_questionnaire_covers_every_stage_of_every_level() -> None:
    from pathlib import Path

    from assess.domain.validation import load_questionnaire

    path = Path(__file__).parents[2] / "questionnaires" / "cx-maturity.yaml"
    questionnaire = load_questionnaire(path)
    for stage in questionnaire.stages:
        score = stage.min_score + 0.5
        result = {d.id: figures(score, stage.id) for d in questionnaire.dimensions}
        chosen = choose(questionnaire, result)
        assert {c.dimension.id for c in chosen} == {d.id for d in questionnaire.dimensions}, stage
