"""Which answers an item takes as a consensus answer: a scale's whole numbers in range, a
question's options, true or false; never not applicable, can't judge, an unknown item or
a fact asked of the lead; and each said by its label."""

from __future__ import annotations

import pytest

from assess.domain.consensus import (
    MAX_RATIONALE,
    ConsensusError,
    answer_from_text,
    checked_answer,
    checked_rationale,
    consensus_label,
    settled_items,
)
from tests.factories import boolean_item, choice_item, dimension, make_questionnaire, scale_item

QUESTIONNAIRE = make_questionnaire(
    dimension(
        "d1",
        scale_item("s1", allow_dont_know=True),
        scale_item("wide", min=0, max=10),
        choice_item("c1", {"none": 0, "board": 100}),
        choice_item("numbers", {"1": 0, "2": 100}),
        boolean_item("b1"),
        boolean_item("fact", informant="lead"),
    )
)


@pytest.mark.parametrize(
    ("item", "given", "kept"),
    [
        ("s1", 1, 1),
        ("s1", 5, 5),
        ("s1", 4.0, 4),
        ("wide", 0, 0),
        ("wide", 10, 10),
        ("c1", "board", "board"),
        ("numbers", 2, "2"),
        ("b1", False, False),
    ],
)
def test_an_answer_the_item_takes_is_kept_as_a_response_stores_it(
    item: str, given: object, kept: object
) -> None:
    answer = checked_answer(QUESTIONNAIRE, item, given)
    assert answer == kept
    assert type(answer) is type(kept)


@pytest.mark.parametrize(
    ("item", "given", "message"),
    [
        ("s1", 6, "s1 takes a whole number from 1 to 5; got 6"),
        ("s1", 0, "s1 takes a whole number from 1 to 5; got 0"),
        ("s1", 2.5, "got 2.5"),
        ("s1", float("nan"), "got nan"),
        ("s1", True, "got true"),
        ("s1", None, "got null"),
        ("s1", "3", "got '3'"),
        ("s1", "dk", "(can't judge settles nothing)"),
        ("s1", "na", "(not applicable settles nothing)"),
        ("wide", 11, "wide takes a whole number from 0 to 10; got 11"),
        ("c1", "Board", "c1 takes one of: none, board; got 'Board'"),
        ("c1", "na", "(not applicable settles nothing)"),
        ("c1", 1, "got 1"),
        ("b1", "yes", "b1 takes true or false; got 'yes'"),
        ("b1", 0, "b1 takes true or false; got 0"),
        ("nope", 3, "'nope' is not an item of questionnaire test version 1"),
        ("fact", True, "fact is a fact asked of the lead respondent"),
    ],
)
def test_an_answer_the_item_does_not_take_is_refused_naming_it(
    item: str, given: object, message: str
) -> None:
    with pytest.raises(ConsensusError) as refused:
        checked_answer(QUESTIONNAIRE, item, given)
    assert message in str(refused.value)


def test_a_form_sends_answers_as_text() -> None:
    assert answer_from_text(QUESTIONNAIRE, "s1", "4") == 4
    assert answer_from_text(QUESTIONNAIRE, "b1", "no") is False
    assert answer_from_text(QUESTIONNAIRE, "c1", "board") == "board"
    with pytest.raises(ConsensusError, match="got '4,5'"):
        answer_from_text(QUESTIONNAIRE, "s1", "4,5")
    with pytest.raises(ConsensusError, match="got 9"):
        answer_from_text(QUESTIONNAIRE, "s1", "9")


def test_a_rationale_is_trimmed_and_must_say_something_briefly() -> None:
    assert checked_rationale("  Agreed.  ") == "Agreed."
    with pytest.raises(ConsensusError, match="say in a sentence why"):
        checked_rationale(" \n ")
    with pytest.raises(ConsensusError, match=f"at most {MAX_RATIONALE}"):
        checked_rationale("x" * (MAX_RATIONALE + 1))


def test_the_facts_asked_of_the_lead_are_not_settled() -> None:
    assert [item.id for item in settled_items(QUESTIONNAIRE)] == [
        "s1",
        "wide",
        "c1",
        "numbers",
        "b1",
    ]


def test_answers_are_offered_and_said_by_their_labels() -> None:
    items = {item.id: item for item in settled_items(QUESTIONNAIRE)}
    s1, c1, b1 = items["s1"], items["c1"], items["b1"]
    assert QUESTIONNAIRE.answers_of(s1) == ["1", "2", "3", "4", "5"]
    assert QUESTIONNAIRE.answers_of(c1) == ["none", "board"]
    assert QUESTIONNAIRE.answers_of(b1) == ["yes", "no"]
    assert consensus_label(b1, False, "de") == "Nein"
    assert consensus_label(c1, "board", "en") == "board"
    assert consensus_label(s1, 4, "de") == "4"
