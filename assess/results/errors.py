"""The results service's errors: each says what to change, and the web maps each kind
to its status (assess/web/errors.py)."""

from __future__ import annotations


class ResultsError(Exception):
    """A request for results that cannot be answered as asked."""


class NotShown(ResultsError):
    """Nothing may be shown yet: too few responses, or none released yet."""


class NotReportable(NotShown):
    """No report can be made of these figures yet: none submitted, or too few released."""


class Refused(ResultsError):
    """A filter or grouping that is malformed, or would describe too few respondents."""


class NotForStudies(ResultsError):
    """What was asked exists only in invited assessments, not in an anonymous study."""


class NoFigures(ResultsError):
    """No figures of what was asked may be shown; the same answer whether its group is
    small, too close to another or empty, so that it tells nothing about who is in it."""
