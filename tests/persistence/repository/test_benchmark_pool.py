"""The pool follows closes, opt-ins and opt-outs, and its stored figures always equal
figures computed afresh from the organisations that count."""

from __future__ import annotations

import uuid

import numpy as np
import pytest
from sqlmodel import Session, select

from assess.domain.benchmarking import OVERALL, Attributes, Group, GroupKind
from assess.domain.comparison import Status
from assess.persistence.models.assessments import Assessment, AssessmentStatus
from assess.persistence.models.benchmarks import BenchmarkEntry
from assess.persistence.models.common import utcnow
from assess.persistence.repository.assessments import create_assessment, save_snapshot, set_status
from assess.persistence.repository.benchmarks import pool_of, refresh_pool, set_opt_in
from assess.persistence.repository.questionnaires import get_questionnaire_version
from tests.persistence.repository.pools import LEVELS, Pool, result

SCORE_IDS = [OVERALL, *LEVELS]
ALL = Group(GroupKind.all)


def counted(session: Session) -> list[float]:
    """Overall scores of the entries that count, recomputed from the table itself."""
    rows = session.exec(select(BenchmarkEntry).where(BenchmarkEntry.current == True)).all()  # noqa: E712
    return sorted(r.scores[0] for r in rows)


def assert_figures_match_the_pool(pool: Pool) -> None:
    values = np.array(counted(pool.session))
    comparison = pool.figures(Attributes("retail", "s", "de"))
    figures = comparison.peers[OVERALL][ALL]
    assert figures.n == len(values)
    assert figures.median == pytest.approx(np.quantile(values, 0.5))
    assert figures.q1 == pytest.approx(np.quantile(values, 0.25))


def test_closing_enters_the_pool_and_figures_follow(pool: Pool) -> None:
    organisations = [pool.organisation() for _ in range(5)]
    for i, organisation in enumerate(organisations):
        pool.close(organisation, 10.0 * i)
    assert_figures_match_the_pool(pool)
    late = pool.organisation(industry="banks")
    pool.close(late, 90.0)
    assert_figures_match_the_pool(pool)
    assert pool.figures(Attributes("retail", "s", "de")).peers[OVERALL][ALL].n == 6


def test_closing_without_opt_in_stays_out(pool: Pool) -> None:
    for i in range(5):
        pool.close(pool.organisation(opt_in=False), 10.0 * i)
    assert counted(pool.session) == []
    assert pool.figures(Attributes("retail", "s", "de")).status == Status.no_pool


def test_only_the_newest_assessment_of_an_organisation_counts(pool: Pool) -> None:
    organisations = [pool.organisation() for _ in range(5)]
    for i, organisation in enumerate(organisations):
        pool.close(organisation, 10.0 * i)
    pool.close(organisations[0], 80.0)  # a newer wave replaces 0
    pool.close(organisations[1], 5.0, days_ago=30)  # an older one does not replace 10
    assert counted(pool.session) == [11.0, 21.0, 31.0, 41.0, 81.0]
    assert_figures_match_the_pool(pool)


def test_opting_in_brings_closed_assessments_and_opting_out_takes_them_away(
    pool: Pool,
) -> None:
    organisations = [pool.organisation() for _ in range(5)]
    for i, organisation in enumerate(organisations):
        pool.close(organisation, 10.0 * i)
    newcomer = pool.organisation(industry="banks", opt_in=False)
    pool.close(newcomer, 60.0, days_ago=10)
    pool.close(newcomer, 70.0)
    assert len(counted(pool.session)) == 5
    set_opt_in(pool.session, organisation=newcomer, opt_in=True, k=5)
    assert counted(pool.session) == [1.0, 11.0, 21.0, 31.0, 41.0, 71.0]
    assert_figures_match_the_pool(pool)
    set_opt_in(pool.session, organisation=organisations[2], opt_in=False, k=5)
    assert counted(pool.session) == [1.0, 11.0, 31.0, 41.0, 71.0]
    assert_figures_match_the_pool(pool)
    pool.close(organisations[2], 99.0)  # opted out: closing no longer enters
    assert 100.0 not in counted(pool.session)


