"""A pool's organisations counted by industry, size band and country: what the verdicts
and the size of every peer group are worked out from. Kept as entries start and stop
counting, within the change's transaction and turn, so that no change counts the whole
pool; `recount_cells` counts it anew (a rebuild)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from sqlalchemy import delete, func
from sqlalchemy import select as columns_of
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from assess.domain.benchmarking import Attributes, Cell, Group
from assess.persistence.models.benchmarks import BenchmarkEntry, PeerCell

Entry = BenchmarkEntry
NONE = ""  # an attribute the organisation did not give: key columns cannot be NULL


def count_in_cell(session: Session, key: str, attributes: Attributes, change: int) -> None:
    """Add `change` (+1 or -1) to the organisations that count with these attributes."""
    values = {
        "pool_key": key,
        "industry": attributes.industry or NONE,
        "size": attributes.size or NONE,
        "country": attributes.country or NONE,
    }
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    session.execute(
        insert(PeerCell)
        .values(**values, organisations=change)
        .on_conflict_do_update(
            index_elements=list(values),
            set_={"organisations": col(PeerCell.organisations) + change},
        )
    )
    if change < 0:  # an empty cell forms no group
        session.execute(
            delete(PeerCell).where(
                *(getattr(PeerCell, c) == v for c, v in values.items()),
                col(PeerCell.organisations) <= 0,
            )
        )


def cells_of(session: Session, key: str) -> list[Cell]:
    """The organisations of a pool counted by industry, size and country."""
    cells = PeerCell
    rows = session.connection().execute(  # Core: a change reads every cell in its turn
        columns_of(
            col(cells.industry), col(cells.size), col(cells.country), col(cells.organisations)
        ).where(col(cells.pool_key) == key)
    )
    return [Cell(Attributes(i or None, s or None, c or None), n) for i, s, c, n in rows]


def recount_cells(session: Session, key: str) -> None:
    """Count a pool's organisations by attributes anew from its entries."""
    session.execute(delete(PeerCell).where(col(PeerCell.pool_key) == key))
    rows = session.exec(
        select(Entry.industry, Entry.size, Entry.country, func.count())
        .where(Entry.pool_key == key, col(Entry.current) == True)  # noqa: E712 (indexed)
        .group_by(col(Entry.industry), col(Entry.size), col(Entry.country))
    ).all()
    counts: Counter[tuple[str, str, str]] = Counter()
    for i, s, c, n in rows:  # "" and NULL both mean not given
        counts[i or NONE, s or NONE, c or NONE] += int(n)
    session.add_all(
        PeerCell(pool_key=key, industry=i, size=s, country=c, organisations=n)
        for (i, s, c), n in counts.items()
    )
    session.flush()


def group_sizes(cells: Sequence[Cell]) -> Counter[Group]:
    """How many organisations each group the cells form has."""
    sizes: Counter[Group] = Counter()
    for cell in cells:
        for group in cell.attributes.groups():
            sizes[group] += cell.organisations
    return sizes
