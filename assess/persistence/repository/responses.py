"""Respondents' links and answers: the hot path of the service, in Core statements on a
Connection (a Session's bookkeeping would cost more than the statements themselves), the
busiest run on the driver's cursor (see persistence.direct).

A save is one SELECT (the link) and one upsert; a submit is the same. Both upserts only
touch a response that is still in progress, so no race can change submitted answers.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, Select, bindparam, or_
from sqlalchemy import select as core_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from assess.domain.answers import Response as TypedResponse
from assess.domain.answers import from_stored
from assess.persistence.direct import Direct
from assess.persistence.models.assessments import (
    Assessment,
    AssessmentKind,
    AssessmentStatus,
    Invitation,
)
from assess.persistence.models.common import utcnow
from assess.persistence.models.responses import Response, ResponseStatus
from assess.persistence.repository.common import Conflict, write_one
from assess.persistence.repository.invitations import lead_label
from assess.persistence.security import digest

_invitations = Invitation.__table__  # type: ignore[attr-defined]
_assessments = Assessment.__table__  # type: ignore[attr-defined]
_responses = Response.__table__  # type: ignore[attr-defined]
_STATE = (
    _responses.c.status,
    _responses.c.answers,
    _responses.c.profile,
    _responses.c.updated_at,
    _responses.c.submitted_at,
)


@dataclass(frozen=True)
class Link:
    """What a respondent's token opens: the invitation, its assessment and how far the
    response has come (None before the first save)."""

    invitation_id: uuid.UUID
    label: str
    department: str | None
    expires_at: datetime | None
    assessment_id: uuid.UUID
    assessment_name: str
    assessment_status: AssessmentStatus
    assessment_kind: AssessmentKind
    closes_at: datetime | None
    questionnaire_version_id: uuid.UUID
    show_own_scores: bool
    departments_changeable: bool
    response_status: ResponseStatus | None
    idempotency_key: str | None
    lead: bool  # the invitation is the assessment's lead


_LINK = (
    core_select(
        _invitations.c.id,
        _invitations.c.label,
        _invitations.c.department,
        _invitations.c.expires_at,
        _assessments.c.id,
        _assessments.c.name,
        _assessments.c.status,
        _assessments.c.kind,
        _assessments.c.closes_at,
        _assessments.c.questionnaire_version_id,
        _assessments.c.show_own_scores,
        _assessments.c.departments_changeable,
        _responses.c.status,
        _responses.c.idempotency_key,
        _invitations.c.lead,
    )
    .select_from(_invitations)
    .join(_assessments, _assessments.c.id == _invitations.c.assessment_id)
    .outerjoin(_responses, _responses.c.invitation_id == _invitations.c.id)
    .where(_invitations.c.token_hash == bindparam("token_hash"))
)


# The link and, in the same row, what its response holds: a respondent's page needs both,
# and a second query would cost as much again (and a round trip more on PostgreSQL).
_LINK_AND_STATE = _LINK.add_columns(*_STATE[1:])
_LINK_FIELDS = len(_LINK.selected_columns)
_STATE_NAMES = [column.name for column in _STATE]
# Built once: building and keying a statement costs more than SQLite takes to run it.
_STATE_OF = Direct(
    core_select(*_STATE, _responses.c.idempotency_key).where(
        _responses.c.invitation_id == bindparam("invitation_id")
    )
)


def link_by_token(connection: Connection, *, token: str) -> Link | None:
    """The link of a token, in one query; None for any string that is not a token."""
    row = connection.execute(_LINK, {"token_hash": digest(token)}).first()
    return link_of(tuple(row)) if row else None


def link_query(token: str, *, with_state: bool = False) -> tuple[Select[Any], dict[str, Any]]:
    """The query of a token's link (and with_state, its response's state) and its
    parameters, for a caller that runs it with another statement (see link_of and
    link_and_state_of)."""
    return (_LINK_AND_STATE if with_state else _LINK), {"token_hash": digest(token)}


def link_of(row: Sequence[Any]) -> Link:
    """The link in a row of link_query."""
    return Link(*row[:_LINK_FIELDS])


def link_and_state_by_token(
    connection: Connection, *, token: str
) -> tuple[Link, dict[str, Any] | None] | None:
    """The link of a token and its response's state as `state_of` gives it, in one query;
    None for any string that is not a token."""
    row = connection.execute(_LINK_AND_STATE, {"token_hash": digest(token)}).first()
    return link_and_state_of(tuple(row)) if row is not None else None


def link_and_state_of(row: Sequence[Any]) -> tuple[Link, dict[str, Any] | None]:
    """The link and its response's state in a row of link_query(with_state=True)."""
    link = link_of(row)
    if link.response_status is None:  # nothing saved yet
        return link, None
    state = dict(zip(_STATE_NAMES, (link.response_status, *row[_LINK_FIELDS:]), strict=True))
    return link, {**state, "idempotency_key": link.idempotency_key}


def state_of(connection: Connection, *, invitation_id: uuid.UUID) -> dict[str, Any] | None:
    """Status, answers, profile and timestamps of the response given through a link."""
    rows = _STATE_OF.rows(connection, {"invitation_id": invitation_id})
    return _STATE_OF.mapping(rows[0]) if rows else None


def save_answers(
    connection: Connection, *, link: Link, answers: dict[str, Any], profile: dict[str, Any]
) -> dict[str, Any]:
    """Keep the latest answers of an unsubmitted response, in one statement; the state.

    Conflict if the response was submitted (even by a request racing this one).
    """
    row = _upsert_response(connection, link, {"answers": answers, "profile": profile}, utcnow())
    if row is None:
        raise Conflict("these answers were submitted and can no longer change")
    return row


