"""Answers files name their rows and respondents as written: labels without surrounding
spaces, and a lead item's misuse or a second lead at the row where it is."""

from __future__ import annotations

import pytest

from assess.domain.answer_files import read_answers
from assess.domain.answers import AnswersError
from tests.factories import boolean_item, csv_bytes, dimension, make_questionnaire, scale_item

Q = make_questionnaire(dimension("d", scale_item("s"), boolean_item("fact", informant="lead")))


def problems(raw: bytes) -> list[str]:
    with pytest.raises(AnswersError) as caught:
        read_answers(raw, Q, file="a.csv")
    return caught.value.problems


def test_respondent_labels_lose_surrounding_spaces_and_keep_inner_ones() -> None:
    raw = csv_bytes(["respondent", "s"], [" r1", 3], ["r 2 ", 4], ["r3", 5])
    assert [r.respondent for r in read_answers(raw, Q)] == ["r1", "r 2", "r3"]


def test_labels_without_spaces_are_read_as_they_are() -> None:
    raw = csv_bytes(["respondent", "s"], *([f"r{n}", 3] for n in range(50)))
    assert [r.respondent for r in read_answers(raw, Q)] == [f"r{n}" for n in range(50)]


def test_a_label_of_spaces_only_is_empty() -> None:
    found = problems(csv_bytes(["respondent", "s"], ["r1", 3], ["  ", 4]))
    assert found == ["a.csv: row 3: 'respondent' is empty; give every row a label"]


def test_a_lead_item_answered_by_another_names_its_row_and_column() -> None:
    raw = csv_bytes(["respondent", "lead", "fact"], ["r1", "yes", "yes"], ["r2", None, "no"])
    [found] = problems(raw)
    assert found.startswith("a.csv: row 3, column 'fact' (respondent r2): only the lead")


def test_two_leads_are_named_by_their_rows() -> None:
    raw = csv_bytes(
        ["respondent", "lead", "s"], ["r1", "yes", 3], ["r2", "no", 3], ["r3", "yes", 3]
    )
    [found] = problems(raw)
    assert found.startswith("a.csv: 2 respondents are marked as lead (row 2, row 4)")


def test_a_first_row_longer_than_the_header_is_reported() -> None:
    assert problems(b"respondent,s\nr1,3,4\nr2,3\n") == [
        "a.csv: row 2 has 3 cells; the header has 2"
    ]
