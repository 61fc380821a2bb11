"""Test setup: a migrated database for the run (SQLite, or PostgreSQL when
ASSESS_TEST_DATABASE_URL names a server), emptied after every test."""

from __future__ import annotations

import asyncio
import inspect
import os
import threading
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel

from assess.config import Settings
from assess.domain.validation import load_questionnaire
from assess.main import create_app
from assess.persistence.engine import make_engine, upgrade
from assess.persistence.errors import RefusedWrites
from assess.persistence.models.accounts import User
from assess.persistence.repository.accounts import create_api_key, create_user

ROOT = Path(__file__).parent.parent
QUESTIONNAIRES = ROOT / "questionnaires"
SERVICE_CHECK = Path(__file__).parent / "questionnaires" / "service-check.yaml"
BROWSER_TESTS = Path(__file__).parent / "browser"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """On PostgreSQL (CI's second pass) only the tests that open a database run: the
    test database (the `database_url` fixture) or a server named by
    ASSESS_TEST_DATABASE_URL. The others opened none in the SQLite pass either, so a
    second run would test the same thing again. The browser tests run in the SQLite pass
    only: they drive the pages through Chromium, and every write they make goes through
    routes that the page and API tests run on PostgreSQL. Where CI runs both passes side
    by side (ASSESS_CI_BESIDE_POSTGRESQL), slow tests that need neither pass's database
    run in the PostgreSQL pass only, so that both end at about the same time."""
    beside = bool(os.environ.get("ASSESS_CI_BESIDE_POSTGRESQL"))
    if not os.environ.get("ASSESS_TEST_DATABASE_URL"):
        if beside:  # CI's two passes share the two cores: even out their lengths
            moved = pytest.mark.skip(reason="runs in the PostgreSQL pass beside this one")
            for item in items:
                if _moves_to_postgresql(item):
                    item.add_marker(moved)
        return
    again = pytest.mark.skip(reason="opens no database: the SQLite pass ran it already")
    browsing = pytest.mark.skip(reason="a browser test: the SQLite pass ran it already")
    for item in items:
        if beside and _moves_to_postgresql(item):
            continue
        if not _opens_a_database(item):
            item.add_marker(again)
        elif BROWSER_TESTS in Path(str(item.path)).parents:
            item.add_marker(browsing)


def _moves_to_postgresql(item: pytest.Item) -> bool:
    """Whether a test runs in CI's PostgreSQL pass rather than the SQLite pass: one that
    starts a PostgreSQL server of its own, or one marked `beside_postgresql`."""
    private = "postgres_server" in getattr(item, "fixturenames", ())
    return private or item.get_closest_marker("beside_postgresql") is not None


def _opens_a_database(item: pytest.Item) -> bool:
    if {"database_url", "empty_url"} & set(getattr(item, "fixturenames", ())):
        return True
    function = getattr(item, "function", None)
    try:
        source = inspect.getsource(function) if function is not None else ""
    except (OSError, TypeError):
        return True  # cannot tell: run it
    return "ASSESS_TEST_DATABASE_URL" in source


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A freshly migrated database; on PostgreSQL created for this run and dropped after."""
    server = os.environ.get("ASSESS_TEST_DATABASE_URL")
    if not server:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'assess.db'}"
        upgrade(url)
        yield url
        _forget_shared(url)
        return
    name = f"assess_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        yield url
    finally:
        _forget_shared(url)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


class QueueWorker:
    """A job worker (what `assess worker` runs) on a thread of the test process, so
    jobs that PostgreSQL runs through its queue run during tests; it can be paused for
    a test that runs its own workers."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.engine = make_engine(settings.database_url, pool_size=4)
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Take jobs from the queue, on a thread of its own."""
        from assess.jobs.queue import work

        loop = asyncio.new_event_loop()
        task = loop.create_task(
            work(self.settings, concurrency=2, engine=self.engine, handle_signals=False)
        )

        def run() -> None:
            with suppress(asyncio.CancelledError):
                loop.run_until_complete(task)
            loop.close()

        self._loop, self._task = loop, task
        self._thread = threading.Thread(target=run, name="job-worker", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop taking jobs; the running ones finish first."""
        if self._thread is None or self._loop is None or self._task is None:
            return
        self._loop.call_soon_threadsafe(self._task.cancel)
        self._thread.join(60)
        self._thread = None


@pytest.fixture(scope="session")
def queue_worker(database_url: str) -> Iterator[QueueWorker | None]:
    """On PostgreSQL a job worker for the whole run; on SQLite none (the application runs
    its jobs itself)."""
    if not database_url.startswith("postgresql"):
        yield None
        return
    worker = QueueWorker(
        Settings(
            database_url=database_url,
            questionnaires_dir=QUESTIONNAIRES,
            job_backoff_seconds=0.2,
            job_stalled_seconds=5,
        )
    )
    worker.start()
    yield worker
    worker.stop()
    worker.engine.dispose()


@pytest.fixture(autouse=True)
def _jobs_run(request: pytest.FixtureRequest) -> None:
    """Every test on the database runs with its jobs running (see queue_worker)."""
    if "database_url" in request.fixturenames:
        request.getfixturevalue("queue_worker")


def application(database_url: str, **settings: Any) -> Iterator[FastAPI]:
    """The application on the test database, with `settings` besides; every table is
    emptied afterwards."""
    made = create_app(
        Settings(database_url=database_url, questionnaires_dir=QUESTIONNAIRES, **settings)
    )
    yield made
    _empty(made)
    made.state.engine.dispose()


