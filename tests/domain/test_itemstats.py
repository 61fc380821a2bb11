"""Item statistics: Cronbach's alpha by hand, and every figure against numpy."""

from __future__ import annotations

import numpy as np
import pytest

from assess.domain.answers import Response
from assess.domain.itemstats import ItemMoments, item_statistics, item_statistics_of_scores
from tests.factories import boolean_item, choice_item, dimension, make_questionnaire, scale_item


def three_items() -> object:
    return make_questionnaire(dimension("d", scale_item("a"), scale_item("b"), scale_item("c")))


def test_cronbachs_alpha_matches_a_hand_computed_case() -> None:
    # Item scores of four respondents (rows) on three items (columns):
    #   a: 0, 25, 50, 100   mean 43.75  sample variance 1822.916…  (sum of squares 5468.75 / 3)
    #   b: 25, 25, 75, 75   mean 50     sample variance  833.333…  (2500 / 3)
    #   c: 0, 50, 50, 100   mean 50     sample variance 1666.666…  (5000 / 3)
    #   sums: 25, 100, 175, 275  mean 143.75  deviations -118.75, -43.75, 31.25, 131.25,
    #         squared 14101.5625 + 1914.0625 + 976.5625 + 17226.5625 = 34218.75 (/ 3)
    #   alpha = 3/2 * (1 - (5468.75 + 2500 + 5000) / 34218.75) = 1.5 * 21250 / 34218.75
    #         = 0.931506849…
    scores = np.array([[0, 25, 0], [25, 25, 50], [50, 75, 50], [100, 75, 100]], dtype=float)
    figures = item_statistics_of_scores(three_items(), scores)  # type: ignore[arg-type]
    (d,) = figures.dimensions
    assert d.n == 4
    assert d.alpha == pytest.approx(0.9315068493150685, abs=1e-12)
    # Without c: a and b alone, sums 25, 50, 125, 175, mean 93.75, squared deviations
    # 4726.5625 + 1914.0625 + 976.5625 + 6601.5625 = 14218.75;
    # alpha = 2 * (1 - (5468.75 + 2500) / 14218.75) = 2 * 6250 / 14218.75 = 0.879120879…
    assert d.items[2].alpha_if_deleted == pytest.approx(0.8791208791208791, abs=1e-12)


def test_item_figures_equal_numpy_and_do_not_depend_on_chunks() -> None:
    rng = np.random.default_rng(4)
    scores = rng.integers(0, 5, (300, 3)).astype(float) * 25
    scores[:, 1] = np.clip(scores[:, 0] + rng.normal(0, 20, 300), 0, 100)
    scores[rng.random(scores.shape) < 0.1] = np.nan
    q = three_items()
    whole = item_statistics_of_scores(q, scores)  # type: ignore[arg-type]
    moments = ItemMoments(q)  # type: ignore[arg-type]
    for start in range(0, 300, 37):
        moments.add(scores[start : start + 37])
    chunked = moments.statistics()
    complete = scores[~np.isnan(scores).any(axis=1)]
    (d,) = whole.dimensions
    assert d.n == len(complete)
    k = 3
    alpha = (
        k / (k - 1) * (1 - complete.var(axis=0, ddof=1).sum() / complete.sum(axis=1).var(ddof=1))
    )
    assert d.alpha == pytest.approx(alpha, rel=1e-12)
    for j, item in enumerate(d.items):
        column = scores[:, j][~np.isnan(scores[:, j])]
        assert item.n == len(column)
        assert item.mean == pytest.approx(column.mean(), rel=1e-12)
        assert item.sd == pytest.approx(column.std(ddof=1), rel=1e-12)
        rest = complete.sum(axis=1) - complete[:, j]
        assert item.item_total_r == pytest.approx(np.corrcoef(complete[:, j], rest)[0, 1], rel=1e-9)
        other = np.delete(complete, j, axis=1)
        without = 2 * (1 - other.var(axis=0, ddof=1).sum() / other.sum(axis=1).var(ddof=1))
        assert item.alpha_if_deleted == pytest.approx(without, rel=1e-9)
        again = chunked.dimensions[0].items[j]
        assert again.item_total_r == pytest.approx(item.item_total_r, rel=1e-9)
        assert again.sd == pytest.approx(item.sd, rel=1e-12)
    assert chunked.dimensions[0].alpha == pytest.approx(d.alpha, rel=1e-12)


