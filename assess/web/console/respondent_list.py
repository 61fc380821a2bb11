"""A list of respondents as people paste it or upload it: one per line, a label and
optionally a department, an e-mail address, a language and (with a header row) whether
they are the lead; comma, semicolon or tab between them; a header row optional (without
one, a cell with @ is the address and a language code of the questionnaire the
language)."""

from __future__ import annotations

import csv
from dataclasses import dataclass

from assess import address_problem
from assess.domain.questionnaire import ProfileChoice, Questionnaire, localized
from assess.persistence.repository.invitations import Invitee

MAX_RESPONDENTS = 5000
MAX_LABEL = 200
HEADER_WORDS = {"label", "name", "respondent", "bezeichnung", "befragte", "befragter"}
DEPARTMENT_WORDS = {"department", "abteilung", "bereich"}
EMAIL_WORDS = {"email", "e-mail", "mail", "address", "adresse", "e-mail-adresse"}
LANGUAGE_WORDS = {"language", "lang", "sprache"}
LEAD_WORDS = {"lead", "hauptansprechperson"}
LEAD_YES = {"yes", "ja", "true", "y", "1"}
LEAD_NO = {"", "no", "nein", "false", "n", "0"}


@dataclass(frozen=True)
class ListProblem:
    """What is wrong on one line of the list (line 0: the whole list)."""

    line: int
    # empty_label, long_label, unknown_department, bad_email, unknown_language, repeated,
    # bad_lead, two_leads (value: the lines), too_many, empty
    kind: str
    value: str = ""


def read_respondents(
    text: str, questionnaire: Questionnaire
) -> tuple[list[Invitee], list[ListProblem]]:
    """The invitees of a pasted or uploaded list, and its problems. Departments may be
    given by value or by their label in any language; a respondent without a language
    gets the questionnaire's first."""
    text = text.lstrip("\ufeff")
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return [], [ListProblem(0, "empty")]
    rows = [_cells(line) for line in lines]
    columns = _columns(rows[0])
    departments = _departments(questionnaire)
    entries: list[Invitee] = []
    problems: list[ListProblem] = []
    seen: set[str] = set()
    leads: list[int] = []
    first = 1 if columns else 0
    for number, row in enumerate(rows[first:], start=first + 1):
        cells = _by_column(row, columns) if columns else _by_look(row, questionnaire.languages)
        label, given = cells["label"], cells["department"]
        email, language = cells["email"], cells["language"]
        lead = cells.get("lead", "").lower()
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
        if email and address_problem(email):
            problems.append(ListProblem(number, "bad_email", email[:80]))
            continue
        if language and language not in questionnaire.languages:
            problems.append(ListProblem(number, "unknown_language", language[:20]))
            continue
        department = None
        if given:
            # Without a department question any name will do, as in the API.
            department = departments.get(given.casefold()) if departments else given[:64]
            if department is None:
                problems.append(ListProblem(number, "unknown_department", given))
                continue
        if lead not in LEAD_YES | LEAD_NO:
            problems.append(ListProblem(number, "bad_lead", lead[:20]))
            continue
        if lead in LEAD_YES:
            leads.append(number)
        language = language or questionnaire.languages[0]
        entries.append(Invitee(label, department, email or None, language, lead in LEAD_YES))
    if len(leads) > 1:
        problems.append(ListProblem(0, "two_leads", ", ".join(map(str, leads))))
    if len(entries) > MAX_RESPONDENTS:
        problems.append(ListProblem(0, "too_many", str(MAX_RESPONDENTS)))
    return entries, problems


def _columns(first_row: list[str]) -> dict[str, int] | None:
    """Where each column is, when the first row is a header (-1: not given); else None."""
    header = [cell.strip().lower() for cell in first_row]
    if not header or header[0] not in HEADER_WORDS | DEPARTMENT_WORDS | EMAIL_WORDS:
        return None
    columns = {
        name: next((i for i, c in enumerate(header) if c in words), -1)
        for name, words in (
            ("label", HEADER_WORDS),
            ("department", DEPARTMENT_WORDS),
            ("email", EMAIL_WORDS),
            ("language", LANGUAGE_WORDS),
            ("lead", LEAD_WORDS),
        )
    }
    columns["label"] = max(columns["label"], 0)
    return columns


def _by_column(row: list[str], columns: dict[str, int]) -> dict[str, str]:
    return {name: row[at].strip() if 0 <= at < len(row) else "" for name, at in columns.items()}


def _by_look(row: list[str], languages: list[str]) -> dict[str, str]:
    """The cells of a row without a header: the label first, then an address (it has
    an @), a language (a code of the questionnaire) and the department (the rest)."""
    cells = {"label": row[0].strip() if row else "", "department": "", "email": "", "language": ""}
    for cell in (c.strip() for c in row[1:]):
        if not cell:
            continue
        if "@" in cell and not cells["email"]:
            cells["email"] = cell
        elif cell.lower() in languages and not cells["language"]:
            cells["language"] = cell.lower()
        elif not cells["department"]:
            cells["department"] = cell
    return cells


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
