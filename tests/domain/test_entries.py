"""One respondent's answers as a form or an API client sends them (`read_entry`): keys
that are no question are refused, and a body of made-up keys costs no more than a few
suggestions."""

from __future__ import annotations

import difflib
import json

import pytest

from assess.domain import columns as columns_module
from assess.domain.answer_files import read_answers
from assess.domain.answers import AnswersError
from assess.domain.columns import HINTED, TOLD, EntryError, NumberColumn, read_entry
from assess.domain.validation import load_questionnaire
from tests.conftest import QUESTIONNAIRES

COLUMNS = {
    name: NumberColumn(name, "item", 1, 5, True)
    for name in ("strategy-goals", "strategy-owner", "culture-silos")
}


@pytest.fixture
def compared(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The words difflib is asked to find a close match for, from now on."""
    words: list[str] = []
    close_matches = difflib.get_close_matches

    def counted(word: str, *args: object, **kwargs: object) -> list[str]:
        words.append(word)
        return close_matches(word, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(columns_module.difflib, "get_close_matches", counted)
    return words


def test_an_unknown_key_is_refused_with_the_question_it_comes_closest_to() -> None:
    with pytest.raises(EntryError) as refused:
        read_entry({"strategy-goal": 3, "culture-silos": 4}, COLUMNS)
    assert refused.value.problems == [
        "'strategy-goal' is not a question of this questionnaire; did you mean 'strategy-goals'?"
    ]


def test_many_made_up_keys_get_a_few_suggestions_and_a_count_of_the_rest(
    compared: list[str],
) -> None:
    made_up = {f"strategy-goals-{n}": 3 for n in range(2_000)}
    with pytest.raises(EntryError) as refused:
        read_entry({**made_up, "culture-silos": 9}, COLUMNS)
    problems = refused.value.problems
    assert len(compared) == HINTED
    assert sum("did you mean 'strategy-goals'?" in p for p in problems) == HINTED
    assert len(problems) == TOLD + 1
    assert problems[:2] == [
        "'strategy-goals-0' is not a question of this questionnaire; did you mean "
        "'strategy-goals'?",
        "'strategy-goals-1' is not a question of this questionnaire; did you mean "
        "'strategy-goals'?",
    ]
    # 2,000 unknown keys and one answer out of range: 50 told, the other 1,951 counted.
    assert problems[-1] == f"… and {2_001 - TOLD} more problems"


def test_problems_up_to_the_limit_are_each_told() -> None:
    entry = {f"x{n}": 1 for n in range(TOLD)}
    with pytest.raises(EntryError) as refused:
        read_entry(entry, COLUMNS)
    assert len(refused.value.problems) == TOLD
    assert not any("more problems" in p for p in refused.value.problems)


def test_an_answers_file_of_made_up_keys_gets_a_few_suggestions(compared: list[str]) -> None:
    questionnaire = load_questionnaire(QUESTIONNAIRES / "cx-maturity.yaml")
    entries = [{"respondent": f"r{n}", f"strategy-owner-{n}": 1} for n in range(200)]
    with pytest.raises(AnswersError) as refused:
        read_answers(json.dumps(entries).encode(), questionnaire)
    assert len(compared) == HINTED
    assert "did you mean 'strategy-owner'?" in refused.value.problems[0]
    assert "did you mean" not in refused.value.problems[HINTED]
