"""Peer comparisons for report tests: the demo organisation among peers drawn at random."""

from __future__ import annotations

import numpy as np

from assess.domain.benchmarking import Attributes, Cell, score_ids, verdicts
from assess.domain.comparison import Comparison, GroupFigures, compare, own_scores
from assess.domain.peer_figures import distribution
from assess.domain.questionnaire import Questionnaire

MINE = Attributes("retail", "250-999", "de")


def comparison_with(questionnaire: Questionnaire, responses: list, cells: list[Cell]) -> Comparison:
    """Peers drawn at random for every group the cells form, compared with the demo."""
    ids = score_ids(d.id for d in questionnaire.dimensions)
    rng = np.random.default_rng(1)
    stored = [
        GroupFigures(
            group,
            verdict,
            {s: distribution(rng.uniform(20, 80, verdict.organisations)) for s in ids},
        )
        for group, verdict in verdicts(cells).items()
    ]
    return compare(ids, own_scores(questionnaire, responses), stored, MINE, 5)
