"""What a level's answers say, in words: its statements ranked by score, each in the
reading its score gives (a reverse-keyed statement that scores high is one the
respondents rejected), and its questions (choice, yes/no) as facts: the question's label
with the answer given, or how often each answer was given."""

from __future__ import annotations

from dataclasses import dataclass

from assess.domain.answer_words import NO_ANSWER, answer_label, answers_text, question_label
from assess.domain.explain import ItemTrace
from assess.domain.questionnaire import Dimension, ScaleItem, localized
from assess.reporting.i18n import Translator

MOST = 3  # statements in each of the best and the worst list
MIDDLE = 50.0  # the middle of the scale: "teils, teils"
CLEAR = 12.5  # a quarter of the scale's half: beyond it the reading is clear, within it "rather"


@dataclass(frozen=True)
class Statement:
    """A statement as a best or worst list shows it."""

    text: str  # in the reading its score gives: "Rejected: “…”" for a reversed one
    score: float


@dataclass(frozen=True)
class Fact:
    """A question and what the respondents answered to it."""

    question: str  # its label, with the colon that leads to the answer where it needs one
    answer: str  # the answer in words, or each answer with how often it was given


def ranked_statements(
    dimension: Dimension,
    traces: list[ItemTrace],
    scores: dict[str, float | None],
    translator: Translator,
) -> list[Statement]:
    """The level's scale items that have a score, highest first, each in its reading."""
    found = []
    for item, trace in zip(dimension.items, traces, strict=True):
        score = scores.get(item.id, trace.mean_score)
        if isinstance(item, ScaleItem) and score is not None:
            text = localized(item.text, translator.language).strip()
            found.append(Statement(_reading(text, item.reverse, score, translator), score))
    return sorted(found, key=lambda s: -s.score)


def best_and_worst(ranked: list[Statement]) -> tuple[list[Statement], list[Statement]]:
    """The best statements (highest first) and the worst (lowest first): a statement is
    among the best only above the middle of the scale and among the worst only below it,
    so that a weak level lists no weakness as its best answer, nor a strong one a strength
    as its worst."""
    best = [s for s in ranked if s.score > MIDDLE][:MOST]
    worst = [s for s in ranked[::-1] if s.score < MIDDLE][:MOST]
    return best, worst


def facts_of(dimension: Dimension, traces: list[ItemTrace], translator: Translator) -> list[Fact]:
    """The level's choice and yes/no items with their answers in words."""
    language = translator.language
    found = []
    for item, trace in zip(dimension.items, traces, strict=True):
        if isinstance(item, ScaleItem):
            continue
        question = question_label(item, language)
        if not question.endswith(("?", ":")):
            question += ":"
        counts = trace.distribution
        if not counts:
            given = trace.answered + trace.not_applicable
            answer = (
                translator.gettext("not shown, to keep respondents anonymous")
                if given
                else localized(NO_ANSWER, language)
            )
        elif item.informant == "lead" or sum(counts.values()) == 1:
            answer = " · ".join(answer_label(item, value, language) for value in counts)
        else:
            answer = answers_text(item, counts, language, translator.count, between=" ")
        found.append(Fact(question, answer))
    return found


def _reading(text: str, reverse: bool, score: float, translator: Translator) -> str:
    """A statement as its score reads: a reversed one that scores above the middle was
    rejected (clearly, or rather, within a quarter of the scale's half), one below it was
    agreed with; any other as it stands."""
    _ = translator.gettext
    if not reverse:
        return text
    values = {"statement": text}
    if score >= MIDDLE + CLEAR:
        return _("Rejected: “%(statement)s”") % values
    if score > MIDDLE:
        return _("Rather rejected: “%(statement)s”") % values
    if score <= MIDDLE - CLEAR:
        return _("Agreed: “%(statement)s”") % values
    if score < MIDDLE:
        return _("Rather agreed: “%(statement)s”") % values
    return _("Neither agreed nor rejected: “%(statement)s”") % values
