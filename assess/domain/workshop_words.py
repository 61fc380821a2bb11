"""A workshop agenda in words, in German and English: each group by its name, a question
for the discussion of each item (naming the statement or question, the groups with the
highest and the lowest mean and, for questions, their answers by label), and why an
agenda has nothing to discuss."""

from __future__ import annotations

from assess.domain.answer_words import ANSWER_WORDS, answer_label, question_label
from assess.domain.formatting import percent_text, score_text
from assess.domain.questionnaire import (
    DK_VALUE,
    NA_VALUE,
    BooleanItem,
    ChoiceItem,
    ProfileChoice,
    Questionnaire,
    ScaleItem,
    localized,
)
from assess.domain.workshop import AgendaItem, GroupAnswers, Item, Nothing

DEPARTMENT = "department"

ASK = {
    "de": "Woran macht jede Seite ihre Antwort fest, und welche Antwort gilt für Ihr Unternehmen?",
    "en": "What does each side base its answer on, and which answer holds for your organisation?",
}

# A group the agenda does not show, whether small, too close to another or empty.
HIDDEN = {"de": "zu wenige, um sie zu zeigen", "en": "too few to show"}

REASONS = {
    Nothing.no_responses: {
        "de": "Es sind noch keine Antworten abgeschickt: Ohne Antworten gibt es nichts zu "
        "besprechen.",
        "en": "No responses have been submitted yet, so there is nothing to discuss.",
    },
    Nothing.one_respondent: {
        "de": "Bisher hat nur eine befragte Person geantwortet: Es gibt keine Gruppen, deren "
        "Antworten sich vergleichen ließen.",
        "en": "Only one respondent has answered so far: there are no groups whose answers "
        "could be compared.",
    },
    Nothing.no_grouping: {
        "de": "Der Fragebogen fragt nicht nach der Abteilung, und keine andere Gruppierung "
        "ist gewählt: Ohne Gruppen gibt es keine Unterschiede zu besprechen.",
        "en": "The questionnaire does not ask for the department and no other grouping is "
        "chosen: without groups there are no differences to discuss.",
    },
    Nothing.no_group_shown: {
        "de": "Keine Gruppe ist groß genug, um gezeigt zu werden: Die Agenda zeigt nur Gruppen "
        "ab %(k)s Befragten, durch die niemand erkennbar wird.",
        "en": "No group is large enough to be shown: the agenda shows only groups of "
        "%(k)s respondents or more that let nobody be recognised.",
    },
    Nothing.no_two_groups: {
        "de": "Zu keiner Aussage oder Frage haben mindestens zwei gezeigte Gruppen mit je "
        "mindestens %(k)s Befragten einen Wert gegeben: Es lässt sich nichts vergleichen.",
        "en": "No statement or question was given a score by at least two groups shown, "
        "%(k)s or more respondents each, so nothing can be compared.",
    },
    Nothing.no_difference: {
        "de": "Die gezeigten Gruppen unterscheiden sich bei keiner Aussage oder Frage: Ihre "
        "Mittelwerte sind überall gleich.",
        "en": "The groups shown do not differ on any statement or question: their means are "
        "the same throughout.",
    },
}


def reason_text(reason: Nothing, k: int, language: str) -> str:
    """Why an agenda has nothing to discuss, in `language`."""
    return localized(REASONS[reason], language) % {"k": k}


def answer_name(questionnaire: Questionnaire, item: Item, answer: str, language: str) -> str:
    """One answer by its label: a scale point by its words where the scale names it."""
    if isinstance(item, ScaleItem) and answer.isdigit():
        anchors = item.labels or (questionnaire.scale.labels if questionnaire.scale else {})
        if int(answer) in anchors:
            return localized(anchors[int(answer)], language)
    return answer_label(item, answer, language)


def group_label(questionnaire: Questionnaire, question: str, group: str, language: str) -> str:
    """A group by its name: an option's label, yes or no, a scale point."""
    profile = questionnaire.profile_question(question)
    if isinstance(profile, ProfileChoice):
        option = next((o for o in profile.options if o.value == group), None)
        if option is not None:
            return localized(option.label, language)
    if group in ("yes", "no"):
        return localized(ANSWER_WORDS[group], language)
    return group


