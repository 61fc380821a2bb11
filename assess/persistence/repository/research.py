"""What researchers may read: submitted responses of closed assessments of organisations
that opted in to benchmarks, read in one consistent snapshot.

An export reads everything (its count, the organisations' attributes, the rows) inside one
transaction: REPEATABLE READ on PostgreSQL, one read transaction on SQLite (WAL). An
organisation that opts out, or a response that arrives, while an export runs changes
nothing in it; the next export leaves the organisation out.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, case, false, func, literal, or_, select
from sqlalchemy.sql.elements import ColumnElement

from assess.domain.export import ATTRIBUTES, PSEUDONYM_LENGTH, Pseudonyms, StoredRow
from assess.domain.grouping import MIN_GROUP_RESPONDENTS
from assess.persistence.models.assessments import Assessment, AssessmentStatus, Invitation
from assess.persistence.models.organisations import Organisation
from assess.persistence.models.responses import Response, ResponseStatus
from assess.persistence.repository.demo import in_scope

_responses = Response.__table__  # type: ignore[attr-defined]
_assessments = Assessment.__table__  # type: ignore[attr-defined]
_organisations = Organisation.__table__  # type: ignore[attr-defined]
_invitations = Invitation.__table__  # type: ignore[attr-defined]
SQLITE_PSEUDONYM = "assess_pseudonym"
CHUNK_ROWS = 2_000


@contextmanager
def snapshot(engine: Engine, pseudonyms: Pseudonyms) -> Iterator[Connection]:
    """A read-only connection that sees the database as it was when it opened, until it
    closes; on SQLite it can compute this export's pseudonyms in SQL."""
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection = connection.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
            with connection.begin():
                connection.exec_driver_sql("SET LOCAL extra_float_digits = 1")
                # `stored_rows` sorts all rows by pseudonym (the CSV's COPY sorts within each
                # organisation only): in runs of 64 MB, merged from temporary files, measured
                # faster than in one 256 MB run, and it takes less of the server.
                connection.exec_driver_sql("SET LOCAL work_mem = '64MB'")
                yield connection
            return
        raw = connection.connection.driver_connection
        assert raw is not None
        raw.create_function(SQLITE_PSEUDONYM, 1, _stored_id(pseudonyms), deterministic=True)
        try:
            connection.exec_driver_sql("BEGIN")  # one snapshot for every read that follows
            yield connection
        finally:
            connection.rollback()
            raw.create_function(SQLITE_PSEUDONYM, 1, None)  # the key goes with the export


def _stored_id(pseudonyms: Pseudonyms) -> Any:
    """The pseudonym of an id as SQLite stores it (32 hex digits)."""
    return lambda hex_id: pseudonyms.of(bytes.fromhex(hex_id))


def _exportable(version_id: uuid.UUID) -> list[ColumnElement[bool]]:
    return [
        _assessments.c.questionnaire_version_id == version_id,
        _assessments.c.status == AssessmentStatus.closed,
        _responses.c.status == ResponseStatus.submitted,
        _organisations.c.benchmark_opt_in.is_(True),
        in_scope(_organisations.c.is_demo),  # demo data only in a database of demo data
    ]


def _joined() -> Any:
    return _responses.join(_assessments, _assessments.c.id == _responses.c.assessment_id).join(
        _organisations, _organisations.c.id == _assessments.c.organisation_id
    )


def exportable_count(connection: Connection, *, version_id: uuid.UUID) -> int:
    """How many responses of this questionnaire version researchers may read."""
    query = select(func.count()).select_from(_joined()).where(*_exportable(version_id))
    return int(connection.execute(query).scalar_one())


def any_exportable(connection: Connection, *, version_id: uuid.UUID) -> bool:
    """Whether researchers may read any response of this questionnaire version (stops at
    the first, where a count reads them all)."""
    query = select(select(1).select_from(_joined()).where(*_exportable(version_id)).exists())
    return bool(connection.execute(query).scalar_one())


def exportable_organisations(connection: Connection, *, version_id: uuid.UUID) -> int:
    """How many organisations the responses researchers may read come from."""
    query = (
        select(func.count(func.distinct(_organisations.c.id)))
        .select_from(_joined())
        .where(*_exportable(version_id))
    )
    return int(connection.execute(query).scalar_one())


def exportable_leads(connection: Connection, *, version_id: uuid.UUID) -> int:
    """How many of the responses researchers may read are their assessment's lead's."""
    joined = _joined().outerjoin(_invitations, _invitations.c.id == _responses.c.invitation_id)
    query = (
        select(func.count())
        .select_from(joined)
        .where(*_exportable(version_id), _is_lead(_invitations, _responses))
    )
    return int(connection.execute(query).scalar_one())


def attribute_values(connection: Connection, *, version_id: uuid.UUID) -> dict[str, list[str]]:
    """The distinct attributes (industry, size, country) of the organisations exported."""
    values: dict[str, list[str]] = {}
    for name in ATTRIBUTES:
        column = _organisations.c[name]
        query = (
            select(column)
            .distinct()
            .select_from(_joined())
            .where(*_exportable(version_id), column.is_not(None), column != "")
            .order_by(column)
        )
        found: list[Any] = list(connection.execute(query).scalars())
        values[name] = [str(value) for value in found]
    return values


def pseudonym_sql(connection: Connection, column: Any, pseudonyms: Pseudonyms) -> Any:
    """The pseudonym of an id column, computed by the database (see `Pseudonyms.of`):
    sha256 on PostgreSQL, the export's own function on SQLite."""
    if connection.dialect.name != "postgresql":
        return func.assess_pseudonym(column)
    digest = func.sha256(literal(pseudonyms.key).op("||")(func.uuid_send(column)))
    return func.left(func.encode(digest, "hex"), PSEUDONYM_LENGTH)


