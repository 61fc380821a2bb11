"""A list of respondents as people paste it or upload it: one per line, a label and
optionally a department; comma, semicolon or tab between them; a header row optional."""

from __future__ import annotations

import csv
from dataclasses import dataclass

from assess.domain.questionnaire import ProfileChoice, Questionnaire, localized

MAX_RESPONDENTS = 5000
MAX_LABEL = 200
HEADER_WORDS = {"label", "name", "respondent", "bezeichnung", "befragte", "befragter"}
DEPARTMENT_WORDS = {"department", "abteilung", "bereich"}


@dataclass(frozen=True)
class ListProblem:
    """What is wrong on one line of the list (line 0: the whole list)."""

    line: int
    kind: str  # empty_label, long_label, unknown_department, repeated, too_many, empty
    value: str = ""


def read_respondents(
    text: str, questionnaire: Questionnaire
) -> tuple[list[tuple[str, str | None]], list[ListProblem]]:
    """(label, department value) pairs of a pasted or uploaded list, and its problems.
    Departments may be given by value or by their label in any language."""
    text = text.lstrip("\ufeff")
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return [], [ListProblem(0, "empty")]
    rows = [_cells(line) for line in lines]
    label_at, department_at, first = 0, 1, 0
    header = [cell.strip().lower() for cell in rows[0]]
    if header and header[0] in HEADER_WORDS | DEPARTMENT_WORDS:
        label_at = next((i for i, c in enumerate(header) if c in HEADER_WORDS), 0)
        department_at = next((i for i, c in enumerate(header) if c in DEPARTMENT_WORDS), -1)
        first = 1
    departments = _departments(questionnaire)
    entries: list[tuple[str, str | None]] = []
    problems: list[ListProblem] = []
    seen: set[str] = set()
    for number, row in enumerate(rows[first:], start=first + 1):
        label = row[label_at].strip() if label_at < len(row) else ""
        given = row[department_at].strip() if 0 <= department_at < len(row) else ""
        if not label:
            problems.append(ListProblem(number, "empty_label"))
            continue
        if len(label) > MAX_LABEL:
            problems.append(ListProblem(number, "long_label", label[:40]))
            continue
        if label in seen:
            problems.append(ListProblem(number, "repeated", label))
            continue
        seen.add(label)
        department = None
        if given:
            # Without a department question any name will do, as in the API.
            department = departments.get(given.casefold()) if departments else given[:64]
            if department is None:
                problems.append(ListProblem(number, "unknown_department", given))
                continue
        entries.append((label, department))
    if len(entries) > MAX_RESPONDENTS:
        problems.append(ListProblem(0, "too_many", str(MAX_RESPONDENTS)))
    return entries, problems


def _cells(line: str) -> list[str]:
    """The cells of one line. German spreadsheets write semicolons, pasted cells come
    with tabs, people type commas: each line is split at the one it has most of."""
    delimiter = max((",", ";", "\t"), key=line.count)
    return next(csv.reader([line], delimiter=delimiter), [])


def department_options(questionnaire: Questionnaire, language: str) -> list[tuple[str, str]]:
    """(value, name in `language`) of the departments a list may name; empty when the
    questionnaire asks for none."""
    question = questionnaire.profile_question("department")
    if not isinstance(question, ProfileChoice):
        return []
    return [(o.value, localized(o.label, language) or o.value) for o in question.options]


def _departments(questionnaire: Questionnaire) -> dict[str, str]:
    question = questionnaire.profile_question("department")
    if not isinstance(question, ProfileChoice):
        return {}
    known: dict[str, str] = {}
    for option in question.options:
        known[option.value.casefold()] = option.value
        for label in option.label.values():
            known.setdefault(label.casefold(), option.value)
    return known
