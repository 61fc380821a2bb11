"""Background jobs on both ways of running them (the PostgreSQL queue and its worker, or
the web process on SQLite): a report to done, a retry after a failure on our side, a job
that fails every time, a refused request, score snapshots, metrics, failed jobs listed."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select
from typer.testing import CliRunner

from assess import jobs
from assess.cli.main import app as cli
from assess.config import Settings, get_settings
from assess.jobs import reports as report_jobs
from assess.jobs.tasks import INTERNAL_ERROR
from assess.persistence.models.assessments import Assessment
from assess.persistence.models.jobs import ReportJob
from assess.persistence.models.responses import Response, ScoreSnapshot
from assess.persistence.repository.jobs import queue_jobs_by_task_and_status
from assess.reporting.inputs import Inputs
from tests.conftest import Caller, QueueWorker, application
from tests.web.assessments import finished, make_assessment, queued_report

API = "/api/v1"


@pytest.fixture
def app(database_url: str) -> Iterator[FastAPI]:
    """The application, trying failed jobs again after a short wait."""
    yield from application(database_url, job_backoff_seconds=0.1)


def ask_for_report(client: TestClient, caller: Caller, name: str, **options: Any) -> dict:
    assessment = make_assessment(client, caller, name, **options)
    asked = client.post(
        f"{API}/assessments/{assessment}/reports", json={"language": "en"}, headers=caller.headers
    )
    assert asked.status_code == 202, asked.text
    return dict(asked.json())


def record_of(session: Session, job: dict) -> ReportJob:
    row = session.get(ReportJob, uuid.UUID(job["id"]), populate_existing=True)
    assert row is not None
    return row


def queue_counts(session: Session) -> dict[tuple[str, str], int]:
    return queue_jobs_by_task_and_status(session.connection())


@pytest.mark.slow
def test_a_report_job_runs_to_done_and_on_postgresql_only_a_worker_runs_it(
    app: FastAPI,
    client: TestClient,
    session: Session,
    consultant: Caller,
    published: object,
    queue_worker: QueueWorker | None,
) -> None:
    if queue_worker is None:  # SQLite: the web process runs it
        job = ask_for_report(client, consultant, "Local GmbH")
        assert finished(client, job["status_url"], consultant.headers)["status"] == "done"
        assert not jobs.uses_queue(app.state.engine)
        return
    queue_worker.stop()
    try:
        job = ask_for_report(client, consultant, "Queued GmbH")
        time.sleep(1)  # a second in which nothing may take it: there is no event to wait for
        waiting = client.get(job["status_url"], headers=consultant.headers).json()
        assert waiting["status"] == "queued"  # no web process runs it
        assert queue_counts(session)[("assess.report", "todo")] == 1
    finally:
        queue_worker.start()
    state = finished(client, job["status_url"], consultant.headers)
    assert state["status"] == "done", state
    assert record_of(session, job).attempts == 1
    assert ("assess.report", "todo") not in queue_counts(session)


def _flaky(fails: int, seen: list[int]) -> Any:
    """A renderer that fails `fails` times on our side, then renders."""
    render = report_jobs.render

    def flaky(inputs: Inputs, settings: Settings) -> tuple[bytes, str]:
        seen.append(1)
        if len(seen) <= fails:
            raise RuntimeError(f"renderer fell over (try {len(seen)})")
        return render(inputs, settings)

    return flaky


@pytest.mark.slow
def test_a_job_that_fails_on_our_side_is_tried_again_and_succeeds(
    client: TestClient,
    session: Session,
    consultant: Caller,
    published: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tries: list[int] = []
    monkeypatch.setattr(report_jobs, "render", _flaky(1, tries))
    job = ask_for_report(client, consultant, "Wobbly GmbH")
    state = finished(client, job["status_url"], consultant.headers, seconds=60)
    assert state["status"] == "done", state
    row = record_of(session, job)
    print(f"tries={len(tries)} attempts={row.attempts} noted={row.failure!r}")
    assert (len(tries), row.attempts) == (2, 2)
    assert row.failure == "RuntimeError: renderer fell over (try 1)"
    pdf = client.get(state["download_url"], headers=consultant.headers)
    assert pdf.content.startswith(b"%PDF")


def test_a_job_that_crashes_every_time_fails_with_its_error_visible(
    client: TestClient,
    session: Session,
    consultant: Caller,
    published: object,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tries: list[int] = []
    monkeypatch.setattr(report_jobs, "render", _flaky(99, tries))
    job = ask_for_report(client, consultant, "Broken GmbH")
    state = finished(client, job["status_url"], consultant.headers, seconds=60)
    assert state["status"] == "failed"
    assert state["error"] == INTERNAL_ERROR  # no internals for the requester
    download = client.get(job["status_url"] + "/pdf", headers=consultant.headers)
    assert download.status_code == 409
    row = record_of(session, job)
    assert (len(tries), row.attempts) == (3, 3)
    assert row.failure == "RuntimeError: renderer fell over (try 3)"

    monkeypatch.setenv("ASSESS_DATABASE_URL", database_url)
    get_settings.cache_clear()
    try:
        listed = CliRunner().invoke(cli, ["jobs", "list", "--failed"])
        counts = CliRunner().invoke(cli, ["jobs", "list"])
    finally:
        get_settings.cache_clear()
    assert listed.exit_code == 0, listed.output
    assert f"report     {job['id']}" in listed.output
    assert "tries=3" in listed.output
    assert "on our side: RuntimeError: renderer fell over (try 3)" in listed.output
    assert "report     failed   1" in counts.output


def test_a_request_that_cannot_be_met_fails_at_once_without_another_try(
    app: FastAPI, client: TestClient, session: Session, consultant: Caller, published: object
) -> None:
    assessment = make_assessment(client, consultant, "Empty GmbH", answers=None)
    job = queued_report(session, consultant, assessment, "en")
    app.state.jobs.defer("report", job_id=str(job.id))
    url = f"{API}/assessments/{assessment}/reports/{job.id}"
    state = finished(client, url, consultant.headers)
    assert state["status"] == "failed"
    assert "no submitted responses" in state["error"]
    row = record_of(session, state)
    assert (row.attempts, row.failure) == (1, None)


def test_a_snapshot_recomputed_as_a_job_follows_erased_answers(
    app: FastAPI, client: TestClient, session: Session, consultant: Caller, published: object
) -> None:
    assessment_id = uuid.UUID(make_assessment(client, consultant, "Erased GmbH"))

    def respondents() -> int:
        session.expire_all()
        snapshot = session.exec(
            select(ScoreSnapshot).where(ScoreSnapshot.assessment_id == assessment_id)
        ).one()
        return int(snapshot.result["respondents"])

    before = respondents()
    first = session.exec(select(Response).where(Response.assessment_id == assessment_id)).first()
    session.delete(first)
    session.commit()
    jobs.defer_snapshot(session, assessment_id, settings=app.state.settings)
    deadline = time.monotonic() + 30
    while respondents() != before - 1 and time.monotonic() < deadline:
        time.sleep(0.1)
    print(f"respondents in the snapshot: {before} -> {respondents()}")
    assert respondents() == before - 1
    assessment = session.get(Assessment, assessment_id)
    assert assessment is not None
    assert assessment.closed_at is not None


@pytest.mark.slow
def test_metrics_count_jobs_by_kind_and_status_and_reports_rendered(
    app: FastAPI, client: TestClient, consultant: Caller, published: object
) -> None:
    job = ask_for_report(client, consultant, "Counted GmbH")
    assert finished(client, job["status_url"], consultant.headers)["status"] == "done"
    text_ = client.get("/metrics").text
    assert 'assess_jobs{kind="report",status="done"} 1.0' in text_
    assert 'assess_jobs{kind="export",status="failed"} 0.0' in text_
    assert "assess_reports_rendered_total 1.0" in text_
    assert ("assess_queue_jobs{" in text_) == jobs.uses_queue(app.state.engine)
