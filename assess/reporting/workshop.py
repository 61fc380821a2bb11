"""The report's agenda for a consensus workshop: the items on which the groups differ
most, each with the groups' means and answers and a question for the discussion, as the
console's workshop page lists them (see assess/domain/workshop.py)."""

from __future__ import annotations

from dataclasses import dataclass

from assess.domain.questionnaire import Questionnaire, localized
from assess.domain.workshop import Agenda
from assess.domain.workshop_words import answer_name, discussion, group_label


@dataclass(frozen=True)
class AgendaGroup:
    """One group's answers to one item."""

    name: str
    n: int
    mean: float
    counts: list[int]  # in the order of the item's answers


@dataclass(frozen=True)
class AgendaLine:
    """One item of the agenda."""

    text: str
    distance: float
    answers: list[str]  # the item's answers by their labels
    groups: list[AgendaGroup]
    question: str  # for the discussion


@dataclass(frozen=True)
class AgendaSection:
    """The agenda: the grouping, its items in order and the groups not shown."""

    grouping: str
    lines: list[AgendaLine]
    hidden: list[str]
    k: int  # the fewest respondents a group shown has


def agenda_section(
    questionnaire: Questionnaire, agenda: Agenda | None, k: int, language: str
) -> AgendaSection | None:
    """The agenda in `language`; None where it has nothing to discuss."""
    if agenda is None or agenda.question is None or not agenda.items:
        return None
    question = agenda.question
    profile = questionnaire.profile_question(question)
    lines = []
    for entry in agenda.items:
        order = list(entry.groups[0].distribution)
        lines.append(
            AgendaLine(
                localized(entry.item.text, language),
                entry.distance,
                [answer_name(questionnaire, entry.item, answer, language) for answer in order],
                [
                    AgendaGroup(
                        group_label(questionnaire, question, g.group, language),
                        g.n,
                        g.mean,
                        [g.distribution[answer] for answer in order],
                    )
                    for g in entry.groups
                ],
                discussion(questionnaire, question, entry, language),
            )
        )
    return AgendaSection(
        localized(profile.text, language) if profile else question,
        lines,
        [group_label(questionnaire, question, g, language) for g in agenda.hidden],
        k,
    )