def stored_rows(
    connection: Connection,
    *,
    version_id: uuid.UUID,
    pseudonyms: Pseudonyms,
    shared: Sequence[str],
    chunk_rows: int = CHUNK_ROWS,
    leads: bool = False,
    detach: bool = False,
) -> Iterator[list[StoredRow]]:
    """The exportable responses in chunks, ordered by pseudonyms (so by nothing that two
    exports share), each with how many respondents of its organisation gave the same
    answer to each profile question in `shared`, and how many share all the answers the
    export shows of them. With `leads`, each with whether it is its assessment's lead and
    the lead's answers; with `detach` too, the leads' rows apart from their organisations:
    after all others, ordered by their own pseudonym, and counted in no organisation's
    shares."""
    counted = _counted_rows(connection, version_id, pseudonyms, shared, leads, detach)
    rows = _shown_rows(counted, shared)
    ordered = select(rows).order_by(
        rows.c.detached,
        _in_byte_order(connection, case((rows.c.detached, ""), else_=rows.c.organisation)),
        _in_byte_order(connection, rows.c.respondent),
    )
    result = connection.execution_options(stream_results=True, yield_per=chunk_rows).execute(
        ordered
    )
    counts = [f"n_{i}" for i in range(len(shared))]
    for partition in result.partitions(chunk_rows):
        yield [
            StoredRow(
                row.organisation,
                row.respondent,
                tuple(row._mapping[name] for name in ATTRIBUTES),
                row.answers or {},
                row.profile or {},
                dict(zip(shared, (row._mapping[n] for n in counts), strict=True)),
                row.together,
                bool(row.lead),
                row.lent,
                bool(row.detached),
            )
            for row in partition
        ]


def _counted_rows(
    connection: Connection,
    version_id: uuid.UUID,
    pseudonyms: Pseudonyms,
    shared: Sequence[str],
    leads: bool,
    detach: bool,
) -> Any:
    """The exportable responses, pseudonymised, each with its answer to each profile
    question in `shared` (v_i) and how many of its organisation's respondents gave it
    (n_i), counted apart for detached rows; with `leads`, whether it is the lead's and
    the answers of its assessment's lead (lent)."""
    organisation = pseudonym_sql(connection, _assessments.c.organisation_id, pseudonyms)
    respondent = pseudonym_sql(connection, _responses.c.id, pseudonyms)
    joined = _joined()
    lead: Any = false()
    lent: Any = literal(None)
    if leads:
        joined = joined.outerjoin(_invitations, _invitations.c.id == _responses.c.invitation_id)
        lead = _is_lead(_invitations, _responses)
        lead_answers = _lead_answers()
        joined = joined.outerjoin(
            lead_answers, lead_answers.c.assessment_id == _responses.c.assessment_id
        )
        lent = lead_answers.c.answers
    detached = lead if detach else false()
    answers = [_responses.c.profile[q].as_string() for q in shared]
    counts = [
        func.count()
        .over(partition_by=[_assessments.c.organisation_id, detached, answer])
        .label(f"n_{i}")
        for i, answer in enumerate(answers)
    ]
    return (
        select(
            organisation.label("organisation"),
            respondent.label("respondent"),
            *(_organisations.c[name] for name in ATTRIBUTES),
            _responses.c.answers,
            _responses.c.profile,
            lead.label("lead"),
            lent.label("lent"),
            detached.label("detached"),
            *counts,
            _assessments.c.organisation_id.label("organisation_id"),
            *(answer.label(f"v_{i}") for i, answer in enumerate(answers)),
        )
        .select_from(joined)
        .where(*_exportable(version_id))
        .subquery()
    )


def _is_lead(invitations: Any, responses: Any) -> Any:
    """Whether a response is its assessment's lead's: its invitation is marked as the lead,
    or it was imported as the lead (invitations outer-joined to responses)."""
    return or_(func.coalesce(invitations.c.lead, false()), responses.c.lead)


def _lead_answers() -> Any:
    """Per assessment, the answers of its lead's submitted response (one at most)."""
    invitation = _invitations.alias("lead_invitation")
    response = _responses.alias("lead_response")
    return (
        select(response.c.assessment_id, response.c.answers)
        .select_from(response.outerjoin(invitation, invitation.c.id == response.c.invitation_id))
        .where(_is_lead(invitation, response), response.c.status == ResponseStatus.submitted)
        .subquery("lead_answers")
    )


def _shown_rows(counted: Any, shared: Sequence[str]) -> Any:
    """The counted rows with how many of the organisation's respondents share all the
    profile answers the export shows of them (an answer of fewer than MIN_GROUP_RESPONDENTS is not
    shown)."""
    shown = [
        case((counted.c[f"n_{i}"] >= MIN_GROUP_RESPONDENTS, counted.c[f"v_{i}"]))
        for i in range(len(shared))
    ]
    together = func.count().over(
        partition_by=[counted.c.organisation_id, counted.c.detached, *shown]
    )
    return select(
        *(counted.c[name] for name in ("organisation", "respondent", *ATTRIBUTES)),
        counted.c.answers,
        counted.c.profile,
        counted.c.lead,
        counted.c.lent,
        counted.c.detached,
        together.label("together"),
        *(counted.c[f"n_{i}"] for i in range(len(shared))),
    ).subquery()


def _in_byte_order(connection: Connection, column: Any) -> Any:
    return column.collate("C") if connection.dialect.name == "postgresql" else column
