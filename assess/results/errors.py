"""The results service's errors: each says what to change, and the web maps each kind
to its status (assess/web/errors.py)."""

from __future__ import annotations


class ResultsError(Exception):
    """A request for results that cannot be answered as asked."""


class NotShown(ResultsError):
    """Nothing may be shown yet: too few responses, or none released yet."""


class Refused(ResultsError):
    """A filter or grouping that is malformed, or would describe too few respondents."""
