"""Dependencies routes share. Every organisation-scoped object is loaded here, through a
membership check: another tenant's object is a 404, exactly like one that does not exist."""

from __future__ import annotations

import asyncio
import contextvars
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Connection, Engine
from sqlalchemy.pool import QueuePool
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from assess.domain.columns import Column, columns_of
from assess.domain.questionnaire import Questionnaire
from assess.jobs import QueueUnavailable, hand_on_peer_groups
from assess.persistence.engine import WouldWait, without_waiting, writer_of
from assess.persistence.models.accounts import Role, User
from assess.persistence.models.assessments import Assessment, AssessmentKind
from assess.persistence.models.organisations import Organisation
from assess.persistence.models.questionnaires import QuestionnaireVersion
from assess.persistence.repository.accounts import organisation_for, role_in, user_for_api_key
from assess.persistence.repository.assessments import assessment_for
from assess.persistence.repository.exports import fail_export_job
from assess.persistence.repository.questionnaires import questionnaire_of, version_by_id
from assess.persistence.repository.reports import fail_report_job
from assess.persistence.repository.responses import Link, link_of, link_query
from assess.web.rate_limits import limit_bad_api_key, limit_respondent

T = TypeVar("T")


def get_session(request: Request) -> Iterator[Session]:
    """A database session for the request; the large peer groups its changes left
    pending are handed to a job after it (see `jobs.hand_on_peer_groups`)."""
    with Session(request.app.state.engine, expire_on_commit=False) as session:
        try:
            yield session
        finally:  # a change committed before a failure still counts
            hand_on_peer_groups(session, request.app.state.jobs)


def connection_for(request: Request) -> Connection:
    """A database connection for `with`, opened and closed by the caller's thread: the
    respondents' routes use it instead of SessionDep to do all their work in one turn
    (see `database_work`), in Core statements without a Session's bookkeeping.

    On PostgreSQL it runs in autocommit: each statement of those routes stands alone (a
    lookup, a conditional upsert), and BEGIN and COMMIT would only add round trips.
    SQLite's writes share transactions instead (see db.Writer).
    """
    engine: Engine = request.app.state.engine
    connection = engine.connect()
    if connection.dialect.name == "postgresql":
        connection.execution_options(isolation_level="AUTOCOMMIT")
    return connection


# The threads respondents' requests do their work in where not in the event loop. On
# PostgreSQL each statement waits for the network; three threads overlap those waits, and
# more only take turns at the GIL: bench/pages.py on PostgreSQL, page saves' p99 82-88 ms
# in anyio's forty threads, 49-52 ms in two or three, 58-66 ms in four.
RESPONDENT_THREADS = 3
# Seconds every one of those threads may work on one request before others go to anyio's
# threads instead: a statement that hangs (a lock held long, a network gone quiet) holds
# the respondents of the process this long, not until it ends.
STUCK_SECONDS = 1.0


class _RespondentThreads:
    """The respondents' own threads, and when each began the work it does now."""

    def __init__(self, threads: int) -> None:
        self.threads = threads
        self.executor = ThreadPoolExecutor(threads, thread_name_prefix="respondent")
        self.began: dict[int, float] = {}  # by thread

    def stuck(self) -> bool:
        """Whether each thread has worked on one request for longer than STUCK_SECONDS."""
        began = list(self.began.values())
        now = time.monotonic()
        return len(began) >= self.threads and all(now - b > STUCK_SECONDS for b in began)

    async def run(self, work: Callable[..., T], *args: Any) -> T:
        """`work(*args)` in one of the threads, with the caller's context variables (the
        request id of the log lines)."""
        context = contextvars.copy_context()
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, context.run, self._timed, work, args)

    def _timed(self, work: Callable[..., T], args: tuple[Any, ...]) -> T:
        thread = threading.get_ident()
        self.began[thread] = time.monotonic()
        try:
            return work(*args)
        finally:
            del self.began[thread]


_RESPONDENT_THREADS = _RespondentThreads(RESPONDENT_THREADS)


