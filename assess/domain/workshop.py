"""The agenda of a consensus workshop: the statements and questions on which the groups of
one assessment (its departments, or another respondent-scope grouping) differ most, each
with every shown group's mean item score (rule 1) and answers, ordered by how far the
highest and the lowest group mean lie apart.

An agenda shows no more than the results may: only groups the disclosure decision shows
(`disclosure.decide`), and of those, per item, only groups whose members who gave it a
score, set against everyone who gave it one and the other groups admitted for it, let
nobody work out the scores of fewer than k (`isolation.isolates`). A group most of whose
members left an item out is thus not shown for that item. Groups of every profile
question are admitted in one fixed order, whichever grouping an agenda shows, so two
agendas of different groupings together reveal no more than each alone.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from assess.domain.answers import Response
from assess.domain.disclosure import Disclosure
from assess.domain.grouping import possible_groups, written_answer
from assess.domain.isolation import BoolMatrix, isolates
from assess.domain.questionnaire import (
    DK_VALUE,
    NA_VALUE,
    BooleanItem,
    ChoiceItem,
    Questionnaire,
    ScaleItem,
)
from assess.domain.scoring import item_score

AGENDA_LENGTH = 10  # items an agenda lists unless asked for another number
Item = ScaleItem | ChoiceItem | BooleanItem


class Nothing(StrEnum):
    """Why an agenda has nothing to discuss."""

    no_responses = "no_responses"
    one_respondent = "one_respondent"
    no_grouping = "no_grouping"
    no_group_shown = "no_group_shown"
    no_two_groups = "no_two_groups"
    no_difference = "no_difference"


@dataclass(frozen=True)
class GroupAnswers:
    """One group's answers to one item: n (members who gave it a score), their mean item
    score, and how many members gave each answer."""

    group: str
    n: int
    mean: float
    distribution: dict[str, int]  # answer as an answers file writes it -> members


@dataclass(frozen=True)
class AgendaItem:
    """One item of the agenda with the groups shown for it, in the grouping's order."""

    item: Item
    dimension: str
    distance: float  # highest minus lowest group mean
    groups: tuple[GroupAnswers, ...]
    hidden: tuple[str, ...]  # groups of the agenda too few of whom gave this item a score

    @property
    def highest(self) -> GroupAnswers:
        """The group with the highest mean (the first in order on a tie)."""
        return max(self.groups, key=lambda g: g.mean)

    @property
    def lowest(self) -> GroupAnswers:
        """The group with the lowest mean (the first in order on a tie)."""
        return min(self.groups, key=lambda g: g.mean)


@dataclass(frozen=True)
class Agenda:
    """A workshop's agenda: the grouping, the groups shown and hidden, the items in order
    (at most the length asked for), and why there is nothing to discuss, if so."""

    question: str | None
    shown: tuple[str, ...]
    hidden: tuple[str, ...]
    items: tuple[AgendaItem, ...]
    differing: int  # items on which the groups differ, before the length was applied
    reason: Nothing | None


def workshop_groupings(questionnaire: Questionnaire) -> list[str]:
    """The profile questions an agenda may group by: those about the respondent, with
    fixed answers."""
    return [q.id for q in questionnaire.profile if q.scope == "respondent" and q.type != "text"]


def agenda_of(
    questionnaire: Questionnaire,
    responses: Sequence[Response],
    verdicts: Disclosure,
    question: str | None,
    *,
    length: int = AGENDA_LENGTH,
) -> Agenda:
    """The agenda of `responses` grouped by `question` (None: no grouping), with the
    groups `verdicts` (decided over the same responses, in the same order) show."""
    possible = _possible_groups(questionnaire, question, verdicts)
    shown = _shown_groups(verdicts, question) if len(responses) > 1 else []
    shown = [g for g in possible if g in shown]
    hidden = tuple(g for g in possible if g not in shown)
    admitted = _Admission(questionnaire, responses, verdicts)
    items = []
    for dimension, item in questionnaire.items():
        if item.informant == "lead" or question is None or len(shown) < 2:
            continue
        allowed = admitted.groups(item, question)
        figures = [
            f
            for g in shown
            if g in allowed
            and (f := _group_answers(questionnaire, item, responses, verdicts, question, g))
        ]
        if len(figures) < 2:
            continue
        means = [f.mean for f in figures]
        thin = tuple(g for g in shown if g not in {f.group for f in figures})
        items.append(AgendaItem(item, dimension.id, max(means) - min(means), tuple(figures), thin))
    two_groups = bool(items)
    items = [i for i in items if i.distance > 0]
    items.sort(key=lambda i: -i.distance)  # stable: ties keep the file's order
    reason = _reason(responses, question, shown, two_groups, bool(items))
    return Agenda(question, tuple(shown), hidden, tuple(items[:length]), len(items), reason)


