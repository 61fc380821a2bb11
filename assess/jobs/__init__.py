"""Background jobs: reports and portfolios, research export files, score snapshots, the
distributions of large peer groups after the pool changed.

One set of task functions (`assess.jobs.tasks`), run one of two ways, chosen by the
database: on PostgreSQL a queue in the database (procrastinate) that `assess worker`
processes take jobs from, so no web process runs one; on SQLite a pool of threads in
the web process, so the embedded default needs no second process.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any, Protocol

from sqlalchemy import Engine
from sqlmodel import Session

from assess.config import Settings
from assess.jobs.tasks import Attempt, recompute_snapshot
from assess.persistence.repository.peer_group_figures import PENDING

logger = logging.getLogger("assess.jobs")


class QueueUnavailable(Exception):
    """A job could not be put in the queue (the database is away)."""


class Runner(Protocol):
    """What the web processes hand jobs to."""

    def defer(self, task: str, **arguments: Any) -> None:
        """Run a job (report, export, snapshot) in the background."""

    def resume(self, engine: Engine) -> None:
        """Hand on jobs whose records were kept but never handed on."""

    def close(self) -> None:
        """Take no more jobs."""


def uses_queue(engine: Engine) -> bool:
    """Whether jobs go to the PostgreSQL queue (else the web process runs them)."""
    return engine.dialect.name == "postgresql"


def runner_for(engine: Engine, settings: Settings) -> Runner:
    """The way this database runs jobs."""
    if uses_queue(engine):
        from assess.jobs.queue import QueueRunner

        return QueueRunner.of(settings.database_url)
    from assess.jobs.local import LocalRunner

    return LocalRunner(engine, settings)


def defer_snapshot(
    bind: Engine | Session,
    assessment_id: uuid.UUID,
    *,
    settings: Settings,
    k: int | None = None,
) -> None:
    """Keep a closed assessment's score snapshot anew from its submitted responses (after
    answers were erased, say), with `k` or else the benchmark k: on PostgreSQL a job for
    the worker (with the worker's settings), on SQLite at once with `settings`."""
    engine = bind.get_bind() if isinstance(bind, Session) else bind
    assert isinstance(engine, Engine)  # sessions of this project are bound to one engine
    if uses_queue(engine):
        from assess.jobs.queue import QueueRunner

        url = engine.url.render_as_string(hide_password=False)
        arguments: dict[str, Any] = {"assessment_id": str(assessment_id)}
        if k is not None:
            arguments["k"] = k
        QueueRunner.of(url).defer("snapshot", **arguments)
        return
    recompute_snapshot(Attempt(engine, settings), str(assessment_id), k)


def hand_on_peer_groups(session: Session, runner: Runner) -> None:
    """Hand the pools whose large peer groups a session's changes left pending (see
    `peer_group_figures.refresh_pending`) to a job each, once it has committed; one
    waiting job per pool does the work of many changes."""
    for pool_key in sorted(session.info.pop(PENDING, ())):
        try:
            runner.defer("peer_groups", pool_key=pool_key)
        except QueueUnavailable as exc:  # the pool's next change hands them on again
            logger.warning("pending peer groups of pool %s not handed on: %s", pool_key, exc)
