"""PostgreSQL restarts while respondents save and submit against two web workers: every
save or submit that was answered 2xx is in the database afterwards; the others were
answered 503 with Retry-After and succeeded when tried again."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from bench.respondents import Plan, Tally, Write, drive
from bench.workers import serve
from tests.faults.databases import KEY, seeded_database, stored_responses
from tests.faults.postgres import PrivatePostgres

RESPONDENTS = 36


def _found(write: Write, stored: dict[str, Any]) -> bool:
    """Whether an acknowledged write is in the stored response: its answers (later saves
    hold every earlier answer), and for a submit, submitted."""
    answers = stored["answers"]
    kept = all(answers.get(item) == value for item, value in write.answers.items())
    return kept and (write.kind == "save" or stored["status"] == "submitted")


@pytest.mark.slow
def test_a_postgresql_restart_mid_load_loses_no_acknowledged_answer(
    postgres_server: PrivatePostgres, tmp_path: Path
) -> None:
    url, seeded = seeded_database(postgres_server, RESPONDENTS)
    env = {
        "ASSESS_DATABASE_URL": url,
        "ASSESS_SECRET_KEY": KEY,
        "ASSESS_DATABASE_POOL_SIZE": "10",
        "ASSESS_LOG_FORMAT": "json",
    }
    # Respondents keep saving for a few seconds; the restart comes once a quarter of their
    # writes were acknowledged, and they wait a quarter of a second before trying a 503'd
    # request again.
    plan = Plan(
        seconds=60, ramp=2.0, think=(0.3, 1.0), tries=80, retry_wait=0.25, probe=False,
        reports=False,
    )  # fmt: skip
    tally = Tally()
    moments: dict[str, int] = {}
    stop = threading.Event()

    def restart() -> None:
        while len(tally.acknowledged) < RESPONDENTS and not stop.is_set():
            time.sleep(0.01)
        moments["before"] = len(tally.acknowledged)
        postgres_server.restart()
        moments["after"] = len(tally.acknowledged)

    with serve(env, 2, tmp_path) as server:
        restarter = threading.Thread(target=restart)
        restarter.start()
        started = time.perf_counter()
        try:
            asyncio.run(drive(server.base, seeded, plan, tally))
        finally:
            stop.set()
            restarter.join()
        log = server.log.read_text()

    writes = tally.acknowledged
    stored = stored_responses(url, {w.token for w in writes})
    found = sum(_found(w, stored[w.token]) for w in writes)
    print(
        f"sent {tally.sent}, acknowledged {len(writes)}, found {found}; answered 503 and "
        f"tried again: {tally.unavailable}; restart after {moments.get('before')} "
        f"acknowledged writes, back after {moments.get('after')}, load "
        f"{time.perf_counter() - started:.1f} s"
    )
    # On failure the server's log says why: its lines with the error, at the end.
    errors = [line for line in log.splitlines() if "Traceback" in line or "error" in line]
    assert not tally.errors, (tally.errors, errors[-20:])
    assert "Traceback" not in log, errors[-20:]
    assert '"status": 500' not in log, errors[-20:]
    assert 0 < moments["before"] <= moments["after"] < len(writes), moments
    assert tally.finished == RESPONDENTS
    assert found == len(writes)
