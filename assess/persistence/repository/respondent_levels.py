"""Respondents' level scores and item moments kept with a closed assessment's snapshot,
and what a pool's researchers read of them: the sums of ICC per level, added up in the
database (per organisation count, sum and sum of squares, then a few sums over the pool),
and each organisation's item moments for alpha.

A pool counts what the peer figures count: the current entry of each organisation that
takes part (see `benchmarks`), so an organisation that opts out or is erased leaves ICC
and alpha with its entry."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, text
from sqlmodel import Session, col, select

from assess.domain.icc import AnovaSums
from assess.domain.respondent_levels import LevelMoments, RespondentLevels
from assess.persistence.models.benchmarks import (
    BenchmarkEntry,
    LevelItemMoments,
    RespondentLevelScore,
)

_scores = RespondentLevelScore.__table__  # type: ignore[attr-defined]
_moments = LevelItemMoments.__table__  # type: ignore[attr-defined]


def keep_respondent_levels(
    session: Session, *, assessment_id: uuid.UUID, levels: RespondentLevels | None
) -> None:
    """Replace what an assessment's snapshot keeps of its respondents (None: nothing, as
    for a snapshot that no pool reads); within the caller's transaction."""
    forget_respondent_levels(session, assessment_ids=[assessment_id])
    if levels is None:
        return
    rows = [
        {"assessment_id": assessment_id, "level": level, "respondent": i, "score": score}
        for level, scores in levels.scores.items()
        for i, score in enumerate(scores)
    ]
    if rows:
        session.execute(_scores.insert(), rows)
    moments = [
        {
            "assessment_id": assessment_id,
            "level": level,
            "n": m.n,
            "means": list(m.mean),
            "comoment": [list(row) for row in m.comoment],
        }
        for level, m in levels.moments.items()
    ]
    if moments:
        session.execute(_moments.insert(), moments)


def forget_respondent_levels(session: Session, *, assessment_ids: Any) -> int:
    """Delete what these assessments (ids, or a select of them) keep of their
    respondents; how many level scores went."""
    gone = session.execute(
        delete(RespondentLevelScore).where(
            col(RespondentLevelScore.assessment_id).in_(assessment_ids)
        )
    )
    session.execute(
        delete(LevelItemMoments).where(col(LevelItemMoments.assessment_id).in_(assessment_ids))
    )
    return int(getattr(gone, "rowcount", 0) or 0)


# Per organisation (its current entry) and level: n, the sum and the within sum of squares
# (clamped at 0 against rounding); then per level k, N, the sum of n squared, SSB around
# the pool's mean (a window over the organisations) and SSW. Both dialects run it as is.
POOL_SUMS = text(
    """
    WITH organisation AS (
        SELECT s.level AS level,
               count(*) AS n,
               sum(s.score) AS total,
               sum(s.score * s.score) AS squares
        FROM benchmark_entries e
        JOIN respondent_level_scores s ON s.assessment_id = e.assessment_id
        WHERE e.pool_key = :pool_key AND e."current"
        GROUP BY e.id, s.level
    ),
    centred AS (
        SELECT level, n, total / n AS mean,
               CASE WHEN squares - total * total / n > 0
                    THEN squares - total * total / n ELSE 0 END AS spread,
               sum(total) OVER (PARTITION BY level) / sum(n) OVER (PARTITION BY level) AS grand
        FROM organisation
    )
    SELECT level,
           count(*) AS organisations,
           sum(n) AS respondents,
           sum(n * n) AS sizes_squared,
           sum(n * (mean - grand) * (mean - grand)) AS between_squares,
           sum(spread) AS within_squares
    FROM centred
    GROUP BY level
    """
)


def pool_sums(session: Session, *, pool_key: str) -> dict[str, AnovaSums]:
    """Per level, the sums ICC needs over a pool's current entries, added up in SQL."""
    rows = session.execute(POOL_SUMS, {"pool_key": pool_key}).all()
    return {
        row.level: AnovaSums(
            int(row.organisations),
            int(row.respondents),
            float(row.sizes_squared),
            float(row.between_squares),
            float(row.within_squares),
        )
        for row in rows
    }


def pool_moments(session: Session, *, pool_key: str) -> dict[str, list[LevelMoments]]:
    """Per level, each current entry's item moments in a pool."""
    rows = session.exec(
        select(LevelItemMoments)
        .join(
            BenchmarkEntry,
            col(BenchmarkEntry.assessment_id) == col(LevelItemMoments.assessment_id),
        )
        .where(BenchmarkEntry.pool_key == pool_key, col(BenchmarkEntry.current))
    ).all()
    found: dict[str, list[LevelMoments]] = {}
    for row in rows:
        moments = LevelMoments(row.n, tuple(row.means), tuple(tuple(line) for line in row.comoment))
        found.setdefault(row.level, []).append(moments)
    return found
