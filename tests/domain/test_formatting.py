"""Numbers, percentages, dates and moments as German and English readers write them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from assess.domain.formatting import date_text, moment_text, number_text, percent_text


@pytest.mark.parametrize(
    ("language", "decimal", "thousands", "share", "day", "moment"),
    [
        ("de", "1,5", "1.234", "25 %", "7. Dezember 2026", "7. Dezember 2026, 14:05"),
        ("en", "1.5", "1,234", "25%", "7 December 2026", "7 December 2026, 14:05"),
    ],
)
def test_each_language_writes_numbers_and_days_its_own_way(
    language: str, decimal: str, thousands: str, share: str, day: str, moment: str
) -> None:
    assert number_text(1.5, language) == decimal
    assert number_text(1234, language) == thousands
    assert percent_text(0.25, language) == share
    assert percent_text(0.0, language) == share.replace("25", "0")  # "0 %" beside "25 %"
    assert date_text(date(2026, 12, 7), language) == day
    assert moment_text(datetime(2026, 12, 7, 14, 5, 9, tzinfo=UTC), language) == moment


def test_a_moment_is_written_in_utc_with_seconds_where_asked() -> None:
    berlin = datetime(2026, 12, 7, 15, 5, 9, tzinfo=timezone(timedelta(hours=1)))
    assert moment_text(berlin, "de", seconds=True) == "7. Dezember 2026, 14:05:09"
    assert "Dec 7" not in moment_text(berlin, "en")  # British, not US
