"""What a research export does with facts asked of one lead: rule 6 lends the lead's
answers to every row of the lead's assessment, and the lead flag is shown only where it
cannot name a person."""

from __future__ import annotations

from typing import Any

from assess.domain.grouping import MIN_GROUP_RESPONDENTS
from assess.domain.questionnaire import Questionnaire

LEAD = {
    "de": "Hat als Hauptansprechperson geantwortet (1 = ja, 0 = nein)",
    "en": "Answered as the lead respondent (1 = yes, 0 = no)",
}


def lead_flag_shown(leads: int) -> bool:
    """Whether an export with this many leads' rows shows the lead flag. A lead is one
    person per assessment whom colleagues know: a flag beside the organisation's
    pseudonym would name the row of a known person. So a flagged row leaves its
    organisation (`StoredRow.detached`), and that hides it only among at least
    MIN_GROUP_RESPONDENTS such rows."""
    return leads >= MIN_GROUP_RESPONDENTS


def lead_items(questionnaire: Questionnaire) -> set[str]:
    """Ids of the items asked of the lead only."""
    return set(questionnaire.lead_item_ids())


def dimensions_with_facts(questionnaire: Questionnaire) -> set[int]:
    """Positions of the dimensions with an item asked of the lead: on a lead's row apart
    from its organisation, their scores and the overall score are withheld (with the
    row's other answers, a score would give the facts, which find its organisation)."""
    return {
        d
        for d, dimension in enumerate(questionnaire.dimensions)
        if any(item.informant == "lead" for item in dimension.items)
    }


def lent(
    answers: dict[str, Any], lead_answers: dict[str, Any] | None, items: set[str]
) -> dict[str, Any]:
    """Stored answers with the assessment lead's answers to the lead items (rule 6);
    `lead_answers` None where the assessment has no lead: then those items are empty."""
    if not items:
        return answers
    given = {k: v for k, v in answers.items() if k not in items}
    found = lead_answers or {}
    given.update({k: found[k] for k in items if k in found})
    return given