async def database_work(request: Request, work: Callable[..., T], *args: Any) -> T:
    """Run `work(*args)`, a respondent route's work with its own connection (its
    statements, checks and page): on SQLite in the event loop's thread when nothing would
    make it wait there, else in a worker thread.

    SQLite runs inside this process, its statements a fraction of a millisecond of the
    process's own CPU each, its writes in turns (see db.Writer). Handed to a worker thread,
    every request waited for the GIL on both sides of the hand-over, and at 16 respondents
    that cost more than the work: 1.75-2.2 ms of CPU per page request in threads, 1.0 ms
    in the loop, page saves' p99 51-67 ms against 30-43 ms (bench/pages.py). On
    PostgreSQL every statement waits for the network, and in a thread other requests run
    meanwhile: in the loop the same benchmark served no more and its p99 grew. The
    threads are a few of their own (RESPONDENT_THREADS), not anyio's forty, but for
    while all of them are stuck (STUCK_SECONDS).

    In the loop no write waits (see engine.without_waiting): one that finds SQLite's lock
    taken, by another thread's turn, a transaction outside the turns or another process,
    sends the whole work to a thread, from its start. A rate-limit count it made before
    that write is then counted twice: a respondent's limit comes a request early, at
    most once for each time the database was busy.
    """
    if _in_loop(request.app.state):
        try:
            with without_waiting():
                return work(*args)
        except WouldWait:
            pass  # a write of it would have waited: all of it again, in a thread
    if _RESPONDENT_THREADS.stuck():
        return await run_in_threadpool(work, *args)
    return await _RESPONDENT_THREADS.run(work, *args)


def _in_loop(state: Any) -> bool:
    """Whether a respondent's work may run in the event loop: on SQLite, in the only web
    process, while no other thread writes or waits to (in both cases its writes would
    often find the lock taken, and the work go to a thread after all, see database_work),
    and while the pool has a free connection (the loop would wait for one)."""
    if not state.work_in_loop:
        return False
    engine: Engine = state.engine
    writer = writer_of(engine)
    pool = engine.pool
    return (
        writer is not None
        and writer.idle()
        and isinstance(pool, QueuePool)
        and pool.checkedout() < pool.size()
    )


SessionDep = Annotated[Session, Depends(get_session)]


def server_key(request: Request) -> str:
    """The server's key: it signs form tokens and derives respondents' links."""
    key: str = request.app.state.secret_key
    return key


# What routes document besides success: an id that is missing or another tenant's, and
# (for routes that change an organisation) a member who is not its consultant.
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "Not found, or not yours."}}
MANAGED: dict[int | str, dict[str, Any]] = {
    **NOT_FOUND,
    403: {"description": "A member of the organisation; only consultants and admins may."},
}
Responses = dict[int | str, dict[str, Any]]


def declared(*parts: Mapping[int | str, dict[str, Any]]) -> Responses:
    """A route's responses from shared parts; a status given for several reasons names each."""
    merged: Responses = {}
    for part in parts:
        for status, response in part.items():
            if status in merged:
                description = f"{merged[status]['description']} {response['description']}"
                response = {**merged[status], **response, "description": description}
            merged[status] = dict(response)
    return merged


bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer ak_…`")


def current_user(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> User:
    """The user whose API key came with the request, or 401 (429 when the client's
    address sent too many wrong keys lately)."""
    user = None
    if credentials is not None:
        user = user_for_api_key(session, presented=credentials.credentials)
        if user is None:
            limit_bad_api_key(request)
    if user is None:
        raise HTTPException(
            401,
            "Send a valid API key as `Authorization: Bearer ak_…`.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user


UserDep = Annotated[User, Depends(current_user)]


def admin_user(user: UserDep) -> User:
    """The current user, who must be an admin of the instance."""
    if not user.is_admin:
        raise HTTPException(403, "Only admins of this instance may do this.")
    return user


AdminDep = Annotated[User, Depends(admin_user)]


def get_organisation(
    organisation_id: uuid.UUID, session: SessionDep, user: UserDep
) -> Organisation:
    """The organisation in the path, if the user may see it; else 404."""
    organisation = organisation_for(session, user=user, organisation_id=organisation_id)
    if organisation is None:
        raise HTTPException(404, "No such organisation.")
    return organisation


OrganisationDep = Annotated[Organisation, Depends(get_organisation)]


def get_assessment(assessment_id: uuid.UUID, session: SessionDep, user: UserDep) -> Assessment:
    """The assessment in the path, if the user may see its organisation; else 404."""
    assessment = assessment_for(session, user=user, assessment_id=assessment_id)
    if assessment is None:
        raise HTTPException(404, "No such assessment.")
    return assessment


AssessmentDep = Annotated[Assessment, Depends(get_assessment)]


def runs(session: Session, user: User, organisation_id: uuid.UUID) -> bool:
    """Whether the user runs the organisation: its consultant, or an admin."""
    if user.is_admin:
        return True
    return role_in(session, user=user, organisation_id=organisation_id) == Role.consultant


def _require_consultant(session: Session, user: User, organisation_id: uuid.UUID) -> None:
    if not runs(session, user, organisation_id):
        raise HTTPException(
            403, "Members see results; only the organisation's consultants and admins run it."
        )


def managed_organisation(
    organisation: OrganisationDep, session: SessionDep, user: UserDep
) -> Organisation:
    """The organisation in the path, if the user runs it (its consultant, or an admin).
    A member gets 403: they may know it exists."""
    _require_consultant(session, user, organisation.id)
    return organisation


ManagedOrganisationDep = Annotated[Organisation, Depends(managed_organisation)]


def managed_assessment(assessment: AssessmentDep, session: SessionDep, user: UserDep) -> Assessment:
    """The assessment in the path, if the user runs its organisation; members get 403."""
    _require_consultant(session, user, assessment.organisation_id)
    return assessment


ManagedAssessmentDep = Annotated[Assessment, Depends(managed_assessment)]


@dataclass(frozen=True)
class Asked:
    """What a respondent may answer in a questionnaire version, with the converters that
    check each answer (built once per version and process)."""

    questionnaire: Questionnaire
    items: dict[str, Column]
    profile: dict[str, Column]
    every_profile: dict[str, Column]  # in a study, organisation-scope questions too
    lead_items: frozenset[str] = frozenset()  # asked of the lead only (informant: lead)


def profile_columns(asked: Asked, link: Link) -> dict[str, Column]:
    """The profile questions a link may answer, with their checks: in a study those about
    the respondent's organisation too."""
    return asked.every_profile if link.assessment_kind == AssessmentKind.study else asked.profile


def with_invited_department(profile: dict[str, Any], asked: Asked, link: Link) -> dict[str, Any]:
    """The profile with the invitation's department: where the respondent chose none, or
    always unless the assessment lets respondents change it."""
    if link.department and "department" in asked.profile:
        if not link.departments_changeable:
            return {**profile, "department": link.department}
        return {"department": link.department, **profile}
    return profile


def department_fixed(asked: Asked, link: Link) -> bool:
    """Whether the respondent's department is the one their invitation assigned, not
    theirs to change."""
    return (
        bool(link.department)
        and "department" in asked.profile
        and not (link.departments_changeable)
    )


_asked: dict[uuid.UUID, Asked] = {}


def asked_in(connection: Connection, version_id: uuid.UUID) -> Asked:
    """The questionnaire of a version in use. Versions with assessments never change,
    so each is parsed once per process."""
    asked = _asked.get(version_id)
    if asked is None:
        with Session(connection) as session:
            questionnaire = questionnaire_of(version_by_id(session, version_id=version_id))
        columns = columns_of(questionnaire)
        # Items and, where the questionnaire asks it, each dimension's importance.
        items = {k for k, c in columns.items() if c.kind in ("item", "importance")}
        respondent = {p.id for p in questionnaire.profile if p.scope == "respondent"}
        every = {p.id for p in questionnaire.profile}
        asked = Asked(
            questionnaire,
            {k: c for k, c in columns.items() if k in items},
            {k: c for k, c in columns.items() if k in respondent},
            {k: c for k, c in columns.items() if k in every},
            questionnaire.lead_item_ids(),
        )
        _asked[version_id] = asked
    return asked


def open_link(request: Request, connection: Connection, token: str) -> tuple[Link, Asked]:
    """The link of a respondent's token and what it asks, the request counted against the
    rate limits first (TooManyRequests past them); 404 for any other string."""
    read = link_query(token) if len(token) < 200 else None
    row = limit_respondent(connection, request, token, read)
    link = link_of(row) if row is not None else None
    if link is None:
        raise HTTPException(404, "This link is not valid. Ask for a new one.")
    return link, asked_in(connection, link.questionnaire_version_id)


def version_of(session: Session, assessment: Assessment) -> QuestionnaireVersion:
    """The questionnaire version an assessment uses."""
    return version_by_id(session, version_id=assessment.questionnaire_version_id)


def queued(request: Request, session: Session, kind: str, job_id: uuid.UUID) -> bool:
    """Hand a report or export job to the queue; where the queue is briefly unavailable,
    fail the job (its page and lists say so) and answer False."""
    try:
        request.app.state.jobs.defer(kind, job_id=str(job_id))
    except QueueUnavailable:
        fail = fail_report_job if kind == "report" else fail_export_job
        fail(session, job_id=job_id, error="it could not be queued")
        return False
    return True


def queued_or_503(request: Request, session: Session, kind: str, job_id: uuid.UUID) -> None:
    """Hand a job to the queue, or answer an API client 503 with when to ask again."""
    if not queued(request, session, kind, job_id):
        raise HTTPException(
            503, "The job queue is briefly unavailable; ask again.", headers={"Retry-After": "5"}
        )
