"""The job worker (`assess worker`) outlives its database failing under it: read-only for
a while (as after a failover to a standby), then restarted. It says so in its log, keeps
running, and renders the report asked for once the database takes writes again."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from bench.load import job_worker
from bench.respondents import Plan, Seeded, drive
from bench.workers import serve
from tests.faults.databases import KEY, seeded_database
from tests.faults.postgres import PrivatePostgres

RESPONDENTS = 3
READ_ONLY_SECONDS = 1.5
WAIT_SECONDS = 120


def _database(server: PrivatePostgres, statement: str) -> None:
    """Run `statement` on the server's own database, as an operator would."""
    with psycopg.connect(server.dsn(), autocommit=True) as connection:
        connection.execute(statement)  # type: ignore[arg-type]


def _report(base: str, seeded: Seeded) -> dict[str, Any]:
    """Ask for the assessment's report and follow it until it is done or failed; a 503
    (the database is back only just) is tried again."""
    headers = {"Authorization": f"Bearer {seeded.api_key}"}
    deadline = time.monotonic() + WAIT_SECONDS
    with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
        while True:
            asked = client.post(f"/api/v1/assessments/{seeded.assessment_id}/reports", json={})
            if asked.status_code != 503:
                break
            assert time.monotonic() < deadline, asked.text
            time.sleep(0.5)
        assert asked.status_code == 202, asked.text
        while True:
            state = client.get(asked.json()["status_url"])
            if state.status_code == 200 and state.json()["status"] in ("done", "failed"):
                return dict(state.json())
            assert time.monotonic() < deadline, state.text
            time.sleep(0.5)


@pytest.mark.slow
def test_the_job_worker_outlives_a_read_only_spell_and_a_restart_of_its_database(
    postgres_server: PrivatePostgres, tmp_path: Path
) -> None:
    url, seeded = seeded_database(postgres_server, RESPONDENTS)
    env = {"ASSESS_DATABASE_URL": url, "ASSESS_SECRET_KEY": KEY, "ASSESS_LOG_FORMAT": "json"}
    env["ASSESS_JOB_STALLED_SECONDS"] = "2"  # a heartbeat, a write, every half second
    plan = Plan(
        seconds=60, ramp=0.1, think=(0.0, 0.05), tries=40, retry_wait=0.25, probe=False,
        reports=False,
    )  # fmt: skip
    with job_worker(env, tmp_path), serve(env, 1, tmp_path) as server:
        tally, _ = asyncio.run(drive(server.base, seeded, plan))
        assert (tally.finished, tally.errors) == (RESPONDENTS, {})
        # New connections are read-only, and the worker's present ones are cut.
        _database(postgres_server, "ALTER DATABASE assess SET default_transaction_read_only = on")
        _database(
            postgres_server,
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = 'assess' AND pid <> pg_backend_pid()",
        )
        time.sleep(READ_ONLY_SECONDS)  # the spell itself: how long the database refuses writes
        _database(postgres_server, "ALTER DATABASE assess RESET default_transaction_read_only")
        postgres_server.restart()
        started = time.monotonic()
        state = _report(server.base, seeded)
        took = time.monotonic() - started
    log = (tmp_path / "worker.log").read_text(errors="replace")
    failures = log.count("failed under the worker")
    print(
        f"the worker logged {failures} failures of its database; the report was "
        f"{state['status']} {took:.1f} s after the restart"
    )
    assert state["status"] == "done", state
    assert failures >= 1
    assert "ReadOnlySqlTransaction" in log