def test_a_group_falling_below_k_disappears_and_the_report_falls_back(pool: Pool) -> None:
    retail = [pool.organisation() for _ in range(5)]
    banks = [pool.organisation(industry="banks") for _ in range(5)]
    for i, organisation in enumerate(retail + banks):
        pool.close(organisation, float(i))
    mine = Attributes("retail", "s", "de")
    before = pool.figures(mine)
    assert before.used == Group(GroupKind.industry_size, ("retail", "s"))
    set_opt_in(pool.session, organisation=retail[0], opt_in=False, k=5)
    after = pool.figures(mine)
    assert after.used == ALL
    assert Group(GroupKind.industry, ("retail",)) not in after.peers[OVERALL]
    assert after.peers[OVERALL][ALL].n == 9


def test_a_new_k_applies_at_the_next_read(pool: Pool) -> None:
    for i in range(5):
        pool.close(pool.organisation(), float(i))
    assert pool.figures(Attributes("retail", "s", "de"), k=5).status == Status.shown
    assert pool.figures(Attributes("retail", "s", "de"), k=6).status == Status.too_small


def test_an_assessment_without_every_score_stays_out(pool: Pool, session: Session) -> None:
    organisation = pool.organisation()
    assessment = pool.close(organisation, 50.0)
    partial = {"overall": {"score": None}, "dimensions": {"acting": {"score": None}}}
    save_snapshot(session, assessment_id=assessment.id, result=partial, k=5)
    assert counted(session) == []


def test_rebuilding_a_pool_gives_the_same_figures(pool: Pool) -> None:
    for i in range(7):
        pool.close(pool.organisation(size="m" if i % 2 else "s"), 3.0 * i)
    before = pool.figures(Attributes("retail", "s", "de")).to_dict()
    key, _ = pool_of(pool.questionnaire())
    refresh_pool(pool.session, pool_key=key, k=5)
    assert pool.figures(Attributes("retail", "s", "de")).to_dict() == before


def test_a_large_group_keeps_quantiles_equal_to_numpy(pool: Pool, session: Session) -> None:
    from sqlalchemy import insert

    organisation = pool.organisation()
    n = 1500
    ids = [uuid.uuid4() for _ in range(n)]
    session.execute(
        insert(Assessment),
        [
            {
                "id": i,
                "organisation_id": organisation.id,
                "questionnaire_version_id": pool.version_id,
                "name": "bulk",
                "status": "closed",
                "created_at": utcnow(),
            }
            for i in ids
        ],
    )
    values = np.random.default_rng(3).uniform(0, 100, (n, 4)).round(2)
    key, _ = pool_of(pool.questionnaire())
    session.execute(
        insert(BenchmarkEntry),
        [
            {
                "id": uuid.uuid4(),
                "pool_key": key,
                "assessment_id": a,
                "organisation_id": organisation.id,
                "industry": "retail",
                "size": "s",
                "country": "de",
                "closed_at": utcnow(),
                "current": True,
                "scores": row.tolist(),
            }
            for a, row in zip(ids, values, strict=True)
        ],
    )
    session.commit()
    refresh_pool(session, pool_key=key, k=5)
    figures = pool.figures(Attributes("retail", "s", "de"))
    for index, score_id in enumerate(SCORE_IDS):
        column = values[:, index]
        found = figures.peers[score_id][ALL]
        assert found.n == n
        assert found.median == pytest.approx(np.quantile(column, 0.5))
        assert found.q3 == pytest.approx(np.quantile(column, 0.75))


def test_closes_at_the_same_time_all_count(pool: Pool, app) -> None:  # type: ignore[no-untyped-def]
    from concurrent.futures import ThreadPoolExecutor

    organisations = [pool.organisation() for _ in range(8)]
    assessments = []
    for organisation in organisations:
        version = get_questionnaire_version(pool.session, questionnaire_id="service-check")
        assert version is not None
        made = create_assessment(pool.session, organisation=organisation, version=version, name="w")
        set_status(pool.session, assessment=made, status=AssessmentStatus.closed)
        assessments.append(made.id)

    def close(index: int) -> None:
        with Session(app.state.engine) as own:
            save_snapshot(own, assessment_id=assessments[index], result=result(10.0 * index), k=5)

    with ThreadPoolExecutor(4) as threads:
        list(threads.map(close, range(8)))
    assert len(counted(pool.session)) == 8
    assert_figures_match_the_pool(pool)
