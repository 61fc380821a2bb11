"""What the figures of rules 13 and 14 tell a reader: one verdict per level on how far
its respondents agree, whether its 95 % interval is too wide to pin the score down, and
whether a divergence between groups is clear or only possible. This module chooses; the
words are the catalogues' (report, pages) and the terminal's, the same in each."""

from __future__ import annotations

import math
from typing import Literal

from assess.domain.agreement import STRONG_AGREEMENT
from assess.domain.questionnaire import Questionnaire
from assess.domain.results import Divergence

# LeBreton & Senter (2008, "Answers to 20 questions about interrater reliability and
# interrater agreement", Organizational Research Methods 11, 815–852) read rwg in bands:
# up to .30 lack of agreement, .31–.50 weak, .51–.70 moderate, .71–.90 strong, .91–1
# very strong. A reader needs three: from STRONG_AGREEMENT one figure speaks for the
# organisation; from MODERATE_AGREEMENT it does with care; below, it hides differences.
MODERATE_AGREEMENT = 0.50
# An interval wider than this many points leaves the score's stage open: say so in words.
WIDE_INTERVAL = 20.0

Verdict = Literal["agree", "moderate", "differ", "unknown"]
Strength = Literal["clear", "possible"]


def verdict(rwg: float | None) -> Verdict:
    """How far a level's respondents agree, by its rwg: "agree" from 0.70, "moderate" from
    0.50, "differ" below, "unknown" without an rwg (too few answers to tell)."""
    if rwg is None:
        return "unknown"
    if rwg >= STRONG_AGREEMENT:
        return "agree"
    if rwg >= MODERATE_AGREEMENT:
        return "moderate"
    return "differ"


def readable(interval: tuple[float, float] | None) -> tuple[float, float] | None:
    """A 95 % interval within the scores' 0 to 100, as a reader may be told it; the
    interval itself (the score output's) may reach past either end with few respondents."""
    if interval is None:
        return None
    low, high = interval
    return max(0.0, min(100.0, low)), max(0.0, min(100.0, high))


def wide(interval: tuple[float, float] | None) -> bool:
    """Whether a 95 % interval spans more than WIDE_INTERVAL points of the 0 to 100 scale."""
    shown = readable(interval)
    return shown is not None and shown[1] - shown[0] > WIDE_INTERVAL


def strength(divergence: Divergence | None) -> Strength | None:
    """A divergence as readers are told it: "clear" where it is flagged and significant
    (more than chance explains), "possible" where it is flagged only (the groups are
    small or vary widely: the difference may be chance), None where it is not flagged."""
    if divergence is None or not divergence.flagged:
        return None
    return "clear" if divergence.significant else "possible"


def stages_within(questionnaire: Questionnaire, interval: tuple[float, float] | None) -> list[str]:
    """The ids of the stages a 95 % interval reaches into (as readers are told it), in
    order; more than one where the interval leaves the score's stage open."""
    shown = readable(interval)
    if shown is None:
        return []
    low, high = shown
    stages = questionnaire.stages
    found = []
    for n, stage in enumerate(stages):
        upper = stages[n + 1].min_score if n + 1 < len(stages) else math.inf
        if stage.min_score <= high and low < upper:
            found.append(stage.id)
    return found