def discussion(
    questionnaire: Questionnaire, question: str, entry: AgendaItem, language: str
) -> str:
    """The question for the workshop's discussion of one item, in `language`."""
    de = language == "de"
    item, high, low = entry.item, entry.highest, entry.lowest
    text = question_label(item, language)
    name = _Names(questionnaire, question, language)
    if isinstance(item, BooleanItem):
        shares = {"yes": localized(ANSWER_WORDS["yes"], language)}
        said = (
            f"Auf die Frage „{text}“ antworten {_yes(high, language)} der Befragten "
            f"{name.of(high)} mit „{shares['yes']}“, aber nur {_yes(low, language)} der "
            f"Befragten {name.of(low)}."
            if de
            else f"To “{text}”, {_yes(high, language)} of respondents {name.of(high)} answer "
            f"“{shares['yes']}”, but only {_yes(low, language)} {name.of(low)}."
        )
    elif isinstance(item, ChoiceItem):
        said = _choices(item, text, high, low, name, language)
    else:
        # A reversed statement: the group whose answers score lower agrees more.
        more, less = (low, high) if item.reverse else (high, low)
        # "much", not "clearly": clear (deutlich) is the word for a divergence more than
        # chance explains, and no test of chance stands behind one item's distance.
        far_apart = entry.distance >= questionnaire.divergence_threshold
        said = (
            f"{name.subject(more, start=True)} stimmt der Aussage „{text}“ "
            f"{'viel ' if far_apart else ''}eher zu als {name.subject(less)}."
            if de
            else f"{name.subject(more, start=True)} agrees with “{text}” "
            f"{'much ' if far_apart else ''}more than {name.subject(less)}."
        )
    return f"{said} {localized(ASK, language)}"


def _choices(
    item: ChoiceItem,
    text: str,
    high: GroupAnswers,
    low: GroupAnswers,
    name: _Names,
    language: str,
) -> str:
    """What a question's groups answer most often, by the options' labels."""
    de = language == "de"
    top, bottom = _most_often(item, high, language), _most_often(item, low, language)
    if top != bottom:
        if de:
            return (
                f"Auf die Frage „{text}“ antworten die Befragten {name.of(high)} am häufigsten "
                f"„{top}“, die {name.of(low)} am häufigsten „{bottom}“."
            )
        return (
            f"To “{text}”, respondents {name.of(high)} most often answer “{top}”, those "
            f"{name.of(low)} most often “{bottom}”."
        )
    scores = score_text(high.mean, language), score_text(low.mean, language)
    if de:
        return (
            f"Auf die Frage „{text}“ antworten die Befragten {name.of(high)} wie die "
            f"{name.of(low)} am häufigsten „{top}“; im Mittel geben sie aber einen Punktwert "
            f"von {scores[0]} gegenüber {scores[1]}."
        )
    return (
        f"To “{text}”, respondents {name.of(high)} and those {name.of(low)} most often answer "
        f"“{top}”; on average, though, their answers score {scores[0]} against {scores[1]}."
    )


def _most_often(item: ChoiceItem, group: GroupAnswers, language: str) -> str:
    """The label of the option a group chose most often (the first in order on a tie)."""
    chosen = {v: n for v, n in group.distribution.items() if v not in (NA_VALUE, DK_VALUE)}
    value = max(chosen, key=lambda v: chosen[v])
    return answer_label(item, value, language)


def _yes(group: GroupAnswers, language: str) -> str:
    """The share of a group's scored answers that are yes (a yes scores 100, a no 0)."""
    return percent_text(group.mean / 100, language)


class _Names:
    """How the sentences name a group: a department by its name ("Vertrieb stimmt …"),
    a group of another question by its name in quotes ("Die Gruppe „2–5 Jahre“ …")."""

    def __init__(self, questionnaire: Questionnaire, question: str, language: str) -> None:
        self.questionnaire, self.question, self.language = questionnaire, question, language
        self.department = question == DEPARTMENT

    def _label(self, group: GroupAnswers) -> str:
        return group_label(self.questionnaire, self.question, group.group, self.language)

    def subject(self, group: GroupAnswers, *, start: bool = False) -> str:
        """The group as the one who does something."""
        label = self._label(group)
        if self.department:
            return label
        if self.language == "de":
            return f"{'Die' if start else 'die'} Gruppe „{label}“"
        return f"{'The' if start else 'the'} group “{label}”"

    def of(self, group: GroupAnswers) -> str:
        """Where the group's respondents come from: "aus der Abteilung Vertrieb"."""
        label = self._label(group)
        if self.language == "de":
            return f"aus der Abteilung {label}" if self.department else f"aus der Gruppe „{label}“"
        return f"in {label}" if self.department else f"in the group “{label}”"
