"""A consensus workshop's agenda in the words of one language, as the API answers it and
the console page lays it out."""

from __future__ import annotations

import uuid

from assess.domain.questionnaire import ScaleItem, localized
from assess.domain.workshop import AgendaItem as Entry
from assess.domain.workshop_words import HIDDEN, answer_name, discussion, group_label, reason_text
from assess.results.workshop import Workshop
from assess.web.schemas.workshop import (
    AgendaItem,
    AnswerCount,
    GroupItemFigures,
    HiddenGroup,
    NothingToDiscuss,
    ShownGroup,
    WorkshopAgenda,
)


def agenda_view(workshop: Workshop, assessment_id: uuid.UUID, language: str) -> WorkshopAgenda:
    """The agenda of `workshop` with every text in `language`."""
    agenda, questionnaire = workshop.agenda, workshop.questionnaire
    question = agenda.question or ""

    def name(group: str) -> str:
        return group_label(questionnaire, question, group, language)

    reason = agenda.reason
    return WorkshopAgenda(
        assessment_id=assessment_id,
        language="de" if language == "de" else "en",
        grouping=agenda.question,
        groupings=workshop.groupings,
        minimum_group=workshop.k,
        groups=[ShownGroup(group=g, name=name(g)) for g in agenda.shown],
        hidden_groups=[
            HiddenGroup(group=g, name=name(g), reason=localized(HIDDEN, language))
            for g in agenda.hidden
        ],
        items=[_item(workshop, entry, question, language) for entry in agenda.items],
        differing=agenda.differing,
        reason=(
            NothingToDiscuss(code=reason, message=reason_text(reason, workshop.k, language))
            if reason
            else None
        ),
    )


def _item(workshop: Workshop, entry: Entry, question: str, language: str) -> AgendaItem:
    questionnaire, item = workshop.questionnaire, entry.item
    return AgendaItem(
        id=item.id,
        level=entry.dimension,
        kind=item.type,
        reversed=isinstance(item, ScaleItem) and item.reverse,
        text=localized(item.text, language),
        distance=entry.distance,
        highest=entry.highest.group,
        lowest=entry.lowest.group,
        groups=[
            GroupItemFigures(
                group=g.group,
                name=group_label(questionnaire, question, g.group, language),
                n=g.n,
                mean=g.mean,
                distribution=[
                    AnswerCount(
                        answer=a, label=answer_name(questionnaire, item, a, language), count=n
                    )
                    for a, n in g.distribution.items()
                ],
            )
            for g in entry.groups
        ],
        thin_groups=list(entry.hidden),
        question=discussion(questionnaire, question, entry, language),
    )
