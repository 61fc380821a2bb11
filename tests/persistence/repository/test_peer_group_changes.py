"""Closes, opt-ins, opt-outs, moves to other attributes and erasures change only the peer
groups they touch, and leave the large groups' distributions to a refresh after them:
once it has run, every stored figure equals what a rebuild of the pool computes, bit for
bit."""

from __future__ import annotations

import random
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import Session

from assess.domain import peer_figures
from assess.domain.benchmarking import OVERALL, Attributes, Group, GroupKind
from assess.persistence.repository import peer_group_figures
from assess.persistence.repository.benchmarks import (
    pool_of,
    refresh_changed_groups,
    refresh_pending_groups,
    refresh_pool,
    remove_organisation_entries,
    set_opt_in,
)
from assess.persistence.repository.common import writing
from assess.persistence.repository.organisation_attributes import set_attributes
from assess.persistence.repository.peer_group_figures import PENDING
from tests.persistence.repository.pools import Pool

EXACT = 6  # groups up to this size keep every score, larger ones quantiles
INLINE = 10  # groups larger than this are computed after the change


@pytest.fixture
def small_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every regime in a pool of a few dozen: exact, quantiles within the change's turn,
    quantiles after it."""
    monkeypatch.setattr(peer_figures, "EXACT_LIMIT", EXACT)
    monkeypatch.setattr(peer_group_figures, "EXACT_LIMIT", EXACT)
    monkeypatch.setattr(peer_group_figures, "INLINE_LIMIT", INLINE)


def stored(session: Session, key: str) -> list[tuple[Any, ...]]:
    """Every stored figure of a pool and its cells, as read from the tables."""
    figures = session.execute(
        text(
            "SELECT kind, key, organisations, shown, near, k, points FROM peer_group_figures "
            "WHERE pool_key = :key ORDER BY kind, key"
        ),
        {"key": key},
    ).all()
    cells = session.execute(
        text(
            "SELECT industry, size, country, organisations FROM peer_cells "
            "WHERE pool_key = :key ORDER BY industry, size, country"
        ),
        {"key": key},
    ).all()
    session.rollback()
    return [tuple(r) for r in figures] + [tuple(r) for r in cells]


def pending(session: Session, key: str) -> int:
    """How many groups of the pool wait for their distribution."""
    found = session.execute(
        text(
            "SELECT count(*) FROM peer_group_figures "
            "WHERE pool_key = :key AND points_revision < revision"
        ),
        {"key": key},
    ).one()[0]
    session.rollback()
    return int(found)


def test_random_changes_leave_the_figures_a_rebuild_computes(
    pool: Pool, small_limits: None
) -> None:
    rng = random.Random(23)
    key, _ = pool_of(pool.questionnaire())
    organisations = []
    sizes: set[int] = set()
    deferred = 0
    for _ in range(60):
        choice = rng.random()
        if choice < 0.45 or len(organisations) < 4:
            organisation = pool.organisation(
                industry=rng.choice(["retail", "banks", "retail"]),
                size=rng.choice(["s", "m"]),
                country=rng.choice(["de", "at"]),
            )
            organisations.append(organisation)
            pool.close(organisation, round(rng.uniform(0, 95), 2))
        elif choice < 0.65:  # a new wave, or an older one that does not count
            organisation = rng.choice(organisations)
            pool.close(organisation, round(rng.uniform(0, 95), 2), days_ago=rng.choice([0, 40]))
        elif choice < 0.75:
            organisation = rng.choice(organisations)
            opt_in = not organisation.benchmark_opt_in
            set_opt_in(pool.session, organisation=organisation, opt_in=opt_in, k=5)
        elif choice < 0.87:  # its entries move to the groups of its new attributes
            set_attributes(
                pool.session,
                organisation=rng.choice(organisations),
                industry=rng.choice(["retail", "banks"]),
                size=rng.choice(["s", "m"]),
                country=rng.choice(["de", "at"]),
                k=5,
            )
        else:
            organisation = organisations.pop(rng.randrange(len(organisations)))
            with writing(pool.session):
                remove_organisation_entries(pool.session, organisation_id=organisation.id, k=5)
                pool.session.commit()
            refresh_changed_groups(pool.session)  # as the erasure does after its commit
        if key in pool.session.info.pop(PENDING, set()):
            deferred += 1
        if rng.random() < 0.3:  # the job runs now and then, between changes
            refresh_pending_groups(pool.session, pool_key=key)
        sizes.update(row[2] for row in stored(pool.session, key) if len(row) == 7)

    assert deferred > 5
    assert min(sizes) <= EXACT < INLINE < max(sizes)
    assert any(EXACT < n <= INLINE for n in sizes)
    refresh_pending_groups(pool.session, pool_key=key)
    assert pending(pool.session, key) == 0
    settled = stored(pool.session, key)
    refresh_pool(pool.session, pool_key=key, k=5)
    assert stored(pool.session, key) == settled


def test_a_close_into_large_groups_leaves_them_to_the_refresh_after_it(
    pool: Pool, small_limits: None
) -> None:
    key, _ = pool_of(pool.questionnaire())
    for i in range(INLINE + 1):  # all, retail and de: large groups; s and m: small ones
        pool.close(pool.organisation(size="s" if i % 2 else "m"), float(i))
    refresh_pending_groups(pool.session, pool_key=key)
    pool.session.info.pop(PENDING, None)
    mine = Attributes("retail", "m", "de")

    pool.close(pool.organisation(size="m"), 90.0)
    assert pool.session.info.pop(PENDING) == {key}
    assert pending(pool.session, key) == 3
    peers = pool.figures(mine).peers[OVERALL]
    assert peers[Group(GroupKind.size, ("m",))].n == 7  # done within the close
    assert peers[Group(GroupKind.all)].n == INLINE + 1  # the pool before it, until refreshed

    assert refresh_pending_groups(pool.session, pool_key=key) == 3
    assert pending(pool.session, key) == 0
    assert pool.figures(mine).peers[OVERALL][Group(GroupKind.all)].n == INLINE + 2
    settled = stored(pool.session, key)
    refresh_pool(pool.session, pool_key=key, k=5)
    assert stored(pool.session, key) == settled
