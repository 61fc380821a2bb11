"""Properties the scoring rules must keep for any answers (hypothesis)."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from assess.domain.answers import NA, Response
from assess.domain.scoring import score_assessment
from tests.factories import boolean_item, choice_item, dimension, make_questionnaire, scale_item


def questionnaire(*, x2_reversed: bool):
    """Two dimensions of every item type; `x2` reversed or not."""
    return make_questionnaire(
        dimension(
            "x",
            scale_item("x1", weight=2),
            scale_item("x2", reverse=x2_reversed),
            choice_item("x3", {"no": 0, "partly": 35, "yes": 100}),
            weight=2,
        ),
        dimension("y", scale_item("y1", min=0, max=10), boolean_item("y2"), scale_item("y3")),
        min_coverage=0.4,
    )


QUESTIONNAIRE = questionnaire(x2_reversed=True)
MIRROR = questionnaire(x2_reversed=False)

MISSING = st.sampled_from([None, NA])
ANSWERS = st.fixed_dictionaries(
    {
        "x1": st.integers(1, 5).map(float) | MISSING,
        "x2": st.integers(1, 5).map(float) | MISSING,
        "x3": st.sampled_from(["no", "partly", "yes"]) | MISSING,
        "y1": st.floats(0, 10) | MISSING,
        "y2": st.booleans() | MISSING,
        "y3": st.integers(1, 5).map(float) | MISSING,
    }
)
DEPARTMENT = st.sampled_from(["sales", "service", "it", None])


@st.composite
def responses(draw: st.DrawFn) -> list[Response]:
    rows = draw(st.lists(st.tuples(ANSWERS, DEPARTMENT), min_size=1, max_size=12))
    return [
        Response(
            f"r{i}",
            {k: v for k, v in answers.items() if v is not None},
            {"department": dept} if dept else {},
        )
        for i, (answers, dept) in enumerate(rows)
    ]


def all_scores(result: dict) -> list[float]:
    figures = [result["overall"]["score"]]
    for dim in result["dimensions"].values():
        figures += [dim["score"], dim["min"], dim["max"]]
    for groups in result["groups"].values():
        for group in groups.values():
            figures.append(group["overall"]["score"])
            figures += [d["score"] for d in group["dimensions"].values()]
    return [f for f in figures if f is not None]


@settings(max_examples=150, deadline=None)
@given(responses())
def test_scores_stay_between_0_and_100(rs: list[Response]) -> None:
    result = score_assessment(QUESTIONNAIRE, rs).to_dict()
    assert all(-1e-9 <= s <= 100 + 1e-9 for s in all_scores(result))


@settings(max_examples=150, deadline=None)
@given(responses())
def test_reversing_an_item_and_mirroring_its_answers_changes_nothing(rs: list[Response]) -> None:
    mirrored = [
        Response(
            r.respondent,
            {
                **r.answers,
                **({"x2": 6.0 - r.answers["x2"]} if isinstance(r.answers.get("x2"), float) else {}),
            },
            r.profile,
        )
        for r in rs
    ]
    original = _round_all(score_assessment(QUESTIONNAIRE, rs).to_dict())
    assert original == _round_all(score_assessment(MIRROR, mirrored).to_dict())


@settings(max_examples=100, deadline=None)
@given(responses(), st.randoms(use_true_random=False))
def test_respondent_order_does_not_matter(rs: list[Response], rnd: random.Random) -> None:
    shuffled = list(rs)
    rnd.shuffle(shuffled)
    first = _round_all(score_assessment(QUESTIONNAIRE, rs).to_dict())
    second = _round_all(score_assessment(QUESTIONNAIRE, shuffled).to_dict())
    assert first == second


@settings(max_examples=100, deadline=None)
@given(responses(), st.data())
def test_adding_a_not_applicable_answer_changes_no_score(
    rs: list[Response], data: st.DataObject
) -> None:
    target = data.draw(st.integers(0, len(rs) - 1))
    skipped = [i for i in ("x1", "x2", "x3", "y1", "y2", "y3") if i not in rs[target].answers]
    if not skipped:
        return
    item = data.draw(st.sampled_from(skipped))
    changed = list(rs)
    changed[target] = Response(
        rs[target].respondent, {**rs[target].answers, item: NA}, rs[target].profile
    )
    # An N/A is an answer given: only the share of "can't judge" among them may move.
    assert _without_shares(score_assessment(QUESTIONNAIRE, rs).to_dict()) == (
        _without_shares(score_assessment(QUESTIONNAIRE, changed).to_dict())
    )


def _without_shares(result: dict[str, Any]) -> dict[str, Any]:
    for figures in result["dimensions"].values():
        del figures["dont_know_share"]
    return result


def _round_all(value: object) -> object:
    """Results equal up to float noise: both rounded to 9 decimals."""
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, dict):
        return {k: _round_all(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_round_all(v) for v in value]
    return value