def _possible_groups(
    questionnaire: Questionnaire, question: str | None, verdicts: Disclosure
) -> list[str]:
    """Every group the question can have, answered or not, in its order."""
    if question is None:
        return []
    found = set(verdicts.coded[question].values) if question in verdicts.coded else set()
    return possible_groups(questionnaire, question, found)


def _shown_groups(verdicts: Disclosure, question: str | None) -> list[str]:
    return [v for q, v in verdicts.shown_groups() if q == question]


def _reason(
    responses: Sequence[Response],
    question: str | None,
    shown: list[str],
    two_groups: bool,
    differing: bool,
) -> Nothing | None:
    """The first reason that leaves nothing to discuss, if any."""
    if not responses:
        return Nothing.no_responses
    if len(responses) == 1:
        return Nothing.one_respondent
    if question is None:
        return Nothing.no_grouping
    if not shown:
        return Nothing.no_group_shown
    if not two_groups:
        return Nothing.no_two_groups
    if not differing:
        return Nothing.no_difference
    return None


def answer_order(questionnaire: Questionnaire, item: Item) -> list[str]:
    """The answers an item offers, as an answers file writes them, in the order a reader
    expects: its scale points, options or yes and no; then not applicable and can't judge
    where it offers them."""
    return (
        questionnaire.answers_of(item)
        + [NA_VALUE] * item.allow_na
        + [DK_VALUE] * item.allow_dont_know
    )


def _group_answers(
    questionnaire: Questionnaire,
    item: Item,
    responses: Sequence[Response],
    verdicts: Disclosure,
    question: str,
    group: str,
) -> GroupAnswers | None:
    """One group's figures of one item; None where none of its members gave it a score."""
    keys = verdicts.coded[question].keys
    distribution = dict.fromkeys(answer_order(questionnaire, item), 0)
    scores = []
    for response, key in zip(responses, keys, strict=True):
        if key != group:
            continue
        answer = response.answers.get(item.id)
        written = written_answer(answer)
        if written is not None:
            distribution[written] = distribution.get(written, 0) + 1
        score = item_score(questionnaire, item, answer)
        if score is not None:
            scores.append(score)
    if not scores:
        return None
    return GroupAnswers(group, len(scores), math.fsum(scores) / len(scores), distribution)


class _Admission:
    """Per item, the groups whose members with a score for it may be shown: admitted one
    at a time (largest first, then by question and answer, over every profile question
    the verdicts show groups of) while everyone with a score and the groups admitted
    before still let nobody work out the scores of fewer than k. Items answered by the
    same respondents share one admission."""

    def __init__(
        self, questionnaire: Questionnaire, responses: Sequence[Response], verdicts: Disclosure
    ) -> None:
        self.questionnaire, self.responses, self.verdicts = questionnaire, responses, verdicts
        self.members = {
            (q, v): np.asarray(verdicts.coded[q].keys, dtype=object) == v
            for q, v in verdicts.shown_groups()
        }
        self.known: dict[bytes, set[tuple[str, str]]] = {}

    def groups(self, item: Item, question: str) -> set[str]:
        """The groups of `question` shown for `item`."""
        scored = np.array(
            [
                item_score(self.questionnaire, item, r.answers.get(item.id)) is not None
                for r in self.responses
            ],
            dtype=bool,
        )
        key = scored.tobytes()
        if key not in self.known:
            self.known[key] = self._admitted(scored)
        return {v for q, v in self.known[key] if q == question}

    def _admitted(self, scored: BoolMatrix) -> set[tuple[str, str]]:
        k = self.verdicts.k
        if int(scored.sum()) < k:
            return set()
        family = scored[None, :]
        rows = {group: members & scored for group, members in self.members.items()}
        admitted = set()
        for group in sorted(rows, key=lambda g: (-int(rows[g].sum()), g)):
            if int(rows[group].sum()) < k:
                continue
            trial = np.vstack([family, rows[group][None, :]])
            if not isolates(trial, k):
                family = trial
                admitted.add(group)
        return admitted
