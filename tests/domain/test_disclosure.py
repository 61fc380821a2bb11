"""The k rule of anonymous studies: no shown figure describes, or lets anyone work out,
fewer than k respondents."""

from __future__ import annotations

from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from assess.domain.disclosure import disclose, few, worked_out


def answers(**groups: int) -> list[str | None]:
    """Answers of one question: `none=2` for two respondents without an answer."""
    return [None if v == "none" else v for v, n in groups.items() for _ in range(n)]


def test_group_below_k_is_hidden_and_one_of_k_is_shown() -> None:
    # back (4) and the one without an answer: 5 outside the shown groups, enough
    verdicts = disclose({"team": answers(front=5, back=4, it=6, none=1)}, 16, k=5)
    assert verdicts.reason("team", "front") is None
    assert verdicts.reason("team", "it") is None
    assert verdicts.reason("team", "back") == few(5)


def test_hidden_small_group_hides_the_next_smallest_too() -> None:
    # the whole study (9) minus front (5) would give back's 4
    verdicts = disclose({"team": answers(front=5, back=4)}, 9, k=5)
    assert verdicts.reason("team", "back") == few(5)
    assert verdicts.reason("team", "front") == worked_out(5)


def test_an_empty_group_reads_like_a_small_one() -> None:
    verdicts = disclose({"team": answers(front=5, back=5)}, 10, k=5)
    assert verdicts.reason("team", "nobody-chose-this") == few(5)


def test_a_study_below_k_shows_nothing() -> None:
    verdicts = disclose({"team": answers(front=4)}, 4, k=5)
    assert not verdicts.study_shown
    assert verdicts.reason("team", "front") == few(5)


def test_k_is_never_below_three() -> None:
    assert disclose({"team": answers(front=2)}, 2, k=1).k == 3


def test_group_nearly_the_whole_study_is_hidden() -> None:
    # all (11) minus retail (10) would describe the one respondent outside retail
    verdicts = disclose({"industry": answers(retail=10, none=1)}, 11, k=5)
    assert verdicts.reason("industry", "retail") == worked_out(5)


def test_shown_groups_leave_none_or_at_least_k_outside() -> None:
    # front 6 and back 5 shown would leave the 1 without an answer to be worked out
    verdicts = disclose({"team": answers(front=6, back=5, none=1)}, 12, k=5)
    assert verdicts.reason("team", "front") is None
    assert verdicts.reason("team", "back") == worked_out(5)


def test_two_groups_of_different_questions_that_differ_by_few_are_not_both_shown() -> None:
    # size=small is retail minus 2 respondents: showing both would describe those 2
    industry = answers(retail=10, manufacturing=10)
    size = ["small"] * 8 + ["large"] * 12
    verdicts = disclose({"industry": industry, "size": size}, 20, k=5)
    shown = [
        (q, v)
        for q, v in [("industry", "retail"), ("size", "small"), ("size", "large")]
        if verdicts.reason(q, v) is None
    ]
    assert ("industry", "retail") in shown
    assert ("size", "small") not in shown


def test_filter_and_group_by_are_refused_where_a_cell_holds_fewer_than_k() -> None:
    # retail x small 5, retail x large 5, manufacturing x small 5, manufacturing x large 1:
    # with the margins shown, 6 - 5 would describe the one large manufacturer
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


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["a", "b", "c", None]), st.sampled_from(["x", "y", None])),
        min_size=0,
        max_size=40,
    ),
    st.integers(min_value=3, max_value=6),
)
def test_no_two_shown_figures_differ_by_fewer_than_k(
    rows: list[tuple[str | None, str | None]], k: int
) -> None:
    keys = {"p": [r[0] for r in rows], "q": [r[1] for r in rows]}
    verdicts = disclose(keys, len(rows), k)
    if not verdicts.study_shown:
        return
    everyone = frozenset(range(len(rows)))
    shown = [everyone]
    for question, values in keys.items():
        groups = {
            v: frozenset(i for i, x in enumerate(values) if x == v) for v in set(values) - {None}
        }
        visible = [g for v, g in groups.items() if verdicts.reason(question, v) is None]
        assert all(len(g) >= k for g in visible)
        outside = len(everyone) - sum(len(g) for g in visible)
        assert outside == 0 or outside >= k
        shown += visible
    for one, other in combinations(shown, 2):
        apart = len(one ^ other)
        assert apart == 0 or apart >= k
    for filtered, grouped in (("p", "q"), ("q", "p")):
        if verdicts.crossing_refused(filtered, grouped) is None:
            cells = {(r[0], r[1]) for r in rows}
            sizes = [sum(1 for r in rows if (r[0], r[1]) == c) for c in cells]
            assert all(n >= k for n in sizes)
