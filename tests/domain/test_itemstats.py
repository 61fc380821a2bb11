"""Item statistics: Cronbach's alpha by hand, and every figure against numpy."""

from __future__ import annotations

import numpy as np
import pytest

from assess.domain.itemstats import ItemMoments, item_statistics_of_scores
from tests.factories import dimension, make_questionnaire, scale_item


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
