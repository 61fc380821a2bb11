"""After a consensus workshop, an agreed answer counts for every respondent, as a lead's
answer does (rule 6), and leaves the answers as given untouched."""

from __future__ import annotations

from assess.domain.answers import DK, NA, Response
from assess.domain.few_answers import without_thin_answers
from assess.domain.scoring import score_assessment
from tests.factories import choice_item, dimension, make_questionnaire, scale_item


def test_an_agreed_answer_counts_for_everyone_and_only_once() -> None:
    q = make_questionnaire(
        dimension("d", scale_item("a", allow_dont_know=True), scale_item("b")), min_coverage=0.5
    )
    rows = [
        Response("r1", {"a": 1, "b": 2}, {"department": "sales"}),
        Response("r2", {"a": 5, "b": 4}, {"department": "service"}),
        Response("r3", {"a": DK, "b": 3}, {"department": "service"}),
    ]
    answered = score_assessment(q, rows, ["department"]).to_dict()
    after = score_assessment(q, rows, ["department"], consensus={"a": 4}).to_dict()
    # as answered: a 0 and 100 (r3 can't judge), b 25, 75, 50
    assert answered["items"]["a"] == {"score": 50.0, "n": 2, "dont_know": 1}
    assert answered["dimensions"]["d"]["score"] == (12.5 + 87.5 + 50) / 3
    # after: a is 75 for all three; r1 (75 + 25) / 2, r2 (75 + 75) / 2, r3 (75 + 50) / 2
    assert after["items"]["a"] == {"score": 75.0, "n": 1, "dont_know": 0}
    assert after["dimensions"]["d"]["score"] == (50 + 75 + 62.5) / 3
    assert after["groups"]["department"]["sales"]["dimensions"]["d"]["score"] == 50.0
    # one answer given to a instead of three: 0 of 4 can't judge
    assert after["dimensions"]["d"]["dont_know_share"] == 0.0
    # an agreed item has one answer: rwg over b alone (2, 4, 3: s2 1, ratio 0.5 -> 0.5)
    assert after["dimensions"]["d"]["rwg"] == 0.5
    assert rows[0].answers == {"a": 1, "b": 2}


def test_an_agreed_option_scores_as_the_option() -> None:
    q = make_questionnaire(dimension("d", choice_item("c", {"low": 0, "mid": 40, "top": 100})))
    rows = [Response("r1", {"c": "low"}, {}), Response("r2", {"c": "top"}, {})]
    after = score_assessment(q, rows, consensus={"c": "mid"}).to_dict()
    assert after["dimensions"]["d"]["score"] == 40.0
    assert after["dimensions"]["d"]["sd"] == 0.0


def test_a_release_after_the_workshop_counts_no_answer_to_an_item_few_scored() -> None:
    q = make_questionnaire(
        dimension("d", scale_item("a"), scale_item("b"), scale_item("c")), min_coverage=0.3
    )
    rows = [
        Response("r1", {"a": 1, "b": 5, "c": 2}, {}),
        Response("r2", {"a": 5, "c": 3}, {}),
        Response("r3", {"a": 3, "b": NA, "c": 4}, {}),
    ]
    kept = without_thin_answers(q, rows, 3, agreed={"a"})
    # b: one score (N/A gives none), fewer than 3: nobody's answer to it counts; a is
    # agreed, c scored by all three
    assert [r.answers for r in kept] == [{"a": 1, "c": 2}, {"a": 5, "c": 3}, {"a": 3, "c": 4}]
    assert rows[0].answers == {"a": 1, "b": 5, "c": 2}
    assert without_thin_answers(q, rows, 1, agreed={"a"}) == rows
