"""How far a pool's organisations differ, for researchers: per level ICC(1) and ICC(2)
with their 95 % intervals, from sums the database adds up, and Cronbach's alpha over all
the pool's respondents with its listwise n; none where the pool has fewer than k
organisations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session

from assess.domain.icc import Agreement, AnovaSums, Interval, agreement
from assess.domain.itemstats import standardised
from assess.domain.pooling import pool_key
from assess.domain.questionnaire import Questionnaire
from assess.domain.respondent_levels import pooled_alpha
from assess.persistence.repository.demo import real_organisations
from assess.persistence.repository.respondent_levels import pool_moments, pool_sums


def level_agreement(
    session: Session, questionnaire: Questionnaire, k: int, levels: Sequence[str]
) -> dict[str, dict[str, Any]]:
    """Per wanted level of a questionnaire version's pool: ICC(1), ICC(2), their intervals,
    the organisations and respondents behind them, and alpha with its listwise n."""
    # The same pool as the peer figures (see results/peers.py: pool_groups).
    key = pool_key(questionnaire, demo=real_organisations(session) == 0)
    sums = pool_sums(session, pool_key=key)
    moments = pool_moments(session, pool_key=key)
    found = {}
    for dimension in questionnaire.dimensions:
        if dimension.id not in levels:
            continue
        level_sums = sums.get(dimension.id, AnovaSums(0, 0, 0.0, 0.0, 0.0))
        if level_sums.organisations < k:
            found[dimension.id] = _withheld(standardised(dimension))
            continue
        alpha = pooled_alpha(dimension, moments.get(dimension.id, []))
        found[dimension.id] = {
            **_iccs(agreement(level_sums)),
            "alpha": alpha.alpha,
            "alpha_standardised": alpha.standardised,
            "alpha_n": alpha.n,
        }
    return found


def _iccs(figures: Agreement) -> dict[str, Any]:
    return {
        "organisations": figures.organisations,
        "respondents": figures.respondents,
        "icc1": figures.icc1,
        "icc1_ci95": _pair(figures.icc1_ci95),
        "icc2": figures.icc2,
        "icc2_ci95": _pair(figures.icc2_ci95),
    }


def _withheld(mixed: bool) -> dict[str, Any]:
    """Fewer than k organisations: no figure, not even how many are behind it."""
    nothing = Agreement(0, 0, None, None, None, None)
    return {
        **_iccs(nothing),
        "organisations": None,
        "respondents": None,
        "alpha": None,
        "alpha_standardised": mixed,
        "alpha_n": None,
    }


def _pair(interval: Interval | None) -> list[float] | None:
    return None if interval is None else [interval.low, interval.high]
