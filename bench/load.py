"""Respondents under load against two web workers and PostgreSQL, while reports render.

Run: .venv/bin/python bench/load.py [--respondents 200] [--seconds 60] [--workers 2]
     [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres]

`assess serve --workers 2` runs on a free port of 127.0.0.1 against a fresh database made
on the PostgreSQL server given (--database-url, else ASSESS_BENCH_DATABASE_URL, else
127.0.0.1:5432 as postgres) and dropped afterwards. It holds the default questionnaire
and an open assessment with one invitation per respondent. Every respondent starts at a
random moment of the first third of the time, opens its link, and for each dimension
thinks (1 to 5 s: --think), then saves all its answers so far; then it submits. Meanwhile an
admin asks for the assessment's PDF report, waits for it, and asks again. The load ends
when every respondent has submitted, or at the time limit.

Baseline, under the same load at the same moments: before each save the respondent asks
for /healthz, which touches neither database nor templates; the ratios say what the app's
own work adds to the server's and client's floor. The client shares the machine's cores
with the server. Target: zero errors, save p99 under 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assess.persistence.engine import upgrade  # noqa: E402
from bench.respondents import Plan, Tally, drive, seed_assessment  # noqa: E402
from bench.submit import database  # noqa: E402
from bench.workers import Cpu, serve  # noqa: E402

QUESTIONNAIRE = ROOT / "questionnaires" / "cx-maturity.yaml"
DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
T = TypeVar("T")
TARGET_SAVE_P99 = 100.0  # milliseconds
ROWS = (
    ("healthz", "GET  /healthz (baseline)"),
    ("open", "open GET  /api/v1/respond/{t}"),
    ("save", "save PUT  /api/v1/respond/{t}"),
    ("submit", "submit POST …/{t}/submit"),
)


def percentiles(seconds: list[float]) -> tuple[float, float]:
    """p50 and p99 of timings, in milliseconds."""
    if len(seconds) < 2:
        only = seconds[0] * 1000 if seconds else float("nan")
        return only, only
    cuts = statistics.quantiles(seconds, n=100, method="inclusive")
    return cuts[49] * 1000, cuts[98] * 1000


def report(tally: Tally, wall: float, respondents: int, used: Cpu) -> None:
    """Print the figures, their ratios to the baseline's, and the target's verdict."""
    base50, base99 = percentiles(tally.timings.get("healthz", []))
    for kind, name in ROWS:
        timings = tally.timings.get(kind, [])
        p50, p99 = percentiles(timings)
        line = f"{name:32} {len(timings):6} x   p50 {p50:7.2f} ms   p99 {p99:7.2f} ms"
        if kind != "healthz":
            line += f"   ratio to baseline: p50 {p50 / base50:5.1f}x  p99 {p99 / base99:5.1f}x"
        print(line)
    answered = sum(len(tally.timings.get(kind, [])) for kind in ("open", "save", "submit"))
    writes = len(tally.timings.get("save", [])) + len(tally.timings.get("submit", []))
    print(
        f"throughput: {answered / wall:.1f} respondent requests/s ({writes / wall:.1f} saves "
        f"and submits/s) over {wall:.1f} s; {tally.finished} of {respondents} respondents "
        "submitted"
    )
    requests = max(sum(len(t) for t in tally.timings.values()), 1)
    print(
        f"CPU per request: web workers {used.workers / requests * 1000:.2f} ms, client "
        f"{used.client / requests * 1000:.2f} ms; the job worker and its report rendering "
        f"{used.jobs:.1f} s in all, the rest of the server {used.others:.1f} s; the cores "
        f"were {used.machine / wall / (os.cpu_count() or 1):.0%} busy, "
        f"{(used.machine - used.workers - used.others - used.jobs - used.client) / wall:.2f} "
        "cores of it by other programs (the database among them)"
    )
    made = ", ".join(f"{status} {n}" for status, n in sorted(tally.reports.items()))
    print(f"reports alongside: {made or 'none'}")
    errors = sum(tally.errors.values())
    kinds = ", ".join(f"{kind} x{n}" for kind, n in tally.errors.most_common(5))
    print(f"errors {errors}" + (f" ({kinds})" if kinds else ""))
    save99 = percentiles(tally.timings.get("save", []))[1]
    met = errors == 0 and save99 < TARGET_SAVE_P99 and tally.finished == respondents
    print(
        f"target: zero errors, every respondent submitted, save p99 under "
        f"{TARGET_SAVE_P99:.0f} ms: {'met' if met else 'missed'} ({save99:.1f} ms)"
    )


def run(load: Coroutine[Any, Any, T]) -> T:
    """Run the load on uvloop where it is installed (uvicorn's standard extras bring it):
    the client's share of the cores is then smaller."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(load)
    return uvloop.run(load)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add = parser.add_argument
    add("--respondents", type=int, default=200, help="each with a link of its own (200)")
    add("--seconds", type=float, default=60, help="time limit of the load (60)")
    add("--workers", type=int, default=2, help="web worker processes (2)")
    add("--database-url", help="PostgreSQL server to make the database on")
    add(
        "--think",
        type=float,
        nargs=2,
        default=(1.0, 5.0),
        metavar=("MIN", "MAX"),
        help="seconds a respondent takes for a dimension, at random between (1 5)",
    )
    args = parser.parse_args()
    if args.respondents < 1 or args.seconds <= 0 or not 0 <= args.think[0] <= args.think[1]:
        parser.error(
            "--respondents must be at least 1, --seconds more than 0, and --think MIN MAX "
            "two numbers of seconds, the smaller first"
        )
    server_url = args.database_url or os.environ.get("ASSESS_BENCH_DATABASE_URL") or DEFAULT_SERVER
    plan = Plan(seconds=args.seconds, ramp=args.seconds / 3, think=tuple(args.think))
    with tempfile.TemporaryDirectory() as folder:
        url, drop = database(server_url, Path(folder))
        try:
            upgrade(url)
            seeded = seed_assessment(url, args.respondents, QUESTIONNAIRE)
            env = {"ASSESS_DATABASE_URL": url, "ASSESS_SECRET_KEY": secrets.token_urlsafe(32)}
            print(
                f"database: postgresql, {args.workers} web workers, {args.respondents} "
                f"respondents, {args.seconds:.0f} s at most, thinking {args.think[0]:g} to "
                f"{args.think[1]:g} s per dimension; {QUESTIONNAIRE.name}; "
                "reports requested one after another meanwhile, rendered by a job worker"
            )
            print(
                f"client and server share this machine's {os.cpu_count()} cores: "
                "the figures include the client's own work"
            )
            with (
                job_worker(env, Path(folder)) as jobs,
                serve(env, args.workers, Path(folder)) as server,
            ):
                before = Cpu.now(server, jobs)
                tally, wall = run(drive(server.base, seeded, plan))
                used = Cpu.now(server, jobs) - before
                restarts = server.restarts()
            report(tally, wall, args.respondents, used)
            if restarts:
                print(f"web workers that died and were replaced: {restarts}")
        finally:
            drop()


@contextmanager
def job_worker(env: dict[str, str], folder: Path) -> Iterator[int]:
    """`assess worker` beside the web workers, so that the reports asked for meanwhile
    render on this machine as they would in production; its process id. Stopped
    afterwards."""
    command = [sys.executable, "-c", "from assess.cli.main import main; main()", "worker"]
    with (folder / "worker.log").open("wb") as log:
        process = subprocess.Popen(
            [*command, "--concurrency", "1"],
            env={**os.environ, "PYTHONPATH": str(ROOT), **env},
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield process.pid
        finally:
            process.terminate()
            process.wait(60)


if __name__ == "__main__":
    main()
