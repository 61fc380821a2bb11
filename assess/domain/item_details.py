"""How an item is answered and weighed, in a few words: shown beside each item in the
questionnaire outline of the `assess` command and of the console."""

from __future__ import annotations

from assess.domain.questionnaire import ChoiceItem, Questionnaire, ScaleItem

WORDS = {
    "en": {
        "scale": "scale",
        "reverse": "reversed",
        "weight": "weight",
        "na": "'Not applicable' offered",
    },
    "de": {
        "scale": "Skala",
        "reverse": "umgekehrt gewertet",
        "weight": "Gewicht",
        "na": "„Nicht anwendbar“ angeboten",
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
    parts.append(f"{words['weight']} {getattr(item, 'weight', 1):g}")
    if getattr(item, "allow_na", False):
        parts.append(words["na"])
    return "; ".join(parts)
