"""What a report is made from, apart from the renderers: who and what it is about, the
questionnaire and the responses. Light to import, for the processes that gather the
inputs and never render."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from assess.domain.answers import Response
from assess.domain.questionnaire import Questionnaire
from assess.reporting.branding import Branding

if TYPE_CHECKING:
    from assess.domain.comparison import Comparison
    from assess.domain.disclosure import Disclosure


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


@dataclass(frozen=True)
class Inputs:
    """Everything one report is made from."""

    questionnaire: Questionnaire
    responses: Sequence[Response]
    language: str
    meta: Meta
    branding: Branding
    # Which groups of the responses may be shown (a release's decision); None: decided
    # on the responses alone.
    verdicts: Disclosure | None = None
    # Whether the lowest and highest scores may be shown (not in a release: see
    # assess/results/service.py).
    extremes: bool = True


@dataclass(frozen=True)
class OwnInputs:
    """What a respondent's own one-page PDF is made from: their submitted response."""

    questionnaire: Questionnaire
    response: Response
    language: str
    assessment: str
    submitted: date
