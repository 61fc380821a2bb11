"""The audit log: what those who run the service did, written with the action it records
and read by admins, newest first."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import structlog
from sqlalchemy import func
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from assess.persistence.models.accounts import User
from assess.persistence.models.audit import AuditEntry

# Who acts through the `assess` command on the server itself.
CLI: Literal["cli"] = "cli"

Actor = User | Literal["cli"]


def audit(
    session: Session,
    actor: Actor,
    action: str,
    target: tuple[str, uuid.UUID | str | None],
    detail: dict[str, Any] | None = None,
) -> None:
    """Note an action in the audit log. The entry is only added to the session: it is
    written by the caller's next commit, so an action and its entry stand or fall
    together (add it before the commit that makes the change)."""
    target_type, target_id = target
    request_id = structlog.contextvars.get_contextvars().get("request_id")
    session.add(
        AuditEntry(
            actor_id=None if isinstance(actor, str) else actor.id,
            actor=actor if isinstance(actor, str) else actor.email,
            action=action,
            target_type=target_type,
            target_id=None if target_id is None else str(target_id)[:64],
            detail=detail or {},
            request_id=str(request_id)[:128] if request_id else None,
        )
    )


def audit_now(
    session: Session,
    actor: Actor,
    action: str,
    target: tuple[str, uuid.UUID | str | None],
    detail: dict[str, Any] | None = None,
) -> None:
    """Note an action that is committed already (one that made its target, whose id is
    known only now), and commit the entry."""
    audit(session, actor, action, target, detail)
    session.commit()


@dataclass(frozen=True)
class AuditFilter:
    """Which entries to read: by action, by actor (id or e-mail), by target, in a time
    range (from inclusive, until exclusive)."""

    action: str | None = None
    actor: str | None = None
    target_type: str | None = None
    target_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def audit_entries(
    session: Session, *, where: AuditFilter, limit: int, offset: int = 0
) -> tuple[Sequence[AuditEntry], int]:
    """One page of the entries that match, newest first, and how many match in all."""
    query = _matching(select(AuditEntry), where)
    total = session.exec(_matching(select(func.count()).select_from(AuditEntry), where)).one()
    page = session.exec(
        query.order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return page, int(total)


def audit_actions(session: Session) -> list[str]:
    """Every action the log holds, for a filter's choices."""
    return sorted(session.exec(select(AuditEntry.action).distinct()).all())


def _matching(query: SelectOfScalar[Any], where: AuditFilter) -> SelectOfScalar[Any]:
    if where.action:
        query = query.where(AuditEntry.action == where.action)
    if where.actor:
        try:
            query = query.where(AuditEntry.actor_id == uuid.UUID(where.actor))
        except ValueError:
            query = query.where(AuditEntry.actor == where.actor.strip().lower())
    if where.target_type:
        query = query.where(AuditEntry.target_type == where.target_type)
    if where.target_id:
        query = query.where(AuditEntry.target_id == where.target_id)
    if where.since:
        query = query.where(AuditEntry.at >= _in_utc(where.since))
    if where.until:
        query = query.where(AuditEntry.at < _in_utc(where.until))
    return query


def _in_utc(moment: datetime) -> datetime:
    """A moment in UTC (naive: taken as UTC), as SQLite compares the text it stores."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
