"""Changing an organisation's attributes moves its pool entries to the groups of its new
values; a pool marked stale (as the migration of free-text values marks it) is computed
anew when first read."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, col, select

from assess.domain.benchmarking import OVERALL, Attributes, Group, GroupKind
from assess.domain.pooling import pool_key
from assess.persistence.models.benchmarks import BenchmarkEntry, PeerGroupFigures
from assess.persistence.repository.accounts import create_organisation
from assess.persistence.repository.benchmarks import refresh_pool
from assess.persistence.repository.organisation_attributes import (
    set_attributes,
    with_unmatched_attributes,
)
from assess.persistence.repository.peer_groups import STALE
from tests.conftest import make_caller
from tests.persistence.repository.pools import Pool

HEALTH = Group(GroupKind.industry, ("healthcare",))
RETAIL = Group(GroupKind.industry, ("retail",))


def retail_pool(pool: Pool) -> list:
    """Twelve retailers that take part, each with a closed assessment: five of them moved
    elsewhere differ from all by seven, enough for both groups to be shown."""
    made = [pool.organisation(industry="retail", size="1-49") for _ in range(12)]
    for i, organisation in enumerate(made):
        pool.close(organisation, 10.0 * i)
    return made


def move_five_to_healthcare(pool: Pool, made: list) -> None:
    """The first five of `made` choose healthcare (and keep size and country)."""
    for organisation in made[:5]:
        set_attributes(
            pool.session,
            organisation=organisation,
            industry="healthcare",
            size="1-49",
            country="de",
            k=5,
        )


def test_choosing_another_industry_moves_the_organisation_to_its_peer_group(
    pool: Pool,
) -> None:
    move_five_to_healthcare(pool, retail_pool(pool))
    comparison = pool.figures(Attributes("healthcare", "1-49", "de"))
    assert comparison.peers[OVERALL][HEALTH].n == 5
    assert [g.verdict.organisations for g in comparison.groups if g.group == HEALTH] == [5]
    stays = pool.figures(Attributes("retail", "1-49", "de"))
    assert [g.verdict.organisations for g in stays.groups if g.group == RETAIL] == [7]


def test_choosing_an_option_clears_the_unmatched_value_it_replaces(session: Session) -> None:
    creator = make_caller(session, "attributes@example.org")
    organisation = create_organisation(session, name="Alt GmbH", creator=creator.user)
    organisation.unmatched_attributes = {"industry": "Lebensmittel", "country": "Atlantis"}
    session.add(organisation)
    session.commit()
    assert with_unmatched_attributes(session, user=creator.user) == [organisation]
    set_attributes(
        session, organisation=organisation, industry="retail", size=None, country=None, k=5
    )
    assert organisation.unmatched_attributes == {"country": "Atlantis"}
    set_attributes(
        session, organisation=organisation, industry="retail", size=None, country="de", k=5
    )
    assert with_unmatched_attributes(session, user=creator.user) == []


def test_a_stale_pool_is_computed_anew_from_its_entries_when_read(
    pool: Pool,
) -> None:
    made = retail_pool(pool)
    moved = [o.id for o in made[:5]]
    session = pool.session
    # What the migration does: entries take new values, the pool's figures are marked stale.
    session.execute(
        update(BenchmarkEntry)
        .where(col(BenchmarkEntry.organisation_id).in_(moved))
        .values(industry="healthcare")
    )
    session.execute(update(PeerGroupFigures).values(k=STALE))
    session.commit()
    comparison = pool.figures(Attributes("healthcare", "1-49", "de"))
    assert comparison.peers[OVERALL][HEALTH].n == 5
    assert {row.k for row in session.exec(select(PeerGroupFigures)).all()} == {5}


def test_a_close_after_a_move_leaves_every_group_as_a_full_rebuild_would(pool: Pool) -> None:
    # The move marks the groups it changed; another organisation's close into the same
    # pool touches other groups, and must not leave the moved ones as they were.
    move_five_to_healthcare(pool, retail_pool(pool))
    pool.close(pool.organisation(industry="logistics", size="250+"), 55.0)
    after_close = _all_figures(pool)
    refresh_pool(pool.session, pool_key=pool_key(pool.questionnaire()), k=5)
    assert after_close == _all_figures(pool)


def _all_figures(pool: Pool) -> dict[tuple[str, str], tuple[object, ...]]:
    """Every stored group of the pool: its verdict and distribution."""
    rows = pool.session.exec(select(PeerGroupFigures)).all()
    return {(r.kind, r.key): (r.organisations, r.shown, r.near, r.k, r.points) for r in rows}
