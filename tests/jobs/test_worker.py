"""`assess worker` as operators run it: a worker killed with SIGKILL in the middle of a
report leaves the job to the next worker, which completes it; on SQLite the command
says that no worker is needed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session
from typer.testing import CliRunner

from assess.cli.main import app as cli
from assess.config import get_settings
from assess.persistence.models.jobs import JobStatus, ReportJob
from tests.conftest import QUESTIONNAIRES, Caller, QueueWorker
from tests.polling import until
from tests.web.assessments import finished, make_assessment

ROOT = Path(__file__).parents[2]


def start_worker(database_url: str, log: Path) -> subprocess.Popen[bytes]:
    """`assess worker --concurrency 1` on the test database, in a process of its own,
    its log lines in `log`."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "ASSESS_DATABASE_URL": database_url,
        "ASSESS_SECRET_KEY": "a key every worker of the test shares",
        "ASSESS_QUESTIONNAIRES_DIR": str(QUESTIONNAIRES),
        "ASSESS_JOB_STALLED_SECONDS": "1",
        "ASSESS_JOB_BACKOFF_SECONDS": "0.2",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from assess.cli.main import main; main()",
            "worker",
            "--concurrency",
            "1",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb"),
    )


def status_of(session: Session, job_id: uuid.UUID) -> ReportJob:
    row = session.get(ReportJob, job_id, populate_existing=True)
    assert row is not None
    return row


def test_a_worker_killed_mid_report_leaves_the_job_to_the_next_worker(
    client: TestClient,
    session: Session,
    consultant: Caller,
    published: object,
    database_url: str,
    queue_worker: QueueWorker | None,
    tmp_path: Path,
) -> None:
    if queue_worker is None:
        pytest.skip("the job worker runs on PostgreSQL (ASSESS_TEST_DATABASE_URL)")
    assessment = make_assessment(client, consultant, "Killed GmbH")
    queue_worker.stop()  # only the workers of this test take the job
    first = second = None
    try:
        first = start_worker(database_url, tmp_path / "first.log")
        asked = client.post(
            f"/api/v1/assessments/{assessment}/reports",
            json={"language": "en"},
            headers=consultant.headers,
        ).json()
        job_id = uuid.UUID(asked["id"])
        until(
            lambda: status_of(session, job_id).status == JobStatus.running,
            timeout=120,
            every=0.02,
            message="the first worker never took the job",
        )
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        row = status_of(session, job_id)
        killed = (row.status, row.attempts)  # values: the row object is refreshed later

        started = time.monotonic()
        second = start_worker(database_url, tmp_path / "second.log")
        state = finished(client, asked["status_url"], consultant.headers, seconds=240)
        took = time.monotonic() - started
    finally:
        for worker in (first, second):
            if worker is not None and worker.poll() is None:
                worker.terminate()
                worker.wait(30)
        queue_worker.start()
    done = status_of(session, job_id)
    print(
        f"killed while {killed[0]} (try {killed[1]}); "
        f"then {done.status} after {done.attempts} tries, {took:.1f} s after the new worker started"
    )
    assert killed == (JobStatus.running, 1)
    assert state["status"] == "done", state
    assert done.attempts == 2
    assert "of a stopped worker runs again" in (tmp_path / "second.log").read_text()
    assert client.get(state["download_url"], headers=consultant.headers).content[:4] == b"%PDF"


def test_on_sqlite_the_worker_says_the_web_process_runs_jobs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSESS_DATABASE_URL", f"sqlite:///{tmp_path / 'a.db'}")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli, ["worker"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1
    assert "the web process (`assess serve`) runs reports, exports and snapshots" in result.output
