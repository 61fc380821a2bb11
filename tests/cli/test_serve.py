"""`assess serve --workers N`: several web worker processes that share nothing but the
database, the server's key and their metrics."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session

from assess.cli.serve import shared_key_problem
from assess.config import Settings
from assess.persistence.engine import make_engine, upgrade
from assess.persistence.repository.accounts import create_user
from assess.persistence.repository.signin import set_password
from bench.workers import Server, serve
from tests.polling import until
from tests.web.browsing import PASSWORD, form_token

ROOT = Path(__file__).parents[2]
ROUNDS = 20  # of concurrent requests, until both workers have answered some


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`assess serve --workers 2` on a SQLite file (its key file shared) with one admin."""
    folder = tmp_path_factory.mktemp("serve")
    url = f"sqlite:///{folder / 'assess.db'}"
    upgrade(url)
    engine = make_engine(url, pool_size=1)
    with Session(engine) as session:
        user = create_user(session, email="ada@example.org", is_admin=True)
        set_password(session, user=user, password=PASSWORD)
    engine.dispose()
    with serve({"ASSESS_DATABASE_URL": url}, 2, folder) as server:
        yield server


def _cookies(response: httpx.Response) -> dict[str, str]:
    """The response's cookies as a Cookie header: they are Secure (__Host-), and a
    client's jar would not send them back over plain http."""
    return {"Cookie": "; ".join(f"{c.name}={c.value}" for c in response.cookies.jar)}


def _fresh(server: Server, method: str, path: str, **options: object) -> httpx.Response:
    """A request on a connection of its own, so that either worker may take it."""
    with httpx.Client(base_url=server.base, follow_redirects=False, timeout=60) as client:
        return client.request(method, path, **options)  # type: ignore[arg-type]


def _sign_in(server: Server) -> dict[str, str]:
    """Sign in through the form, the page and the post on separate connections."""
    page = _fresh(server, "GET", "/sign-in")
    sent = {"email": "ada@example.org", "password": PASSWORD, "form_token": form_token(page.text)}
    signed = _fresh(server, "POST", "/sign-in", data=sent, headers=_cookies(page))
    assert signed.status_code == 303, signed.text
    return _cookies(signed)


def _workers_of(server: Server, route: str) -> dict[int, int]:
    """Requests to `route` by the worker that answered them, from the workers' logs."""
    counts: dict[int, int] = {}
    for line in server.log.read_text().splitlines():
        if line.startswith("{") and '"event": "request"' in line:
            entry = json.loads(line)
            if entry.get("route") == route:
                counts[entry["pid"]] = counts.get(entry["pid"], 0) + 1
    return counts


def _requests_count(server: Server, route: str) -> float:
    metrics = _fresh(server, "GET", "/metrics").text
    labels = f'method="GET",route="{route}",status="200"'
    pattern = rf"assess_request_seconds_count\{{{re.escape(labels)}\}} (\S+)"
    found = re.search(pattern, metrics)
    return float(found.group(1)) if found else 0.0


@pytest.mark.slow
def test_sessions_and_form_tokens_hold_on_every_worker_and_metrics_add_up(
    two_workers: Server,
) -> None:
    cookies = _sign_in(two_workers)
    sent = 0
    with ThreadPoolExecutor(8) as pool:
        for _ in range(ROUNDS):
            pages = list(
                pool.map(
                    lambda _: _fresh(two_workers, "GET", "/dashboard", headers=cookies), range(16)
                )
            )
            sent += len(pages)
            assert [p.status_code for p in pages] == [200] * len(pages)
            if len(_workers_of(two_workers, "/dashboard")) == 2:
                break
    # A request's log line is written as its answer goes out: wait for the last ones.
    until(
        lambda: sum(_workers_of(two_workers, "/dashboard").values()) >= sent,
        timeout=10,
        message=lambda: f"{sent} sent, logged: {_workers_of(two_workers, '/dashboard')}",
    )
    served = _workers_of(two_workers, "/dashboard")
    assert set(served) == two_workers.worker_pids(), served
    assert sum(served.values()) == sent
    # Whichever worker answers /metrics counts the requests of both.
    assert _requests_count(two_workers, "/dashboard") == sent
    # A sign-in's form token and nonce come from one worker and are checked by another.
    for _ in range(6):
        assert _sign_in(two_workers)


def test_the_log_has_one_line_per_request_and_never_a_respondents_token(
    two_workers: Server,
) -> None:
    token = "Tok3nOfARespondent-NeverInTheLog"
    pages = [
        _fresh(two_workers, "GET", f"/r/{token}/level/1"),
        _fresh(two_workers, "PUT", f"/api/v1/respond/{token}", json={"answers": {}}),
    ]
    assert [p.status_code for p in pages] == [404, 404]
    routes = ("/r/{token}/level/{number}", "/api/v1/respond/{token}")
    until(
        lambda: all(sum(_workers_of(two_workers, r).values()) >= 1 for r in routes),
        timeout=10,
        message=lambda: two_workers.log.read_text()[-2000:],
    )
    log = two_workers.log.read_text()
    assert token not in log
    assert [sum(_workers_of(two_workers, r).values()) for r in routes] == [1, 1]
    assert '"logger": "uvicorn.access"' not in log


def test_serving_several_workers_needs_a_key_they_share(tmp_path: Path) -> None:
    postgres = "postgresql+psycopg://postgres@127.0.0.1:5432/assess"
    assert "set ASSESS_SECRET_KEY" in (shared_key_problem(Settings(database_url=postgres)) or "")
    assert shared_key_problem(Settings(database_url=postgres, secret_key="k" * 32)) is None
    memory = shared_key_problem(Settings(database_url="sqlite://"))
    assert memory is not None
    assert "in-memory" in memory
    assert shared_key_problem(Settings(database_url=f"sqlite:///{tmp_path / 'a.db'}")) is None
    assert (tmp_path / "a.db.key").is_file()


def test_serve_with_several_workers_stops_with_a_message_when_they_could_share_nothing() -> None:
    code = "from assess.cli.main import main; main()"
    run = subprocess.run(
        [sys.executable, "-c", code, "serve", "--workers", "2"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(ROOT),
            "ASSESS_DATABASE_URL": "sqlite://",
        },
        timeout=60,
    )
    assert run.returncode == 1
    assert "--workers 2: an in-memory SQLite database" in run.stderr
    assert "Traceback" not in run.stderr
