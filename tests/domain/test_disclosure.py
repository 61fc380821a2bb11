"""The disclosure rule: no figure shown, nor any linear combination of the figures shown
now and in earlier releases, describes fewer than k respondents."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assess.domain.disclosure import decide, disclose, few, shown_sets, worked_out
from assess.domain.isolation import isolates
from tests.differencing import Attacker


def answers(**groups: int) -> list[str | None]:
    """Answers of one question: `none=2` for two respondents without an answer."""
    return [None if v == "none" else v for v, n in groups.items() for _ in range(n)]


def sets(*rows: str) -> np.ndarray:
    """Sets as rows of 0 and 1, one character a respondent."""
    return np.array([[c == "1" for c in row] for row in rows], dtype=bool)


def test_a_set_below_k_isolates_and_two_sets_apart_by_fewer_than_k_isolate() -> None:
    assert isolates(sets("11000"), 3)
    assert isolates(sets("11110", "11100"), 3)
    assert not isolates(sets("11100", "11111"), 2)
    assert not isolates(sets("111000", "111111"), 3)


def test_three_sets_isolate_by_a_combination_no_pair_shows() -> None:
    # all 20, large 12 and retail 10 overlap in 2: all - large - retail + 2·(both)...
    # large + retail - all = the 2 large retailers, though every pair differs by 8 or more
    everyone = "1" * 20
    retail = "1" * 10 + "0" * 10
    large = "0" * 8 + "1" * 12
    assert isolates(sets(everyone, retail, large), 5)
    assert not isolates(sets(everyone, retail), 5)


def test_an_increment_split_by_a_group_is_safe_while_the_group_is_new() -> None:
    # release 1: 6 people; release 2 adds 3 (2 in sales): W1, W2, sales2 only
    w1 = "111111000"
    w2 = "111111111"
    sales2 = "111000110"
    assert not isolates(sets(w1, w2, sales2), 3)
    sales1 = "111000000"  # but with sales as it was in release 1, sales2 - sales1 = 2
    assert isolates(sets(w1, w2, sales1, sales2), 3)


def test_group_below_k_is_hidden_and_one_of_k_is_shown() -> None:
    verdicts = disclose({"team": answers(front=5, back=4, it=6, none=1)}, 16, k=5)
    assert verdicts.reason("team", "front") is None
    assert verdicts.reason("team", "it") is None
    assert verdicts.reason("team", "back") == few(5)


def test_hidden_small_group_hides_the_next_smallest_too() -> None:
    # the whole (9) minus front (5) would give back's 4
    verdicts = disclose({"team": answers(front=5, back=4)}, 9, k=5)
    assert verdicts.reason("team", "back") == few(5)
    assert verdicts.reason("team", "front") == worked_out(5)


def test_an_empty_group_reads_like_a_small_one() -> None:
    verdicts = disclose({"team": answers(front=5, back=5)}, 10, k=5)
    assert verdicts.reason("team", "nobody-chose-this") == few(5)


def test_below_k_nothing_is_shown() -> None:
    verdicts = disclose({"team": answers(front=4)}, 4, k=5)
    assert not verdicts.study_shown
    assert verdicts.reason("team", "front") == few(5)


def test_k_is_never_below_three() -> None:
    assert disclose({"team": answers(front=2)}, 2, k=1).k == 3


def test_group_nearly_the_whole_is_hidden() -> None:
    verdicts = disclose({"industry": answers(retail=10, none=1)}, 11, k=5)
    assert verdicts.reason("industry", "retail") == worked_out(5)


def test_shown_groups_leave_none_or_at_least_k_outside() -> None:
    verdicts = disclose({"team": answers(front=6, back=5, none=1)}, 12, k=5)
    assert verdicts.reason("team", "front") is None
    assert verdicts.reason("team", "back") == worked_out(5)


def test_groups_of_two_questions_are_never_shown_together_where_they_isolate() -> None:
    industry = answers(retail=10, manufacturing=10)
    size = ["small"] * 8 + ["large"] * 12
    keys = {"industry": industry, "size": size}
    verdicts = disclose(keys, 20, k=5)
    assert verdicts.reason("size", "large") is None  # broadest first
    assert verdicts.reason("industry", "retail") == worked_out(5)
    assert not isolates(shown_sets(verdicts, keys), 5)


def test_filter_and_group_by_are_refused_where_a_cell_holds_fewer_than_k() -> None:
    industry = answers(retail=10, manufacturing=6)
    size = ["small"] * 5 + ["large"] * 5 + ["small"] * 5 + ["large"]
    verdicts = disclose({"industry": industry, "size": size}, 16, k=5)
    assert verdicts.crossing_refused("industry", "size") is not None
    assert verdicts.crossing_refused("size", "industry") is not None


def test_filter_and_group_by_are_combined_where_every_cell_holds_none_or_k() -> None:
    industry = answers(retail=10, manufacturing=5)
    size = ["small"] * 5 + ["large"] * 5 + ["small"] * 5
    verdicts = disclose({"industry": industry, "size": size}, 15, k=5)
    assert verdicts.crossing_refused("industry", "size") is None
    within = ("industry", "manufacturing")
    assert verdicts.reason_within("size", "small", within) is None
    assert verdicts.reason_within("size", "large", within) == few(5)  # empty cell


def test_a_later_release_hides_a_group_that_grew_by_fewer_than_k() -> None:
    first = {"team": answers(sales=3, service=3)}
    one = decide(first, 6, 3)
    earlier = shown_sets(one, first)
    second = {"team": [*first["team"], "sales", "sales", "service"]}
    padded = earlier  # the same 6 respondents first, the 3 new after them
    padded = np.hstack([earlier, np.zeros((earlier.shape[0], 3), dtype=bool)])
    two = decide(second, 9, 3, earlier=padded)
    assert two.whole
    assert two.reason("team", "sales") is not None  # it grew by 2
    assert two.reason("team", "service") is not None  # by 1
    assert not isolates(np.vstack([padded, shown_sets(two, second)]), 3)


ROWS = st.lists(
    st.tuples(
        st.sampled_from(["a", "b", "c", None]),
        st.sampled_from(["x", "y", None]),
        st.sampled_from(["u", "v"]),
    ),
    min_size=0,
    max_size=14,
)


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(st.lists(ROWS, min_size=1, max_size=3), st.integers(min_value=3, max_value=4))
def test_no_combination_of_releases_isolates_fewer_than_k(
    waves: list[list[tuple[str | None, ...]]], k: int
) -> None:
    """Releases over growing respondents, each decided with the earlier ones: a brute
    force attacker over everything shown never isolates fewer than k."""
    rows: list[tuple[str | None, ...]] = []
    earlier = np.zeros((0, 0), dtype=bool)
    attacker = Attacker()
    for wave in waves:
        rows = rows + wave
        keys = {q: [r[i] for r in rows] for i, q in enumerate(("p", "q", "r"))}
        padded = np.hstack(
            [earlier, np.zeros((earlier.shape[0], len(rows) - earlier.shape[1]), dtype=bool)]
        )
        verdicts = decide(keys, len(rows), k, earlier=padded)
        shown = shown_sets(verdicts, keys)
        for row in shown:
            attacker.saw(str(i) for i in np.flatnonzero(row))
        earlier = np.vstack([padded, shown]) if len(shown) else padded
    assert attacker.isolated(k) is None
