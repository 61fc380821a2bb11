"""Typed answers: one respondent's response, and the answers of many held as coded columns.

Each column of answers is held as its distinct values plus one integer code per
respondent, so scoring a million respondents never makes a Python object per cell and
scores each distinct answer once. Answers files are read into this shape by
`answer_files`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

import numpy as np
import numpy.typing as npt

from assess.domain.columns import (
    DK,
    NA,
    SKIPPED,
    AnswerValue,
    DontKnow,
    NotApplicable,
    ProfileValue,
    Skipped,
    importance_column,
    stored_value,
)
from assess.domain.questionnaire import (
    DK_VALUE,
    IMPORTANCE_PREFIX,
    LEAD_COLUMN,
    NA_VALUE,
    Questionnaire,
)

__all__ = [
    "DK",
    "NA",
    "SKIPPED",
    "AnswerValue",
    "AnswersError",
    "Chunk",
    "Coded",
    "DontKnow",
    "NotApplicable",
    "ProfileValue",
    "Response",
    "Skipped",
    "chunks_of",
    "from_stored",
    "to_stored",
]

MAX_ERRORS = 50
CHUNK_ROWS = 100_000
Codes = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Response:
    """One respondent's answers: item id -> value, profile id -> value, dimension id ->
    importance; skipped ids absent. `lead`: the one respondent who answers lead items."""

    respondent: str
    answers: dict[str, AnswerValue] = field(default_factory=dict)
    profile: dict[str, ProfileValue] = field(default_factory=dict)
    importance: dict[str, float] = field(default_factory=dict)
    lead: bool = False


@dataclass(frozen=True)
class Coded:
    """A column of answers: its distinct typed values, and per respondent the index of
    its value (-1 where the cell was left empty)."""

    values: list[Any]
    codes: Codes

    @classmethod
    def of(cls, typed: Sequence[Any]) -> Coded:
        """Code a list of typed values (one type per column, so no two values collide);
        SKIPPED (and None) become code -1, an empty cell, as in a file."""
        index: dict[Any, int] = {SKIPPED: -1}
        for value in typed:
            if value is not None:
                index.setdefault(value, len(index) - 1)
        index[None] = -1
        codes = np.fromiter(map(index.__getitem__, typed), np.int64, len(typed))
        del index[SKIPPED], index[None]
        return cls(list(index), codes)

    def lookup(self, results: Sequence[Any], empty: Any) -> npt.NDArray[Any]:
        """Per respondent, the result of its value (`results` parallel to `values`)."""
        # Code -1 picks the last element: the result for an empty cell.
        table = np.empty(len(results) + 1, dtype=object)
        table[:-1] = results
        table[-1] = empty
        return table[self.codes]

    def typed(self) -> list[Any]:
        """The typed value of every respondent (SKIPPED where left empty)."""
        typed: list[Any] = self.lookup(self.values, SKIPPED).tolist()
        return typed


@dataclass(frozen=True)
class Chunk:
    """Consecutive respondents and their coded answers, by question id."""

    respondents: list[str]
    columns: dict[str, Coded]

    def responses(self, questionnaire: Questionnaire) -> Iterator[Response]:
        """One typed response per respondent."""
        profile_ids = {q.id for q in questionnaire.profile}
        typed = {question: coded.typed() for question, coded in self.columns.items()}
        for r, name in enumerate(self.respondents):
            answers: dict[str, AnswerValue] = {}
            profile: dict[str, ProfileValue] = {}
            importance: dict[str, float] = {}
            lead = False
            for question, values in typed.items():
                value = values[r]
                if value is SKIPPED:
                    continue
                if question == LEAD_COLUMN:
                    lead = value is True
                elif question.startswith(IMPORTANCE_PREFIX):
                    importance[question.removeprefix(IMPORTANCE_PREFIX)] = value
                elif question in profile_ids:
                    profile[question] = value
                else:
                    answers[question] = value
            yield Response(name, answers, profile, importance, lead)


class AnswersError(Exception):
    """Every problem found in an answers file; nothing of it was accepted."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = problems[:MAX_ERRORS]
        more = len(problems) - len(shown)
        super().__init__("\n".join(shown) + (f"\n… and {more} more problems" if more else ""))


def chunks_of(responses: Iterable[Response], questionnaire: Questionnaire) -> Iterator[Chunk]:
    """Typed responses (from a database, say) as chunks, the shape scoring reads."""
    ids = [q.id for q in questionnaire.profile] + questionnaire.item_ids()
    dimension_ids = [d.id for d in questionnaire.dimensions] if questionnaire.importance else []
    remaining = iter(responses)
    while batch := list(islice(remaining, CHUNK_ROWS)):
        columns = {
            i: Coded.of([r.answers.get(i, r.profile.get(i, SKIPPED)) for r in batch]) for i in ids
        }
        for d in dimension_ids:
            columns[importance_column(d)] = Coded.of([r.importance.get(d, SKIPPED) for r in batch])
        if any(r.lead for r in batch):
            columns[LEAD_COLUMN] = Coded.of([True if r.lead else SKIPPED for r in batch])
        yield Chunk([r.respondent for r in batch], columns)


def to_stored(response: Response) -> tuple[dict[str, Any], dict[str, Any]]:
    """(answers, profile) as JSON-ready data: "na" for not applicable, "dk" for can't
    judge, importance under `importance:<dimension>` keys beside the answers."""
    answers = {k: stored_value(v) for k, v in response.answers.items()}
    answers.update({importance_column(d): v for d, v in response.importance.items()})
    return answers, dict(response.profile)


_STORED: dict[str, AnswerValue] = {NA_VALUE: NA, DK_VALUE: DK}


def from_stored(
    respondent: str, answers: dict[str, Any], profile: dict[str, Any], *, lead: bool = False
) -> Response:
    """A typed response from data written by `to_stored` (checked when it was stored)."""
    typed: dict[str, AnswerValue] = {}
    importance: dict[str, float] = {}
    for key, value in answers.items():
        if key.startswith(IMPORTANCE_PREFIX):
            importance[key.removeprefix(IMPORTANCE_PREFIX)] = value
        else:
            typed[key] = _STORED.get(value, value) if isinstance(value, str) else value
    return Response(respondent, typed, dict(profile), importance, lead)
