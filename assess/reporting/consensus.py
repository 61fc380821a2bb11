"""The report "after the workshop": the consensus answers it counts, each with the
statement or question, the agreed answer by its label and the rationale."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assess.domain.consensus import Consensus, consensus_label
from assess.domain.questionnaire import Questionnaire, localized


@dataclass(frozen=True)
class Agreed:
    """One consensus answer as the report states it."""

    statement: str
    answer: str
    rationale: str


def agreed_answers(
    questionnaire: Questionnaire, consensus: Sequence[Consensus], language: str
) -> list[Agreed]:
    """The consensus answers in `language`, in questionnaire order as given."""
    agreed = []
    for c in consensus:
        item = questionnaire.item(c.item)
        if item is not None:
            label = consensus_label(item, c.answer, language)
            agreed.append(Agreed(localized(item.text, language), label, c.rationale))
    return agreed
