"""The audit log as people read it: who did what to which named object, with an entry's
details as labelled fields; ids are replaced by the names of what they stand for (the
page's template words each kind, field and value in the reader's language)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from assess.persistence.models.audit import AuditEntry
from assess.persistence.repository.audit import CLI
from assess.persistence.repository.audit_names import Named, NameKey, names_of

# Detail fields that hold the id of an object with a name.
ID_FIELDS = {
    "organisation_id": "organisation",
    "assessment_id": "assessment",
    "invitation_id": "invitation",
    "user_id": "user",
}
# Detail fields whose values the template words (roles, kinds, ways in, …).
WORDED = {"role", "kind", "via", "erase", "invitation"}
LANGUAGE_FIELDS = {"language"}
# Fields that name the entry's object, which the object column shows already.
SAID_BY_TARGET = {
    ("organisation", "name"),
    ("assessment", "organisation_id"),
    ("questionnaire_version", "questionnaire_id"),
    ("questionnaire_version", "version"),
}
PAGES = {"organisation": "/organisations/{}", "assessment": "/assessments/{}"}


@dataclass(frozen=True)
class Target:
    """What an entry is about: its kind, and its name unless it was erased since."""

    kind: str
    name: str | None = None
    within: str | None = None
    href: str | None = None
    erased: bool = False


@dataclass(frozen=True)
class Detail:
    """One labelled field of an entry. `shape` tells how its value reads: text as it is,
    a number, yes or no, a language, a worded value, counts by what was counted, a named
    object, a page to open, or an object erased since."""

    field: str
    shape: str
    value: Any = None
    href: str | None = None


@dataclass(frozen=True)
class Line:
    """An entry as the page shows it."""

    at: datetime
    actor: str
    by_command: bool
    action: str
    target: Target
    details: list[Detail]
    request_id: str | None


def readable(session: Session, entries: Sequence[AuditEntry]) -> list[Line]:
    """The entries with names in place of ids and their details as labelled fields."""
    wanted: set[NameKey] = set()
    for entry in entries:
        if entry.target_id:
            wanted.add((entry.target_type, entry.target_id))
        for field, kind in ID_FIELDS.items():
            if isinstance(entry.detail.get(field), str):
                wanted.add((kind, entry.detail[field]))
    names = names_of(session, wanted)
    return [
        Line(
            at=entry.at,
            actor=entry.actor,
            by_command=entry.actor_id is None and entry.actor == CLI,
            action=entry.action,
            target=_target(entry, names),
            details=_details(entry, names),
            request_id=entry.request_id,
        )
        for entry in entries
    ]


def _target(entry: AuditEntry, names: dict[NameKey, Named]) -> Target:
    kind, ident = entry.target_type, entry.target_id
    if ident is None:
        return Target(kind)
    named = names.get((kind, ident))
    if named is not None:
        page = PAGES.get(kind)
        return Target(kind, named.name, named.within, page.format(ident) if page else None)
    detail = entry.detail
    if kind == "api_key":  # the key's prefix: what its owner sees in their list of keys
        return Target(kind, ident)
    if kind == "questionnaire_version" and detail.get("questionnaire_id"):
        return Target(kind, f"{detail['questionnaire_id']} v{detail.get('version', '?')}")
    if kind == "organisation" and isinstance(detail.get("name"), str):
        return Target(kind, detail["name"], erased=True)
    return Target(kind, erased=kind in ID_FIELDS.values())


def _details(entry: AuditEntry, names: dict[NameKey, Named]) -> list[Detail]:
    details = []
    for field, value in sorted(entry.detail.items()):
        if value == entry.target_id or (entry.target_type, field) in SAID_BY_TARGET:
            continue  # the object of the entry, said already
        details.append(_detail(entry, field, value, names))
    return details


def _detail(entry: AuditEntry, field: str, value: Any, names: dict[NameKey, Named]) -> Detail:
    if field in ID_FIELDS and isinstance(value, str):
        named = names.get((ID_FIELDS[field], value))
        if named is None:
            return Detail(field, "erased")
        page = PAGES.get(ID_FIELDS[field])
        return Detail(field, "named", named, page.format(value) if page else None)
    if field == "report_id" and entry.target_type == "assessment" and entry.target_id:
        return Detail(field, "page", href=f"/assessments/{entry.target_id}/reports/{value}")
    if isinstance(value, bool):
        return Detail(field, "yes_no", value)
    if isinstance(value, int | float):
        return Detail(field, "number", value)
    if isinstance(value, dict):
        return Detail(field, "counts", sorted(value.items()))
    if field in LANGUAGE_FIELDS:
        return Detail(field, "language", value)
    if field in WORDED:
        return Detail(field, "worded", value)
    return Detail(field, "text", value if isinstance(value, str) else str(value))
