"""The organisation attributes peer groups are formed by (industry, size band, country):
the options a questionnaire's organisation profile questions offer for them, and which
option a text someone typed means."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from assess.domain.questionnaire import ProfileChoice, ProfileOption, Questionnaire, localized

# In the order forms ask for them.
ATTRIBUTES = ("industry", "size", "country")

Choices = Mapping[str, Sequence[ProfileOption]]

_DASHES = re.compile(r"[\u2010-\u2015\u2212\-]")
_THOUSANDS = re.compile(r"(?<=\d)[.,'\u2009\u202f ](?=\d{3}(?!\d))")
_SPACE = re.compile(r"\s+")


def attribute_choices(questionnaire: Questionnaire) -> dict[str, list[ProfileOption]]:
    """The options of each attribute the questionnaire asks as an organisation-wide
    choice question (attributes it does not ask are left out)."""
    questions = {
        q.id: q
        for q in questionnaire.profile
        if isinstance(q, ProfileChoice) and q.scope == "organisation"
    }
    return {a: list(questions[a].options) for a in ATTRIBUTES if a in questions}


def option_label(choices: Choices, attribute: str, value: str, language: str) -> str:
    """An option's label in `language`; the value itself if no option has it."""
    for option in choices.get(attribute, ()):
        if option.value == value:
            return localized(option.label, language)
    return value


def _plain(text: str) -> str:
    """A text without what people write differently: case, spaces, kinds of dash and
    thousands separators ("250 – 999" and "250-999", "1.000" and "1000")."""
    text = _DASHES.sub("-", text.casefold())
    text = _THOUSANDS.sub("", text)
    return _SPACE.sub("", text)


def matching_option(text: str, options: Sequence[ProfileOption]) -> str | None:
    """The value of the option whose value or label (in any language) the text is,
    ignoring case, spaces, dashes and thousands separators; None if none is."""
    wanted = _plain(text)
    for option in options:
        if wanted in {_plain(option.value), *(_plain(label) for label in option.label.values())}:
            return option.value
    return None