def test_undefined_figures_are_none() -> None:
    scores = np.array([[50, 50, 50], [50, 50, 50], [np.nan, 0, 0]], dtype=float)
    (d,) = item_statistics_of_scores(three_items(), scores).dimensions  # type: ignore[arg-type]
    assert d.n == 2
    assert d.alpha is None
    assert d.items[0].item_total_r is None
    assert d.items[1].n == 3
    assert d.items[1].sd == pytest.approx(np.std([50, 50, 0], ddof=1))


def mixed_formats(**lead: object) -> object:
    """Two scale items and a yes/no item in one dimension, and perhaps a lead's fact."""
    facts = [choice_item("fact", {"no": 0, "yes": 100}, **lead)] if lead else []
    return make_questionnaire(
        dimension("d", scale_item("a"), scale_item("b"), boolean_item("c"), *facts)
    )


# Item scores of four respondents (rows) on a, b (scale) and c (yes/no):
#   a: 0, 50, 50, 100    mean 50     deviations -50, 0, 0, 50          sum of squares 5000
#   b: 25, 25, 75, 100   mean 56.25  deviations -31.25, -31.25, 18.75, 43.75      4218.75
#   c: 0, 100, 0, 100    mean 50     deviations -50, 50, -50, 50                 10000
# Cross-products: ab 1562.5 + 2187.5 = 3750; ac 2500 + 2500 = 5000;
#   bc 1562.5 - 1562.5 - 937.5 + 2187.5 = 1250.
# Correlations: r(ab) = 3750 / sqrt(5000 * 4218.75) = sqrt(2/3) = 0.816497
#               r(ac) = 5000 / sqrt(5000 * 10000)   = sqrt(1/2) = 0.707107
#               r(bc) = 1250 / sqrt(4218.75 * 10000) = sqrt(1/27) = 0.192450
# Mean correlation r = 1.716054 / 3 = 0.572018; standardised alpha
#   = 3r / (1 + 2r) = 1.716054 / 2.144036 = 0.800385.
# Raw alpha would be 3/2 * (1 - 19218.75 / (19218.75 + 2 * 10000)) = 0.764940.
# Without c: 2 r(ab) / (1 + r(ab)) = 1.632993 / 1.816497 = 0.898979.
MIXED_SCORES = [[0, 25, 0], [50, 25, 100], [50, 75, 0], [100, 100, 100]]
R_AB, R_AC, R_BC = np.sqrt(2 / 3), np.sqrt(1 / 2), np.sqrt(1 / 27)


def test_a_dimension_that_mixes_formats_gets_the_standardised_alpha_of_a_hand_computation() -> None:
    scores = np.array(MIXED_SCORES, dtype=float)
    (d,) = item_statistics_of_scores(mixed_formats(), scores).dimensions  # type: ignore[arg-type]
    mean_r = (R_AB + R_AC + R_BC) / 3
    assert d.standardised
    assert d.alpha == pytest.approx(3 * mean_r / (1 + 2 * mean_r), abs=1e-12)
    assert d.alpha == pytest.approx(0.800385, abs=1e-6)
    assert d.items[2].alpha_if_deleted == pytest.approx(2 * R_AB / (1 + R_AB), abs=1e-12)
    # c against the sum of the z-scores of a and b: cov = r(ac) + r(bc), var = 2 + 2 r(ab).
    expected_r = (R_AC + R_BC) / np.sqrt(2 + 2 * R_AB)
    assert d.items[2].item_total_r == pytest.approx(expected_r, abs=1e-12)


