"""A typed industry, size or country means the option whose value or label (in either
language) it is, however it is spaced, dashed or capitalised."""

from __future__ import annotations

import pytest

from assess.domain.attributes import matching_option, option_label
from assess.domain.catalogue import organisation_choices


@pytest.mark.parametrize(
    ("attribute", "typed", "value"),
    [
        ("industry", "Handel", "retail"),
        ("industry", " RETAIL ", "retail"),
        ("industry", "öffentliche  hand", "public-sector"),
        ("size", "250–999", "250-999"),
        ("size", "250 - 999", "250-999"),
        ("size", "1.000 – 4.999", "1000-4999"),
        ("size", "1,000-4,999", "1000-4999"),
        ("size", "5.000 und mehr", "5000-plus"),
        ("country", "Deutschland", "de"),
        ("country", "Germany", "de"),
        ("country", "DE", "de"),
        ("industry", "Lebensmittel", None),
        ("size", "250", None),
    ],
)
def test_a_typed_value_means_the_option_it_names(
    attribute: str, typed: str, value: str | None
) -> None:
    assert matching_option(typed, organisation_choices()[attribute]) == value


def test_an_option_is_shown_by_its_label_and_an_unknown_value_as_itself() -> None:
    choices = organisation_choices()
    assert option_label(choices, "industry", "retail", "de") == "Handel"
    assert option_label(choices, "size", "1000-4999", "en") == "1,000–4,999"
    assert option_label(choices, "industry", "food", "de") == "food"
