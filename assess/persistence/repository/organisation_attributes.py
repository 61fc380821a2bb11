"""The attributes peer groups are formed by (industry, size band, country): setting an
organisation's, and the organisations whose values typed before they became choices
match no option."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import String, cast, update
from sqlmodel import Session, col, select

from assess.domain.benchmarking import Attributes
from assess.persistence.models.accounts import Membership, Role, User
from assess.persistence.models.benchmarks import BenchmarkEntry
from assess.persistence.models.organisations import Organisation
from assess.persistence.repository.common import writing
from assess.persistence.repository.peer_cells import count_in_cell
from assess.persistence.repository.peer_group_figures import refresh_changed, store_figures
from assess.persistence.repository.peer_group_rows import take_turn


def set_attributes(
    session: Session,
    *,
    organisation: Organisation,
    industry: str | None,
    size: str | None,
    country: str | None,
    k: int,
) -> None:
    """Give the organisation these attributes (an unmatched value goes once one is
    chosen in its place) and commit. Its pool entries take them too: the groups it leaves
    and joins are computed anew as a close computes its own (those of up to INLINE_LIMIT
    organisations at once, larger ones by the job), and every group's verdict is decided
    anew with benchmark k `k`."""
    chosen = {"industry": industry, "size": size, "country": country}
    with writing(session):
        take_turn(session, [], organisation.id)
        pools = session.exec(
            select(BenchmarkEntry.pool_key)
            .where(BenchmarkEntry.organisation_id == organisation.id)
            .distinct()
        ).all()
        take_turn(session, pools)
        counted = session.exec(
            select(
                BenchmarkEntry.pool_key,
                BenchmarkEntry.industry,
                BenchmarkEntry.size,
                BenchmarkEntry.country,
            ).where(
                BenchmarkEntry.organisation_id == organisation.id,
                BenchmarkEntry.current == True,  # noqa: E712 (indexed)
            )
        ).all()
        for attribute, value in chosen.items():
            setattr(organisation, attribute, value)
        organisation.unmatched_attributes = {
            a: text for a, text in organisation.unmatched_attributes.items() if not chosen.get(a)
        }
        session.add(organisation)
        session.execute(
            update(BenchmarkEntry)
            .where(col(BenchmarkEntry.organisation_id) == organisation.id)
            .values(**chosen)
        )
        after = Attributes(industry, size, country)
        for key, *before in counted:  # the entry that counts moves to its new cell
            count_in_cell(session, key, Attributes(*before), -1)
            count_in_cell(session, key, after, +1)
            store_figures(session, key, {*Attributes(*before).groups(), *after.groups()}, k)
        session.commit()
    refresh_changed(session)  # the distributions of those groups, after the turn


def with_unmatched_attributes(session: Session, *, user: User) -> Sequence[Organisation]:
    """The organisations the user runs (an admin: all) with a value that matches no
    option, by name."""
    query = select(Organisation).where(cast(col(Organisation.unmatched_attributes), String) != "{}")
    if not user.is_admin:
        query = query.join(Membership).where(
            Membership.user_id == user.id, Membership.role == Role.consultant
        )
    return session.exec(query.order_by(col(Organisation.name), col(Organisation.id))).all()
