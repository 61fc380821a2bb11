"""Answers files: typed values, and one clear line for every cell that does not fit."""

from __future__ import annotations

import json

import pytest

from assess.domain.answer_files import read_answers
from assess.domain.answers import NA, AnswersError
from assess.domain.scoring import score_answers
from tests.factories import (
    boolean_item,
    choice_item,
    csv_bytes,
    dimension,
    make_questionnaire,
    scale_item,
)

Q = make_questionnaire(
    dimension(
        "d",
        scale_item("s"),
        scale_item("strict", allow_na=False),
        choice_item("c", {"low": 0, "high": 100}),
        boolean_item("b"),
    )
)
HEADER = ["respondent", "department", "s", "strict", "c", "b"]


def problems(raw: bytes, **kwargs: object) -> list[str]:
    with pytest.raises(AnswersError) as caught:
        read_answers(raw, Q, file="a.csv", **kwargs)
    return caught.value.problems


def test_cells_become_typed_answers() -> None:
    [r1, r2] = read_answers(
        csv_bytes(
            HEADER, ["r1", "sales", 4, 2, "high", "yes"], ["r2", None, "na", None, None, "no"]
        ),
        Q,
    )
    assert r1.answers == {"s": 4.0, "strict": 2.0, "c": "high", "b": True}
    assert r1.profile == {"department": "sales"}
    assert r2.answers == {"s": NA, "b": False}
    assert r2.profile == {}


def test_semicolons_and_a_byte_order_mark_are_fine() -> None:
    raw = "\ufeffrespondent;s;c\nr1;3;low\n".encode()
    [response] = read_answers(raw, Q)
    assert response.answers == {"s": 3.0, "c": "low"}


def test_json_with_the_same_content() -> None:
    raw = json.dumps([{"respondent": "r1", "department": "it", "s": 5, "b": True}]).encode()
    [response] = read_answers(raw, Q)
    assert response.answers == {"s": 5.0, "b": True}


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (["r1", None, 7, None, None, None], "row 2, column 's' (respondent r1): expected a number"),
        (["r1", None, None, None, "hihg", None], "did you mean 'high'?"),
        (
            ["r1", None, None, "na", None, None],
            "column 'strict' (respondent r1): expected a number",
        ),
        (["r1", "finance", None, None, None, None], "column 'department'"),
        (["r1", None, None, None, None, "maybe"], "expected yes or no"),
    ],
)
def test_a_bad_cell_names_row_column_and_what_was_expected(row: list, expected: str) -> None:
    [problem] = problems(csv_bytes(HEADER, row))
    assert expected in problem
    assert "\n" not in problem


def test_every_bad_cell_is_reported_and_nothing_is_returned() -> None:
    found = problems(
        csv_bytes(HEADER, ["r1", None, 9, None, None, None], ["r2", None, None, None, "x", None])
    )
    assert len(found) == 2
    assert "row 2" in found[0]
    assert "row 3" in found[1]


def test_unknown_column_with_suggestion() -> None:
    [problem] = problems(csv_bytes(["respondent", "strikt"], ["r1", 3]))
    assert "unknown column 2 'strikt'; did you mean 'strict'?" in problem


def test_importance_column_where_the_questionnaire_asks_none_says_so() -> None:
    [problem] = problems(csv_bytes(["respondent", "importance:d"], ["r1", 3]))
    assert "'importance:d'; this questionnaire does not ask how important a level is" in problem


def test_importance_column_of_an_unknown_level_names_the_levels() -> None:
    asking = make_questionnaire(
        dimension("d", scale_item("s")),
        importance={"min": 1, "max": 5, "text": {"de": "Wichtig?", "en": "Important?"}},
    )
    with pytest.raises(AnswersError) as caught:
        read_answers(csv_bytes(["respondent", "importance:x"], ["r1", 3]), asking)
    assert "'x' is not a level of this questionnaire (d)" in caught.value.problems[0]


def test_dk_where_the_item_does_not_allow_it_names_row_and_column() -> None:
    [problem] = problems(csv_bytes(["respondent", "s"], ["r1", "dk"]))
    assert "row 2, column 's' (respondent r1): expected a number from 1 to 5 or 'na'" in problem


def test_missing_respondent_column() -> None:
    assert "needs a 'respondent' column" in problems(csv_bytes(["s"], [3]))[0]


def test_duplicate_and_empty_respondents() -> None:
    found = problems(csv_bytes(["respondent", "s"], ["r1", 3], ["r1", 4], [None, 2]))
    assert any("respondent 'r1' appears twice" in p for p in found)
    assert any("'respondent' is empty" in p for p in found)


def test_row_with_too_many_cells() -> None:
    raw = b"respondent,s\nr1,3,4\n"
    assert "row 2 has 3 cells; the header has 2" in problems(raw)[0]


def test_empty_file() -> None:
    assert "the file is empty" in problems(b"")[0]


def test_other_encoding_says_to_save_as_utf8() -> None:
    raw = "respondent,department\nJürgen,sales\n".encode("cp1252")
    assert "save the file as UTF-8" in problems(raw)[0]


def test_invalid_json_and_wrong_shapes() -> None:
    assert "not valid JSON" in problems(b"[{", kind="json")[0]
    assert "expected a list of respondents" in problems(b'{"a": 1}', kind="json")[0]
    assert "unknown key 'x'" in problems(b'[{"respondent": "r", "x": 1}]', kind="json")[0]


def test_scoring_a_file_with_a_bad_cell_scores_nothing() -> None:
    with pytest.raises(AnswersError):
        score_answers(
            csv_bytes(HEADER, ["r1", None, 3, None, None, None], ["r2", None, 0, None, None, None]),
            Q,
        )
