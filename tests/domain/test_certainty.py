"""How sure a figure is, as a reader is told it: the verdict bands of rwg at their edges,
a wide interval, and clear against possible divergence."""

from __future__ import annotations

import pytest

from assess.domain.certainty import readable, strength, verdict, wide
from assess.domain.results import Divergence


@pytest.mark.parametrize(
    ("rwg", "expected"),
    [
        (1.0, "agree"),
        (0.70, "agree"),
        (0.6999, "moderate"),
        (0.50, "moderate"),
        (0.4999, "differ"),
        (0.0, "differ"),
        (None, "unknown"),
    ],
)
def test_verdict_bands_start_at_their_lower_edge(rwg: float | None, expected: str) -> None:
    assert verdict(rwg) == expected


def test_an_interval_is_wide_only_past_twenty_points() -> None:
    assert not wide((40.0, 60.0))
    assert wide((40.0, 60.5))
    assert not wide(None)


def test_an_interval_is_read_within_0_and_100() -> None:
    assert readable((-12.5, 30.0)) == (0.0, 30.0)
    assert readable((80.0, 112.0)) == (80.0, 100.0)
    assert readable(None) is None
    # Past 0 it reaches 30 points, of which 20 lie on the scale: not wide to a reader.
    assert not wide((-10.0, 20.0))


def test_flagged_and_significant_is_clear_flagged_only_is_possible() -> None:
    assert strength(Divergence(25.0, flagged=True, significant=True)) == "clear"
    assert strength(Divergence(25.0, flagged=True, significant=False)) == "possible"


def test_an_unflagged_divergence_gets_no_word_even_if_significant() -> None:
    assert strength(Divergence(12.0, flagged=False, significant=True)) is None
    assert strength(None) is None
