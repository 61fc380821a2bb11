"""Values, numbers and names of a comparison of questionnaire versions as readers see them,
in German or English."""

from __future__ import annotations

from typing import Any

from assess.domain.differences import Difference
from assess.domain.questionnaire import Questionnaire, localized
from assess.domain.version_overview import Advice
from assess.domain.versions_words import FIELDS, PHRASES, VALUES


def words_in(table: dict[str, Any], language: str) -> Any:
    """A language's words of a table of words (English where it has none)."""
    return table.get(language, table["en"])


def field_name(name: str, language: str, languages: list[str]) -> str:
    """`options.board.label.de` -> "option board label (de)"."""
    fields = words_in(FIELDS, language)
    parts = []
    for token in name.split("."):
        parts.append(f"({token})" if token in languages else fields.get(token, token))
    return " ".join(parts)


def value_text(value: object, language: str) -> str:
    """A value of a difference in words: yes/no, codes in words, ranges, decimal commas."""
    if value is None:
        return "–"
    values = words_in(VALUES, language)
    if isinstance(value, bool):
        return str(values[value])
    if isinstance(value, float):
        return number_text(value, language)
    if isinstance(value, str):
        return str(values.get(value, value))
    if isinstance(value, list):
        if len(value) == 2 and all(isinstance(v, int) for v in value):
            return f"{value[0]}–{value[1]}"
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):  # a rule or a quoted source
        return "; ".join(f"{k}: {value_text(v, language)}" for k, v in value.items())
    return str(value)


def number_text(value: float, language: str) -> str:
    """A number as short as it goes, with a decimal comma in German."""
    shown = f"{value:g}"
    return shown.replace(".", ",") if language == "de" else shown


def before_after(difference: Difference, language: str) -> str:
    """`weight: 1 → 2`; coverage as percentages."""
    name = field_name(difference.field, language, [])
    old, new = value_text(difference.old, language), value_text(difference.new, language)
    if difference.field == "min_coverage":  # a share of the level's weight
        old, new = (_percent(v, language) for v in (difference.old, difference.new))
    return f"{name}: {old} → {new}"


def _percent(share: float, language: str) -> str:
    number = number_text(round(share * 100, 1), language)
    return f"{number} %" if language == "de" else f"{number}%"


def joined_with_and(names: list[str], word: str) -> str:
    """ "a, b and c"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {word} {names[-1]}"


def level_names(old: Questionnaire, new: Questionnaire, language: str) -> dict[str, str]:
    """Each level's short name ("Strategie" of "Strategie – CX als strategische Maxime")."""
    return {
        d.id: localized(d.name, language).split(" – ")[0]
        for d in [*old.dimensions, *new.dimensions]
    }


def counts_text(language: str, **numbers: int) -> str:
    """The numbers that are not 0, each in its words: "3 added, 2 removed"."""
    phrases = words_in(PHRASES, language)
    return ", ".join(phrases[key].format(n) for key, n in numbers.items() if n)


def advice_text(advice: list[Advice], language: str) -> str:
    """Recommendations added, removed, changed, and those only following renamed stages."""
    phrases = words_in(PHRASES, language)
    found = counts_text(
        language,
        n_added=sum(len(a.added) for a in advice),
        n_removed=sum(len(a.removed) for a in advice),
        n_changed=sum(len(a.changed) for a in advice),
    )
    following = sum(len(a.following_stages) for a in advice)
    if following:
        found += ("; " if found else "") + phrases["following"].format(following)
    return found
