"""Save and submit answers under load, against a bare endpoint inserting one row.

Run: .venv/bin/python bench/submit.py [--clients 16] [--requests 3000] [--seconds 30]
     [--rounds 3] [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/test]

Both servers run under uvicorn on 127.0.0.1 with the same database kind, side by side;
the load alternates between them in `--rounds` rounds (app, bare, app, bare, …), each
bounded by its share of the request count and the time limit, so that a shared machine
that slows down or speeds up during the run weighs on both alike. Target: the app's
throughput at least 0.7x the bare endpoint's, p99 under 50 ms at 16 concurrent clients.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assess.domain.validation import load_questionnaire  # noqa: E402
from assess.persistence.engine import make_engine, upgrade  # noqa: E402
from assess.persistence.models.assessments import AssessmentStatus  # noqa: E402
from assess.persistence.repository.accounts import create_organisation, create_user  # noqa: E402
from assess.persistence.repository.assessments import create_assessment, set_status  # noqa: E402
from assess.persistence.repository.invitations import create_invitations  # noqa: E402
from assess.persistence.repository.questionnaires import publish_questionnaire  # noqa: E402

QUESTIONNAIRE = ROOT / "tests" / "questionnaires" / "service-check.yaml"
BENCH_KEY = "bench-key-for-links-only"
# The application as `assess serve` runs it: its logs configured, a line per request.
APP = "assess.cli.serve:create_worker_app"
ANSWERS = {
    "listen-feedback": 7,
    "listen-ignore": 2,
    "listen-nps": True,
    "act-owner": "team",
    "act-speed": 3,
    "share-wiki": True,
    "share-silo": 2,
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server(target: str, env: dict[str, str], factory: bool) -> Iterator[tuple[str, int]]:
    """A uvicorn process on a free loopback port, stopped afterwards."""
    port = free_port()
    args = [
        sys.executable,
        "-m",
        "uvicorn",
        target,
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
    ] + (["--factory"] if factory else [])
    # The service's logs (a JSON line per request, on stderr) are written as where it is
    # served, and dropped here.
    process = subprocess.Popen(args, env={**os.environ, **env}, cwd=ROOT, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(url + "/openapi.json", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield url, process.pid
    finally:
        process.terminate()
        process.wait(10)


def seed(url: str, invitations: int, questionnaire: Path = QUESTIONNAIRE) -> list[str]:
    """A published questionnaire, an open assessment and its invitation tokens."""
    source = questionnaire.read_text()
    parsed = load_questionnaire(questionnaire)
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as session:
        user = create_user(session, email=f"bench-{uuid.uuid4().hex}@example.org")
        version, _ = publish_questionnaire(
            session, questionnaire_id=parsed.id, version=parsed.version, source=source
        )
        org = create_organisation(session, name="Bench", creator=user)
        assessment = create_assessment(session, organisation=org, version=version, name="Load")
        set_status(session, assessment=assessment, status=AssessmentStatus.open)
        made = create_invitations(
            session,
            assessment=assessment,
            entries=[(f"r{i}", None) for i in range(invitations)],
            key=BENCH_KEY,
        )
    engine.dispose()
    return [token for _, token in made]


Request = Callable[[httpx.Client, int, int], int]


def drive(
    clients: int, total: int, seconds: float, request: Request
) -> tuple[float, list[float], int]:
    """Run `total` requests over `clients` threads (or stop at `seconds`).

    `request(client, worker, turn)` gets the worker's number and its own request count,
    so a worker can own its respondents and save before it submits.
    """
    # A full collection in this process pauses every client at once and would count as
    # the server's latency; nothing made before the run becomes garbage during it.
    gc.freeze()
    latencies: list[float] = []
    errors = 0
    counter = iter(range(total))
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker(number: int) -> None:
        nonlocal errors
        with httpx.Client(timeout=10) as client:
            for turn in itertools.count():
                with lock:
                    n = next(counter, None)
                if n is None or time.perf_counter() > deadline:
                    return
                start = time.perf_counter()
                try:
                    status = request(client, number, turn)
                except httpx.HTTPError:
                    status = 599  # connection failed: an error, not a crash of the driver
                elapsed = time.perf_counter() - start
                with lock:
                    latencies.append(elapsed)
                    errors += status >= 400

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start, latencies, errors


def cpu_seconds(pid: int) -> float:
    """CPU time a process has used so far (Linux; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Figures:
    """One server's requests over the rounds: latencies, wall and CPU seconds, errors."""

    name: str
    pid: int
    latencies: list[float] = field(default_factory=list)
    wall: float = 0.0
    cpu: float = 0.0
    errors: int = 0

    def add_round(self, clients: int, total: int, seconds: float, request: Request) -> float:
        """Drive the server for one round; that round's throughput."""
        before = cpu_seconds(self.pid)
        wall, latencies, errors = drive(clients, total, seconds, request)
        self.cpu += cpu_seconds(self.pid) - before
        self.wall += wall
        self.latencies += latencies
        self.errors += errors
        return len(latencies) / wall

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.wall

    def line(self) -> str:
        cuts = statistics.quantiles(self.latencies, n=100)
        cpu = self.cpu / max(len(self.latencies), 1)
        return (
            f"{self.name:22} {self.rate:6.0f} req/s   p50 {cuts[49] * 1000:6.1f} ms   "
            f"p99 {cuts[98] * 1000:6.1f} ms   server CPU {cpu * 1000:5.2f} ms/req   "
            f"errors {self.errors}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    rounds = max(args.rounds, 1)

    with tempfile.TemporaryDirectory() as folder:
        url, drop = database(args.database_url, Path(folder))
        try:
            upgrade(url)
            tokens = seed(url, args.requests + args.clients * rounds)  # enough for every worker
            env = {"ASSESS_DATABASE_URL": url}
            # Each worker owns every `clients`-th token: it saves one, then submits it.
            owned = [iter(tokens[worker :: args.clients]) for worker in range(args.clients)]
            current = [""] * args.clients

            def save_then_submit(client: httpx.Client, worker: int, turn: int) -> int:
                if turn % 2 == 0:
                    current[worker] = token = next(owned[worker])
                    body = {"answers": ANSWERS, "profile": {"team": "front"}}
                    return client.put(f"{app_url}/api/v1/respond/{token}", json=body).status_code
                token = current[worker]
                return client.post(f"{app_url}/api/v1/respond/{token}/submit").status_code

            def insert(client: httpx.Client, worker: int, turn: int) -> int:
                return client.post(f"{bare_url}/insert", json={"n": turn}).status_code

            print(
                f"database: {make_url(url).get_backend_name()}, {args.clients} clients, "
                f"{args.requests} requests at most and {args.seconds:.0f} s at most for each "
                f"server, in {rounds} alternating rounds"
            )
            share = (args.clients, args.requests // rounds, args.seconds / rounds)
            with (
                server(APP, env, factory=True) as (app_url, app_pid),
                server("bench.bare_app:app", env, factory=False) as (bare_url, bare_pid),
            ):
                app = Figures("assess save + submit", app_pid)
                bare = Figures("bare insert endpoint", bare_pid)
                for number in range(1, rounds + 1):
                    ratio = app.add_round(*share, save_then_submit) / bare.add_round(*share, insert)
                    print(f"round {number}: throughput ratio {ratio:.2f}x")
            print(app.line())
            print(bare.line())
            print(
                f"throughput ratio (assess / bare): {app.rate / bare.rate:.2f}x  (target >= 0.7x)"
            )
        finally:
            drop()


def database(server_url: str | None, folder: Path) -> tuple[str, Callable[[], None]]:
    """A fresh SQLite file, or a fresh database on the given PostgreSQL server."""
    if server_url is None:
        return f"sqlite:///{folder / 'bench.db'}", lambda: None
    name = f"assess_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    return make_url(server_url).set(database=name).render_as_string(hide_password=False), drop


if __name__ == "__main__":
    main()
