"""Breakdowns of one organisation never describe fewer than three respondents: not as a
group of their own, nor as the total minus the groups that are shown."""

from __future__ import annotations

from assess.domain.answers import Response
from assess.domain.grouping import MIN_GROUP_RESPONDENTS
from assess.domain.scoring import score_assessment
from tests.factories import dimension, make_questionnaire, scale_item

Q = make_questionnaire(dimension("d", scale_item("i")))


def responses(*departments: str | None) -> list[Response]:
    return [
        Response(f"r{n}", {"i": float(1 + n % 5)}, {"department": d} if d else {})
        for n, d in enumerate(departments)
    ]


def shown(*departments: str | None) -> set[str]:
    result = score_assessment(Q, responses(*departments), min_group=MIN_GROUP_RESPONDENTS)
    return set(result.groups["department"])


def test_groups_of_three_or_more_are_all_shown() -> None:
    assert shown(*["sales"] * 3, *["service"] * 4) == {"sales", "service"}


def test_a_group_of_two_is_hidden_and_so_is_the_one_that_would_reveal_it() -> None:
    # total - sales would be the two in service
    assert shown(*["sales"] * 3, *["service"] * 2) == set()


def test_respondents_outside_every_group_count_as_hidden() -> None:
    # one respondent without a department: total - sales - service describes them, so
    # only one of the two is shown (of equal size, the first by name)
    assert shown(*["sales"] * 3, *["service"] * 3, None) == {"sales"}
    assert shown(*["sales"] * 3, *["service"] * 3, None, None, None) == {"sales", "service"}


def test_the_smallest_shown_group_is_withheld_until_the_rest_is_three_or_more() -> None:
    assert shown(*["it"] * 2, *["sales"] * 3, *["service"] * 5) == {"service"}


def test_without_a_minimum_every_group_is_shown() -> None:
    result = score_assessment(Q, responses("sales", "service", "service"))
    assert set(result.groups["department"]) == {"sales", "service"}


def test_score_output_names_hidden_groups_and_leaves_their_figures_out() -> None:
    rs = responses("sales", "sales", "sales", "service", "service", "service", "it")
    result = score_assessment(Q, rs, min_group=MIN_GROUP_RESPONDENTS).to_dict()
    # it (1) is hidden; then total - sales - service = 1 would describe it: of the two
    # groups of three the first by name is shown, and service goes
    assert set(result["groups"]["department"]) == {"sales"}
    assert result["hidden_groups"] == {"department": ["service", "it"]}
    assert result["respondents"] == 7
    assert result["divergence"]["department"]["d"]["spread"] == 0.0


def test_divergence_is_computed_over_shown_groups_only() -> None:
    rs = [
        *[Response(f"s{n}", {"i": 5.0}, {"department": "sales"}) for n in range(3)],
        *[Response(f"v{n}", {"i": 1.0}, {"department": "service"}) for n in range(3)],
        *[Response(f"t{n}", {"i": 3.0}, {"department": "it"}) for n in range(3)],
    ]
    full = score_assessment(Q, rs, min_group=MIN_GROUP_RESPONDENTS).to_dict()
    assert full["divergence"]["department"]["d"]["spread"] == 100.0
    assert "hidden_groups" not in full


def test_offline_scoring_keeps_every_group() -> None:
    rs = responses("sales", "service")
    result = score_assessment(Q, rs).to_dict()
    assert set(result["groups"]["department"]) == {"sales", "service"}
    assert "hidden_groups" not in result