def submit(
    connection: Connection,
    *,
    link: Link,
    idempotency_key: str | None,
    answers: dict[str, Any] | None = None,
    profile: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], bool]:
    """Submit a response exactly once, with its last answers if given, in one statement:
    (state, whether this call submitted it). Of two racing calls exactly one wins."""
    now = utcnow()
    changes: dict[str, Any] = {
        "status": ResponseStatus.submitted,
        "submitted_at": now,
        "idempotency_key": idempotency_key,
    }
    if answers is not None:
        changes |= {"answers": answers, "profile": profile or {}}
    row = _upsert_response(connection, link, changes, now)
    if row is not None:
        return row, True
    state = state_of(connection, invitation_id=link.invitation_id)
    assert state is not None  # the upsert found a submitted response
    return state, False


def _upsert_response(
    connection: Connection, link: Link, changes: dict[str, Any], now: datetime
) -> dict[str, Any] | None:
    """Insert the link's response or update it while in progress; None if submitted."""
    changes = {**changes, "updated_at": now}
    values = {
        "id": uuid.uuid4(),
        "assessment_id": link.assessment_id,
        "invitation_id": link.invitation_id,
        "respondent": link.label,
        "answers": {},
        "profile": {},
        "status": ResponseStatus.in_progress,
        "created_at": now,
        "lead": False,  # the lead is its invitation's (an imported response's is its own)
        **changes,
    }
    statement = _upsert_statement(connection.dialect.name, frozenset(values), frozenset(changes))
    row = write_one(connection, statement, values)
    return statement.mapping(row) if row else None


@cache
def _upsert_statement(dialect: str, given: frozenset[str], changed: frozenset[str]) -> Direct:
    """The upsert of a response with values for the columns `given`, `changed` where it
    exists, built once per database kind and sets of columns (values come as parameters),
    run on the driver's cursor (see persistence.direct)."""
    from sqlalchemy.dialects import postgresql, sqlite

    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(_responses)
    return Direct(
        insert.on_conflict_do_update(
            index_elements=[_responses.c.invitation_id],
            set_={name: insert.excluded[name] for name in sorted(changed)},
            where=_responses.c.status == ResponseStatus.in_progress,
        ).returning(*_STATE),
        values=given,
    )


def submitted_responses(session: Session, *, assessment_id: uuid.UUID) -> list[TypedResponse]:
    """Submitted responses of an assessment, in the order they came, as scoring reads them."""
    return [r for _, r in submitted_with_ids(session, assessment_id=assessment_id)]


def submitted_with_ids(
    session: Session, *, assessment_id: uuid.UUID
) -> list[tuple[str, TypedResponse]]:
    """Submitted responses of an assessment with their ids, in the order they came; the
    lead's carries `lead` (its invitation marked as the lead, or imported as the lead), in
    the same query."""
    rows = session.exec(
        select(Response, or_(col(Invitation.lead).is_(True), col(Response.lead)))
        .outerjoin(Invitation, col(Invitation.id) == col(Response.invitation_id))
        .where(Response.assessment_id == assessment_id, Response.status == ResponseStatus.submitted)
        .order_by(col(Response.submitted_at), col(Response.respondent), col(Response.id))
    )
    return [
        (str(r.id), from_stored(r.respondent, r.answers, r.profile, lead=bool(lead)))
        for r, lead in rows
    ]


_ONE_LEAD = "leave the file's lead column empty, or unmark that respondent as the lead first"


def import_responses(
    session: Session,
    *,
    assessment: Assessment,
    responses: Sequence[TypedResponse],
    stored: Sequence[tuple[dict[str, Any], dict[str, Any]]],
) -> int:
    """Add submitted responses collected offline, all or none, the file's lead kept as
    the lead; Conflict on a taken label (another response's, or an invitation's: its
    respondent may still answer) or on a lead while the assessment has one."""
    marked = next((typed.respondent for typed in responses if typed.lead), None)
    taken = lead_label(session, assessment_id=assessment.id) if marked else None
    if taken is not None:
        raise Conflict(
            f"the file marks '{marked}' as the lead, but '{taken}' is already the lead of "
            f"this assessment (one at most answers the items asked of the lead); {_ONE_LEAD}"
        )
    invited = set(
        session.exec(select(Invitation.label).where(Invitation.assessment_id == assessment.id))
    ).intersection(typed.respondent for typed in responses)
    if invited:
        raise Conflict(
            f"respondent {', '.join(sorted(invited)[:5])} in the file is the label of an "
            "invitation of this assessment; rename it in the file"
        )
    now = utcnow()
    for typed, (answers, profile) in zip(responses, stored, strict=True):
        session.add(
            Response(
                assessment_id=assessment.id,
                respondent=typed.respondent,
                answers=answers,
                profile=profile,
                status=ResponseStatus.submitted,
                submitted_at=now,
                lead=typed.lead,
            )
        )
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        if marked and (taken := lead_label(session, assessment_id=assessment.id)) is not None:
            raise Conflict(  # a request racing this one imported a lead
                f"'{taken}' is already the lead of this assessment; {_ONE_LEAD}"
            ) from None
        raise Conflict(
            "a respondent label in the file is already used in this assessment; "
            "rename it in the file"
        ) from None
    return len(responses)
