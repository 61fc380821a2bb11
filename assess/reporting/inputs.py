"""What a report is made from, apart from the renderers: who and what it is about, the
questionnaire and the scores (made by assess/results, or by assess.domain.report_scores
for a report of an answers file). Light to import, for the processes that gather the
inputs and never render."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from assess.domain.questionnaire import Questionnaire
from assess.reporting.branding import Branding

if TYPE_CHECKING:
    from assess.domain.comparison import Comparison
    from assess.domain.consensus import Consensus
    from assess.domain.own_result import OwnResult
    from assess.domain.report_scores import ReportScores


class ReportError(ValueError):
    """The report cannot be made from this input; the message says what to change."""


@dataclass(frozen=True)
class Meta:
    """Who and what the report is about."""

    organisation: str
    assessment: str
    wave: str | None = None
    day: date = field(default_factory=date.today)
    invited: int | None = None
    sha256: str | None = None
    previous: dict[str, float | None] | None = None  # dimension id -> earlier wave's score
    previous_label: str | None = None
    benchmark: Comparison | None = None  # the organisation among its peers, if any
    # Which answers it counts where the assessment had a consensus workshop: "answered"
    # or "workshop" (with the consensus answers counted); None: no workshop to speak of.
    view: str | None = None
    consensus: tuple[Consensus, ...] = ()


@dataclass(frozen=True)
class Inputs:
    """Everything one report is made from."""

    questionnaire: Questionnaire
    scores: ReportScores  # only groups that may be shown
    language: str
    meta: Meta
    branding: Branding
    # Whether the lowest and highest scores may be shown (not in a release: see
    # assess/results/service.py).
    extremes: bool = True


@dataclass(frozen=True)
class OwnInputs:
    """What a respondent's own one-page PDF is made from: the own result of their
    submitted response."""

    questionnaire: Questionnaire
    own: OwnResult
    language: str
    assessment: str
    submitted: date
