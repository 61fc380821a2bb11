"""How an item is answered and weighed, in a few words: shown beside each item in the
questionnaire outline of the `assess` command and of the console."""

from __future__ import annotations

from assess.domain.formatting import number_text
from assess.domain.questionnaire import ChoiceItem, Questionnaire, ScaleItem

WORDS = {
    "en": {
        "scale": "scale",
        "reverse": "reversed",
        "weight": "weight",
        "na": "'Not applicable' offered",
        "dk": "'Can't judge' offered",
        "lead": "asked of the lead respondent",
    },
    "de": {
        "scale": "Skala",
        "reverse": "umgekehrt gewertet",
        "weight": "Gewicht",
        "na": "„Nicht anwendbar“ angeboten",
        "dk": "„Kann ich nicht beurteilen“ angeboten",
        "lead": "nur an die Hauptansprechperson",
    },
}


def item_details(questionnaire: Questionnaire, item: object, language: str) -> str:
    """How an item is answered and weighed: "scale 1–5; reversed; weight 2; 'Not
    applicable' offered"."""
    words = WORDS.get(language, WORDS["en"])
    parts = [getattr(item, "type", "")]
    if isinstance(item, ScaleItem):
        low, high = questionnaire.scale_of(item)
        parts[0] = f"{words['scale']} {low}–{high}"
        if item.reverse:
            parts.append(words["reverse"])
    if isinstance(item, ChoiceItem):
        parts.append(", ".join(f"{o.value}={o.score:g}" for o in item.options))
    parts.append(f"{words['weight']} {number_text(getattr(item, 'weight', 1), language)}")
    if getattr(item, "allow_na", False):
        parts.append(words["na"])
    if getattr(item, "allow_dont_know", False):
        parts.append(words["dk"])
    if getattr(item, "informant", "all") == "lead":
        parts.append(words["lead"])
    return "; ".join(parts)
