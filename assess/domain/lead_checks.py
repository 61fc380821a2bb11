"""The lead of an answers file: at most one respondent marked in the `lead` column, and
only that one answers the items asked of the lead (`informant: lead`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from assess.domain.answers import MAX_ERRORS, Coded
from assess.domain.questionnaire import LEAD_COLUMN, Questionnaire


def lead_problems(
    questionnaire: Questionnaire,
    coded: dict[str, Coded],
    places: Sequence[str],
    names: list[str],
    file: str,
    leads: list[str],
) -> list[str]:
    """Rows that answer a lead item without being the lead; the lead's place is added to
    `leads` (at most one may be marked, see `too_many_leads`)."""
    marks = coded.get(LEAD_COLUMN)
    is_lead = np.zeros(len(names), dtype=bool)
    if marks is not None:
        marked = [k for k, value in enumerate(marks.values) if value is True]
        is_lead = np.isin(marks.codes, marked)
        leads += [places[r] for r in np.flatnonzero(is_lead).tolist()]
    problems = []
    for _, item in questionnaire.items():
        answers = coded.get(item.id)
        if item.informant != "lead" or answers is None:
            continue
        for r in np.flatnonzero((answers.codes >= 0) & ~is_lead)[: MAX_ERRORS + 1].tolist():
            problems.append(
                f"{file}: {places[r]}, column '{item.id}' (respondent {names[r]}): only the "
                f"lead answers this item (a fact asked of one person); leave the cell empty, "
                f"or mark this respondent with 'yes' in the '{LEAD_COLUMN}' column"
            )
    return problems


def too_many_leads(leads: list[str], file: str) -> list[str]:
    """The error for two or more respondents marked as lead, naming where they are."""
    if len(leads) < 2:
        return []
    return [
        f"{file}: {len(leads)} respondents are marked as lead ({', '.join(leads[:12])}); "
        f"mark one, and leave '{LEAD_COLUMN}' empty or 'no' for the others"
    ]
