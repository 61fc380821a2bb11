"""How a research export names its variables and codes its missing answers, the same
in CSV, XLSX and SPSS .sav files.

Names follow SPSS's rules, which are the strictest of the three: letters, digits and _,
a letter first, at most 64 bytes, no reserved word, no _ at the end, unique regardless
of case. Every item has a status variable (`<item>_status`) that says why its cell is
empty (and is empty itself where the item has an answer, which keeps large files small);
in a .sav file the same statuses are user-missing codes of the item itself.
"""

from __future__ import annotations

import re

from assess.domain.answer_words import ANSWER_WORDS
from assess.domain.questionnaire import DK_VALUE, NA_VALUE, Questionnaire, ScaleItem

MAX_NAME = 64
STATUS_SUFFIX = "_status"
_RESERVED = {"ALL", "AND", "BY", "EQ", "GE", "GT", "LE", "LT", "NE", "NOT", "OR", "TO", "WITH"}

# Why an item has no answer, in the order of their SPSS codes (-1, -2, -3 on scales
# that start at 0 or above). "Can't judge" keeps its code even where a questionnaire
# does not offer it, so that the codes of every export mean the same. "Withheld" (-4)
# exists only where a questionnaire asks facts of its lead (see `export_rows`).
MISSING = ("na", "dk", "skipped")
WITHHELD = "withheld"
STATUS_LABELS: dict[str, dict[str, str]] = {
    "na": ANSWER_WORDS[NA_VALUE],
    "dk": ANSWER_WORDS[DK_VALUE],
    "skipped": {"de": "ausgelassen", "en": "skipped"},
    WITHHELD: {
        "de": "in diesem Export zurückgehalten (Angabe über die Organisation)",
        "en": "withheld in this export (a fact about the organisation)",
    },
}


def variable_name(text: str, taken: set[str], *, room: int = len(STATUS_SUFFIX)) -> str:
    """A valid, unused variable name for `text` (an id), added to `taken` (upper case);
    `room` bytes are left free for a suffix such as `_status`."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", text).strip("_") or "v"
    if not name[0].isalpha():
        name = "v" + name
    name = name[: MAX_NAME - room].rstrip("_")
    if name.upper() in _RESERVED:
        name = "v_" + name
    base, n = name, 1
    while name.upper() in taken:
        n += 1
        name = f"{base[: MAX_NAME - room - 1 - len(str(n))]}_{n}"
    taken.add(name.upper())
    return name


def missing_codes(questionnaire: Questionnaire) -> dict[str, int]:
    """The SPSS code of each missing status: -1, -2, -3 (-4: withheld, where the
    questionnaire has lead items), or below every scale's lowest answer where a scale
    reaches below 0."""
    lows = [
        questionnaire.scale_of(i)[0] for _, i in questionnaire.items() if isinstance(i, ScaleItem)
    ]
    first = min([-1] + [low - 1 for low in lows])
    statuses = MISSING + ((WITHHELD,) if has_lead_items(questionnaire) else ())
    return {status: first - n for n, status in enumerate(statuses)}


def has_lead_items(questionnaire: Questionnaire) -> bool:
    """Whether the questionnaire asks any item of its lead only (`informant: lead`)."""
    return bool(questionnaire.lead_item_ids())