def test_standardised_alpha_is_alpha_of_the_z_scores() -> None:
    rng = np.random.default_rng(9)
    common = rng.normal(0, 1, 200)
    scores = np.column_stack(
        [
            np.clip(50 + 20 * common + rng.normal(0, 15, 200), 0, 100),
            np.clip(50 + 15 * common + rng.normal(0, 20, 200), 0, 100),
            np.where(common + rng.normal(0, 1, 200) > 0, 100.0, 0.0),
        ]
    )
    (d,) = item_statistics_of_scores(mixed_formats(), scores).dimensions  # type: ignore[arg-type]
    z = (scores - scores.mean(axis=0)) / scores.std(axis=0, ddof=1)
    k = 3
    alpha = k / (k - 1) * (1 - z.var(axis=0, ddof=1).sum() / z.sum(axis=1).var(ddof=1))
    assert d.alpha == pytest.approx(alpha, rel=1e-12)
    for j, item in enumerate(d.items):
        rest = np.delete(z, j, axis=1)
        assert item.item_total_r == pytest.approx(
            np.corrcoef(z[:, j], rest.sum(axis=1))[0, 1], rel=1e-9
        )
        without = 2 * (1 - rest.var(axis=0, ddof=1).sum() / rest.sum(axis=1).var(ddof=1))
        assert item.alpha_if_deleted == pytest.approx(without, rel=1e-9)


def test_a_dimension_of_one_format_keeps_the_raw_score_alpha() -> None:
    scores = np.array(MIXED_SCORES, dtype=float)
    (d,) = item_statistics_of_scores(three_items(), scores).dimensions  # type: ignore[arg-type]
    assert not d.standardised
    assert d.alpha == pytest.approx(1.5 * 20000 / 39218.75, abs=1e-12)


def test_an_item_that_does_not_vary_leaves_standardised_alpha_undefined() -> None:
    scores = np.array([[0, 25, 100], [50, 25, 100], [50, 75, 100], [100, 100, 100]], dtype=float)
    (d,) = item_statistics_of_scores(mixed_formats(), scores).dimensions  # type: ignore[arg-type]
    assert d.alpha is None
    assert d.items[0].alpha_if_deleted is None  # the rest still holds c
    assert d.items[0].item_total_r is None
    assert d.items[2].item_total_r is None
    assert d.items[2].alpha_if_deleted == pytest.approx(2 * R_AB / (1 + R_AB), abs=1e-12)


def test_a_lead_fact_enters_no_alpha_and_no_completeness() -> None:
    with_fact = mixed_formats(informant="lead")
    # The fact is answered on the lead's row only (others empty), as the statistics score it.
    facts = [100, np.nan, np.nan, np.nan]
    rows = [[*row, fact] for row, fact in zip(MIXED_SCORES, facts, strict=True)]
    scores = np.array(rows, dtype=float)
    (d,) = item_statistics_of_scores(with_fact, scores).dimensions  # type: ignore[arg-type]
    (alone,) = item_statistics_of_scores(  # type: ignore[arg-type]
        mixed_formats(), scores[:, :3]
    ).dimensions
    assert d.n == 4
    assert d.alpha == alone.alpha
    assert [i.alpha_if_deleted for i in d.items[:3]] == [i.alpha_if_deleted for i in alone.items]
    fact = d.items[3]
    assert not fact.in_alpha
    assert fact.item_total_r is None
    assert fact.alpha_if_deleted is None
    assert (fact.n, fact.mean) == (1, 100.0)


def test_a_lead_fact_is_counted_once_per_organisation_not_lent_to_every_respondent() -> None:
    questionnaire = make_questionnaire(
        dimension(
            "d",
            scale_item("a"),
            scale_item("b"),
            choice_item("fact", {"no": 0, "yes": 100}, informant="lead"),
        )
    )
    responses = [
        Response("r1", {"a": 5.0, "b": 4.0, "fact": "yes"}, lead=True),
        Response("r2", {"a": 2.0, "b": 1.0}),
        Response("r3", {"a": 3.0, "b": 3.0}),
    ]
    (d,) = item_statistics(questionnaire, responses).dimensions  # type: ignore[arg-type]
    fact = d.items[2]
    assert (fact.n, fact.mean, fact.in_alpha) == (1, 100.0, False)
    assert d.n == 3
    assert not d.standardised  # the choice is the lead's, so alpha counts scale items only
