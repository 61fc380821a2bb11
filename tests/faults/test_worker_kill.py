"""A web worker killed (SIGKILL) in the middle of a submit: the response is either fully
submitted with every answer the submit carried, or still in progress as it was before;
never a mix. The same submit, tried again, succeeds."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from bench.workers import serve
from tests.faults.databases import KEY, seeded_database, stored_responses
from tests.faults.postgres import PrivatePostgres

WAIT_SECONDS = 30


def _answers(form: dict[str, Any], scale: int, dimensions: int) -> dict[str, Any]:
    """Answers to the first `dimensions` dimensions: scales at `scale`, the rest their
    first option, or yes."""
    answers: dict[str, Any] = {}
    for dimension in form["questionnaire"]["dimensions"][:dimensions]:
        for item in dimension["items"]:
            if item["type"] == "scale":
                answers[item["id"]] = min(max(scale, item["min"]), item["max"])
            elif item["type"] == "choice":
                answers[item["id"]] = item["options"][0]["value"]
            else:
                answers[item["id"]] = True
    return answers


def _process_with_port(port: int) -> int:
    """The process that holds the TCP connection from 127.0.0.1:`port` (Linux /proc)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(fields[9])
    for process in Path("/proc").iterdir():
        if not process.name.isdigit():
            continue
        try:
            for descriptor in (process / "fd").iterdir():
                target = os.readlink(descriptor)
                if target.startswith("socket:[") and target[8:-1] in inodes:
                    return int(process.name)
        except OSError:  # gone, or not ours to look at
            continue
    raise AssertionError(f"no process holds a connection from port {port}")


def _waiting_submit(dsn: str) -> tuple[int, int]:
    """The client port and server process of the statement waiting for the row lock."""
    deadline = time.monotonic() + WAIT_SECONDS
    with psycopg.connect(dsn, autocommit=True) as watcher:
        while time.monotonic() < deadline:
            row = watcher.execute(
                "SELECT client_port, pid FROM pg_stat_activity "
                "WHERE wait_event_type = 'Lock' AND query ILIKE '%INSERT INTO responses%'"
            ).fetchone()
            if row is not None:
                return row[0], row[1]
            time.sleep(0.05)
    raise AssertionError("the submit never reached the database")


def _gone(dsn: str, backend: int) -> None:
    """Wait until the killed worker's database session has ended, however it ended."""
    deadline = time.monotonic() + WAIT_SECONDS
    with psycopg.connect(dsn, autocommit=True) as watcher:
        while time.monotonic() < deadline:
            query = "SELECT 1 FROM pg_stat_activity WHERE pid = %s"
            if watcher.execute(query, (backend,)).fetchone() is None:
                return
            time.sleep(0.05)
    raise AssertionError("the killed worker's database session did not end")


@pytest.mark.slow
def test_a_worker_killed_mid_submit_leaves_no_half_written_response(
    postgres_server: PrivatePostgres, tmp_path: Path
) -> None:
    url, seeded = seeded_database(postgres_server, 1)
    token = seeded.tokens[0]
    env = {"ASSESS_DATABASE_URL": url, "ASSESS_SECRET_KEY": KEY, "ASSESS_DATABASE_POOL_SIZE": "5"}
    with (
        serve(env, 2, tmp_path) as server,
        httpx.Client(base_url=server.base, timeout=WAIT_SECONDS) as client,
    ):
        form = client.get(f"/api/v1/respond/{token}").json()
        saved = _answers(form, 2, 1)
        assert client.put(f"/api/v1/respond/{token}", json={"answers": saved}).status_code == 200
        final = _answers(form, 9, 3)
        submit = {
            "url": f"/api/v1/respond/{token}/submit",
            "json": {"answers": final},
            "headers": {"Idempotency-Key": "kill-test"},
        }
        outcome: list[object] = []

        def send() -> None:
            try:
                with httpx.Client(base_url=server.base, timeout=WAIT_SECONDS) as other:
                    outcome.append(other.post(**submit))  # type: ignore[arg-type]
            except httpx.HTTPError as error:
                outcome.append(error)

        # The response's row stays locked while the submit runs, so it waits in the
        # database for as long as the test likes: then its worker is killed.
        with psycopg.connect(postgres_server.dsn("assess")) as blocker:
            blocker.execute("SELECT id FROM responses FOR UPDATE")
            sender = threading.Thread(target=send)
            sender.start()
            port, backend = _waiting_submit(postgres_server.dsn("assess"))
            worker = _process_with_port(port)
            assert worker in server.worker_pids()
            os.kill(worker, signal.SIGKILL)
            sender.join(WAIT_SECONDS)
            blocker.rollback()
        _gone(postgres_server.dsn("assess"), backend)

        assert len(outcome) == 1
        assert isinstance(outcome[0], httpx.HTTPError), outcome  # no answer from the dead
        state = stored_responses(url, {token})[token]
        print(f"after the kill: {state['status']}")
        assert (state["status"], state["answers"]) in (
            ("in_progress", saved),
            ("submitted", final),
        )
        # On a connection of its own: the kept one may have been the killed worker's.
        with httpx.Client(base_url=server.base, timeout=WAIT_SECONDS) as retrying:
            again = retrying.post(**submit)  # type: ignore[arg-type]
        assert again.status_code == 200, again.text
        assert again.json()["status"] == "submitted"
        state = stored_responses(url, {token})[token]
        assert (state["status"], state["answers"]) == ("submitted", final)
