"""Answers files in JSON: a list of respondents, each an object of question ids and answers."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from assess.domain.answers import SKIPPED, AnswersError, Chunk, Coded
from assess.domain.columns import HINTED, CellError, columns_of, unknown_column
from assess.domain.lead_checks import lead_problems, too_many_leads
from assess.domain.questionnaire import Questionnaire

# Text no database stores, which JSON can still hold as escapes.
_NUL_OR_SURROGATE = re.compile("[\x00\ud800-\udfff]")


def json_chunks(text: str, questionnaire: Questionnaire, file: str) -> Iterator[Chunk]:
    """Checked chunks (one) of a JSON answers file, or AnswersError with every problem."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise AnswersError(
            [f"{file}: line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})"]
        ) from None
    if _holds_bad_text(data):
        raise AnswersError(
            [
                f"{file}: a text holds a NUL character or a lone surrogate (an escape "
                "such as \\u0000 or \\ud800); remove it"
            ]
        )
    if isinstance(data, dict) and isinstance(data.get("responses"), list):
        data = data["responses"]
    if not isinstance(data, list):
        raise AnswersError(
            [f'{file}: expected a list of respondents, [{{"respondent": "r1", "item-id": 4}}]']
        )
    columns = columns_of(questionnaire, lead=True)
    problems: list[str] = []
    entries: list[dict[str, object]] = []
    unknown: set[object] = set()  # keys: the first HINTED of them get a suggestion
    for number, entry in enumerate(data, start=1):
        if not isinstance(entry, dict):
            problems.append(f"{file}: entry {number}: expected an object with 'respondent'")
            continue
        for key in entry:
            if key != "respondent" and key not in columns:
                unknown.add(key)
                why = unknown_column(
                    str(key), columns, questionnaire, suggest=len(unknown) <= HINTED
                )
                problems.append(f"{file}: entry {number}: unknown key {why}")
        entries.append(entry)
    names = _json_names(entries, file, problems)
    coded: dict[str, Coded] = {}
    for question, column in columns.items():
        typed = []
        for number, (name, entry) in enumerate(zip(names, entries, strict=True), start=1):
            try:
                typed.append(column.convert(entry.get(question)))
            except CellError as exc:
                where = f"entry {number}, key '{question}' (respondent {name})"
                problems.append(f"{file}: {where}: {exc}")
                typed.append(SKIPPED)
        coded[question] = Coded.of(typed)
    leads: list[str] = []
    places = [f"entry {number}" for number in range(1, len(entries) + 1)]
    problems += lead_problems(questionnaire, coded, places, names, file, leads)
    problems += too_many_leads(leads, file)
    if problems:
        raise AnswersError(problems)
    yield Chunk(names, coded)


def _holds_bad_text(value: object) -> bool:
    """Whether a JSON value holds text that no database stores, NUL or a lone surrogate,
    which JSON carries as escapes (\\u0000, \\ud800) past any check of a file's bytes."""
    if isinstance(value, str):
        return _NUL_OR_SURROGATE.search(value) is not None
    if isinstance(value, dict):
        return any(_holds_bad_text(k) or _holds_bad_text(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_bad_text(v) for v in value)
    return False


def _json_names(entries: list[dict[str, object]], file: str, problems: list[str]) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        raw = entry.get("respondent")
        name = str(raw).strip() if isinstance(raw, str | int) and raw is not True else ""
        if not name:
            problems.append(f"{file}: entry {number}: 'respondent' is missing; give each a label")
        elif name in seen:
            problems.append(f"{file}: entry {number}: respondent '{name}' appears twice")
        seen.add(name)
        names.append(name)
    return names
