"""A respondent's own result: their answers scored alone, each level's stage and the first
two recommendations the questionnaire's rules choose for that level."""

from __future__ import annotations

from typing import Any

from assess.domain.answers import Response
from assess.domain.own_result import own_result
from tests.factories import dimension, make_questionnaire, scale_item, text


def rec(rec_id: str, when: dict[str, Any], priority: int = 1) -> dict[str, Any]:
    return {"id": rec_id, "when": when, "priority": priority, "text": text(f"do {rec_id}")}


QUESTIONNAIRE = make_questionnaire(
    dimension(
        "weak",
        scale_item("w1"),
        scale_item("w2"),
        recommendations=[
            rec("later", {"below": 60}, priority=3),
            rec("first", {"stages": ["one"]}),
            rec("second", {"below": 60}, priority=2),
            rec("never", {"at_least": 60}),
        ],
    ),
    dimension(
        "strong",
        scale_item("s1"),
        recommendations=[rec("keep", {"at_least": 80}), rec("grow", {"below": 60})],
    ),
    dimension("unanswered", scale_item("u1"), recommendations=[rec("any", {"at_least": 0})]),
)


def test_each_level_gets_its_score_stage_and_first_two_recommendations_by_priority() -> None:
    response = Response("you", {"w1": 1, "w2": 1, "s1": 5}, {})
    result = own_result(QUESTIONNAIRE, response)
    weak, strong, unanswered = result.levels
    assert (weak.score, weak.stage and weak.stage.id) == (0.0, "one")
    assert [r.id for r in weak.recommendations] == ["first", "second"]
    assert (strong.score, strong.stage and strong.stage.id) == (100.0, "five")
    assert [r.id for r in strong.recommendations] == ["keep"]
    # Nothing is known of a level without answers: no stage, no advice, no overall score.
    assert (unanswered.score, unanswered.stage, unanswered.recommendations) == (None, None, [])
    assert (result.score, result.stage) == (None, None)


def test_the_overall_score_and_stage_follow_the_levels() -> None:
    response = Response("you", {"w1": 3, "w2": 3, "s1": 3, "u1": 3}, {})
    result = own_result(QUESTIONNAIRE, response, per_level=1)
    assert [level.score for level in result.levels] == [50.0, 50.0, 50.0]
    assert (result.score, result.stage and result.stage.id) == (50.0, "three")
    assert [[r.id for r in level.recommendations] for level in result.levels] == [
        ["second"],
        ["grow"],
        ["any"],
    ]
