"""A questionnaire whose answers a report must put in words (a reverse-keyed statement,
a lead's choice with a short label, a yes/no question, not applicable and can't judge),
its answers, and how to find a raw answer value in what a reader sees."""

from __future__ import annotations

import html
import re
from typing import Any

from tests.factories import csv_bytes, dimension, questionnaire_data, scale_item

# Option values no language uses as a word: wherever one shows, a raw value leaked.
OPTION_VALUES = ("cxl-lead", "cxl-none")
RAW_ANSWERS = ("yes", "no", "na", "dk")


def worded_questionnaire_data() -> dict[str, Any]:
    """One level with statements (one reverse-keyed), a lead's choice with a label and a
    yes/no question; a recommendation with a first step that every answer chooses."""
    owner = {
        "id": "q-owner",
        "type": "choice",
        "informant": "lead",
        "allow_na": False,
        "label": {"de": "CX-Verantwortung", "en": "CX responsibility"},
        "text": {"de": "Wo liegt die Verantwortung?", "en": "Where does it lie?"},
        "options": [
            {
                "value": OPTION_VALUES[0],
                "score": 100,
                "label": {"de": "Bei einer CX-Leitung", "en": "With a CX lead"},
            },
            {"value": OPTION_VALUES[1], "score": 0, "label": {"de": "Nirgends", "en": "Nowhere"}},
        ],
    }
    role = {
        "id": "q-role",
        "type": "boolean",
        "allow_dont_know": True,
        "text": {"de": "Gibt es eine CX-Rolle?", "en": "Is there a CX role?"},
    }
    statements = [
        scale_item(
            "s-talk", text={"de": "Wir sprechen mit Kunden.", "en": "We talk to customers."}
        ),
        scale_item(
            "s-myth",
            reverse=True,
            text={
                "de": "Kundenorientierung ist vor allem Software.",
                "en": "Customer orientation is mainly software.",
            },
        ),
        scale_item(
            "s-data",
            allow_dont_know=True,
            text={"de": "Wir kennen unsere Kunden.", "en": "We know our customers."},
        ),
    ]
    advice = {
        "id": "d1-rec-start",
        "when": {"below": 100},
        "horizon": "now",
        "title": {"de": "Anfangen", "en": "Start"},
        "text": {"de": "Fangen Sie an.", "en": "Make a start."},
        "first_step": {
            "de": "Laden Sie am Montag drei Kunden ein.",
            "en": "Invite three customers on Monday.",
        },
    }
    level = dimension(
        "d1",
        *statements,
        owner,
        role,
        name={"de": "Kultur", "en": "Culture"},
        recommendations=[advice],
    )
    return questionnaire_data(level, id="worded")


def worded_answers() -> bytes:
    """Five respondents: the lead answers the choice; yes, no, can't judge and not
    applicable each given to the yes/no question and the statements."""
    header = ["respondent", "lead", "department", "s-talk", "s-myth", "s-data", "q-owner", "q-role"]
    return csv_bytes(
        header,
        ["r1", "yes", "sales", 4, 1, "na", OPTION_VALUES[0], "yes"],
        ["r2", "", "sales", 5, 2, "dk", "", "no"],
        ["r3", "", "service", 4, 1, 3, "", "yes"],
        ["r4", "", "service", 3, 2, 2, "", "dk"],
        ["r5", "", "it", 4, 1, 4, "", "na"],
    )


def visible(page: str) -> str:
    """The text a reader sees in an HTML page or report, charts' texts included: no
    styles, no tags, entities read, white space as single spaces."""
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.DOTALL)
    page = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", html.unescape(page))


def raw_answers_in(text: str, language: str) -> list[str]:
    """Raw answer values a reader would see: option values anywhere; in German also yes,
    no, na and dk anywhere; in English, whose words include "no", na and dk anywhere and
    yes and no where they stand for an answer counted ("yes: 6", "yes 6 · no 6")."""
    found = re.findall(rf"(?<![\w-])({'|'.join(OPTION_VALUES)})(?![\w-])", text)
    if language == "de":
        words = "|".join(RAW_ANSWERS)
        return found + re.findall(rf"(?<![\w-])({words})(?![\w-])", text, flags=re.IGNORECASE)
    found += re.findall(r"(?<![\w-])(na|dk)(?![\w-])", text)
    counted = r"(?<![\w-])(?:yes|no)(?=: \d| \d+ ·)|(?<=· )(?:yes|no)(?= \d)"
    return found + re.findall(counted, text)