def _empty(made: FastAPI) -> None:
    with made.state.engine.begin() as connection:
        for table in reversed(SQLModel.metadata.sorted_tables):
            connection.execute(table.delete())


@dataclass
class Shared:
    """The application the tests with the default settings take turns with: FastAPI
    builds an application's routes on its first request (about a tenth of a second), so
    each test making its own would spend more on that than most spend on themselves."""

    app: FastAPI
    state: dict[str, Any]  # as made: what a test replaced is put back
    routes: int
    started: list[bool]  # whether a test ran its startup and shutdown

    @classmethod
    def make(cls, database_url: str) -> Shared:
        made = create_app(Settings(database_url=database_url, questionnaires_dir=QUESTIONNAIRES))
        started: list[bool] = []
        lifespan = made.router.lifespan_context

        @asynccontextmanager
        async def noted(app: FastAPI) -> AsyncIterator[Any]:
            started.append(True)
            async with lifespan(app) as state:
                yield state

        made.router.lifespan_context = noted
        return cls(made, dict(made.state._state), len(made.router.routes), started)

    def reusable(self) -> bool:
        """Whether the next test may have it: no routes were added, and its jobs were
        not stopped by a shutdown."""
        return len(self.app.router.routes) == self.routes and not self.started

    def reset(self) -> None:
        """Its state as made, and nothing remembered of the last test."""
        self.app.state._state.clear()
        self.app.state._state.update(self.state)
        self.app.state.refused_writes = RefusedWrites()
        self.app.state.metrics.clear()


_shared: dict[str, Shared] = {}


def _forget_shared(database_url: str) -> None:
    shared = _shared.pop(database_url, None)
    if shared is not None:
        shared.app.state.engine.dispose()


@pytest.fixture
def app(database_url: str) -> Iterator[FastAPI]:
    """The application on the test database with the default settings; every table is
    emptied afterwards. Tests take turns with one (see Shared); one that adds routes or
    runs its startup and shutdown leaves it behind, and the next gets a new one."""
    shared = _shared.pop(database_url, None) or Shared.make(database_url)
    yield shared.app
    _empty(shared.app)
    if not shared.reusable():
        shared.app.state.engine.dispose()
        return
    shared.reset()
    _shared[database_url] = shared


@pytest.fixture
def session(app: FastAPI) -> Iterator[Session]:
    """A session on the application's database, for arranging and checking."""
    with Session(app.state.engine, expire_on_commit=False) as s:
        yield s


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    """An HTTP client for the application."""
    return TestClient(app)


@dataclass(frozen=True)
class Caller:
    """A user and the Authorization header of one of their API keys."""

    user: User
    headers: dict[str, str]


def make_caller(session: Session, email: str, *, admin: bool = False) -> Caller:
    """A user with an API key."""
    user = create_user(session, email=email, is_admin=admin)
    _, key = create_api_key(session, user=user, name="tests")
    return Caller(user, {"Authorization": f"Bearer {key}"})


def add_member(
    client: TestClient, organisation_id: str, by: Caller, member: Caller, role: str = "member"
) -> None:
    """`member` joins the organisation as people do: `by` invites them, they accept."""
    invited = client.put(
        f"/api/v1/organisations/{organisation_id}/members",
        json={"email": member.user.email, "role": role},
        headers=by.headers,
    )
    assert invited.status_code == 202, invited.text
    pending = client.get("/api/v1/membership-invitations", headers=member.headers).json()
    [invitation] = [i for i in pending if i["organisation_id"] == str(organisation_id)]
    accepted = client.post(
        f"/api/v1/membership-invitations/{invitation['id']}/accept", headers=member.headers
    )
    assert accepted.status_code == 200, accepted.text


@pytest.fixture
def admin(session: Session) -> Caller:
    """An admin of the instance."""
    return make_caller(session, "admin@example.org", admin=True)


@pytest.fixture
def consultant(session: Session) -> Caller:
    """A consultant without any organisation yet."""
    return make_caller(session, "consultant@example.org")


@pytest.fixture
def published(client: TestClient, admin: Caller) -> dict[str, object]:
    """The test questionnaire (service-check) and version 1 of the default one, published:
    the service's tests answer version 1, whose items stay as they are (tests that need
    the newest version ask for `published_newest`)."""
    return _publish(client, admin, [SERVICE_CHECK, QUESTIONNAIRES / "cx-maturity.yaml"])


@pytest.fixture
def published_newest(client: TestClient, admin: Caller) -> dict[str, object]:
    """service-check and every bundled questionnaire file, published in version order, as
    `make run` does: new assessments of cx-maturity get its newest version."""
    bundled = sorted(QUESTIONNAIRES.glob("*.yaml"), key=lambda p: load_questionnaire(p).version)
    return _publish(client, admin, [SERVICE_CHECK, *bundled])


def _publish(client: TestClient, admin: Caller, paths: list[Path]) -> dict[str, object]:
    for path in paths:
        body = path.read_text(encoding="utf-8")
        response = client.post(
            "/api/v1/questionnaires",
            content=body.encode(),
            headers={**admin.headers, "Content-Type": "application/yaml"},
        )
        assert response.status_code == 201, response.text
    return client.get("/api/v1/questionnaires").json()
