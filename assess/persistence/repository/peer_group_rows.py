"""Peer groups as rows of the pool: which entries a group selects, how many
organisations it has, and how its row and the group that kept it hidden are named. Shared
by the changes (`benchmarks`, `peer_group_figures`) and the reads (`peer_groups`)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable

from sqlalchemy import func, text
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from assess.domain.benchmarking import ATTRIBUTES, Group, GroupKind
from assess.persistence.models.benchmarks import BenchmarkEntry

Entry = BenchmarkEntry


def count_group(session: Session, *, pool_key: str, group: Group) -> int:
    """How many organisations a peer group of a pool has now (an indexed count)."""
    query = select(func.count()).select_from(Entry).where(*members_of(pool_key, group))
    return int(session.exec(query).one())


def members_of(key: str, group: Group) -> list[ColumnElement[bool]]:
    """Conditions on pool entries that select the organisations of a group."""
    columns = ATTRIBUTES[group.kind]
    return [
        col(Entry.pool_key) == key,
        col(Entry.current) == True,  # noqa: E712 (an equality the indexes serve)
        *(getattr(Entry, c) == v for c, v in zip(columns, group.values, strict=True)),
    ]


def sql_filters(group: Group) -> tuple[str, dict[str, str]]:
    """The same conditions as SQL text with bound parameters (for ordered-set aggregates)."""
    columns = ATTRIBUTES[group.kind]
    filters = "".join(f" AND {c} = :{c}" for c in columns)
    return filters, dict(zip(columns, group.values, strict=True))


def key_of(group: Group) -> str:
    """A group's key in its row: the JSON list of its values."""
    return json.dumps(list(group.values))


def group_of(kind: str, key: str) -> Group:
    """The group a row stands for."""
    return Group(GroupKind(kind), tuple(json.loads(key)))


def near_key_of(group: Group) -> str:
    """How a row names the group that kept it from being shown."""
    return json.dumps([group.kind.value, *group.values])


def near_of(stored: str | None) -> Group | None:
    """The group a row names as the one that kept it from being shown."""
    if stored is None:
        return None
    kind, *values = json.loads(stored)
    return Group(GroupKind(kind), tuple(values))


def take_turn(
    session: Session, keys: Iterable[str], organisation_id: uuid.UUID | None = None
) -> None:
    """Wait for other changes of this organisation's entries and of these pools to
    commit, always in that order (PostgreSQL; on SQLite the caller holds the write lock).
    Locks already held by this transaction are taken again at no cost."""
    if session.get_bind().dialect.name != "postgresql":
        return
    locks = [] if organisation_id is None else [organisation_id.hex]
    for lock in [*locks, *sorted(keys)]:
        session.execute(text("SELECT pg_advisory_xact_lock(:lock)"), {"lock": int(lock[:15], 16)})
