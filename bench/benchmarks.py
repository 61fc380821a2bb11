"""Peer benchmark figures as the pool grows, against a bare indexed count(*) of the same
peer group in the same run.

Run: .venv/bin/python bench/benchmarks.py
         [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/test] [--sizes ...]

Default: a temporary SQLite file with a pool of 100,000 assessments; with
--database-url, a fresh database on that PostgreSQL server (dropped afterwards) with
pools of 10,000, 100,000 and 1,000,000. Synthetic organisations (12 industries, 5 size
bands, 10 countries, unevenly common) with correlated scores are bulk-loaded straight
into the tables (COPY on PostgreSQL, executemany on SQLite), then the service's own
refresh builds every group's figures. At each size:

(a) one organisation's peer figures, all levels, every group it belongs to, with the
    report's fallback: `comparison_for`, what the API route runs minus HTTP
    and minus scoring the organisation's own responses;
(b) baseline: `count(*)` over the group (a) falls back to, on its index;
(c) one close: `save_snapshot` of an organisation that takes part, which counts it in
    its cells, recomputes its small groups and the pool's verdicts, and marks its large
    groups (over 20,000) pending; against the full rebuild (`refresh_pool`) of the
    same pool, as a ratio;
(d) what the job after it does: `refresh_pending_groups`, the large groups' distributions
    (each read outside the pool's turn, written in a short one); (c) + (d) is when every
    figure includes the close;
lock: on SQLite, the longest the write lock was held during (c) and during (d), and
    the CPU time of that hold (the wall time includes waits for a busy core).
(c) and (d) are the median of 5 closes, the lock the longest of them.
Targets: (a) at most 20 ms at 1M, at most 3x (b), growing sublinearly with the pool;
(c) at most 100 ms at 1M on PostgreSQL; the SQLite write lock at most 50 ms at 100,000.

--icc instead times ICC across a pool (bench/icc.py): 100,000 organisations with
1,000,000 respondents on PostgreSQL (10,000 with 100,000 on SQLite; --organisations to
change), the aggregation against a bare count(*) GROUP BY organisation; target at most 3x.
"""

from __future__ import annotations

import argparse
import math
import resource
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, insert, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlmodel import Session  # noqa: E402

from assess.domain.benchmarking import Attributes  # noqa: E402
from assess.domain.comparison import OwnFigures  # noqa: E402
from assess.domain.pooling import pool_key  # noqa: E402
from assess.domain.questionnaire import Questionnaire  # noqa: E402
from assess.persistence.engine import WRITER, make_engine, upgrade  # noqa: E402
from assess.persistence.models.assessments import Assessment, AssessmentStatus  # noqa: E402
from assess.persistence.models.benchmarks import BenchmarkEntry  # noqa: E402
from assess.persistence.models.organisations import Organisation  # noqa: E402
from assess.persistence.repository.accounts import create_organisation, create_user  # noqa: E402
from assess.persistence.repository.assessments import create_assessment, save_snapshot, set_status  # noqa: E402
from assess.persistence.repository.benchmarks import (  # noqa: E402
    refresh_pending_groups,
    refresh_pool,
)
from assess.persistence.repository.peer_group_rows import count_group  # noqa: E402
from assess.persistence.repository.peer_groups import comparison_for  # noqa: E402
from assess.persistence.repository.questionnaires import (  # noqa: E402
    get_questionnaire_version,
    publish_questionnaire,
    questionnaire_of,
)
from bench import icc  # noqa: E402
from bench.submit import database  # noqa: E402

INDUSTRIES = [f"industry-{i}" for i in range(12)]
SIZES = ["1-49", "50-249", "250-999", "1000-4999", "5000+"]
COUNTRIES = ["de", "at", "ch", "fr", "nl", "it", "es", "pl", "se", "dk"]
LEVELS = ["culture", "orchestration", "strategy", "tactics"]  # cx-maturity's, sorted
K = 5
CHUNK = 50_000
Row = tuple[uuid.UUID, uuid.UUID, str, str, str, list[float]]  # organisation, assessment, ...
ME = Attributes(INDUSTRIES[0], SIZES[1], COUNTRIES[0])  # a common industry, a common size


def weights(n: int) -> np.ndarray:
    """Uneven shares (Zipf-like): some industries, sizes, countries are far more common."""
    raw: np.ndarray = 1.0 / np.arange(1, n + 1) ** 0.8
    shares: np.ndarray = raw / raw.sum()
    return shares


def synthetic(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Attributes and scores of n organisations: a maturity per organisation, the levels
    scattered around it, overall their mean."""
    maturity = rng.normal(52, 16, n)
    levels = np.clip(maturity[:, None] + rng.normal(0, 9, (n, len(LEVELS))), 0, 100).round(2)
    return {
        "industry": rng.choice(len(INDUSTRIES), n, p=weights(len(INDUSTRIES))),
        "size": rng.choice(len(SIZES), n, p=weights(len(SIZES))),
        "country": rng.choice(len(COUNTRIES), n, p=weights(len(COUNTRIES))),
        "scores": np.column_stack([levels.mean(axis=1), levels]),
    }


def load(engine: Engine, version_id: uuid.UUID, key: str, count: int, seed: int) -> None:
    """Add `count` organisations, each with one closed assessment in the pool."""
    rng = np.random.default_rng(seed)
    for start in range(0, count, CHUNK):
        data = synthetic(rng, min(CHUNK, count - start))
        rows = [
            (uuid.uuid4(), uuid.uuid4(), INDUSTRIES[i], SIZES[s], COUNTRIES[c], scores)
            for i, s, c, scores in zip(
                data["industry"],
                data["size"],
                data["country"],
                data["scores"].tolist(),
                strict=True,
            )
        ]
        if engine.dialect.name == "postgresql":
            _copy(engine, version_id, key, rows)
        else:
            _insert(engine, version_id, key, rows)


def _copy(engine: Engine, version_id: uuid.UUID, key: str, rows: list[Row]) -> None:
    now = datetime.now(UTC).isoformat()
    tables = {
        "organisations (id, name, industry, size, country, benchmark_opt_in, created_at)": (
            f"{o}\tOrg {o.hex[:8]}\t{i}\t{s}\t{c}\tt\t{now}\n" for o, _, i, s, c, _ in rows
        ),
        "assessments (id, organisation_id, questionnaire_version_id, name, status, "
        "created_at, closed_at)": (
            f"{a}\t{o}\t{version_id}\tCX\tclosed\t{now}\t{now}\n" for o, a, *_ in rows
        ),
        "benchmark_entries (id, pool_key, assessment_id, organisation_id, industry, size, "
        "country, closed_at, current, scores)": (
            f"{uuid.uuid4()}\t{key}\t{a}\t{o}\t{i}\t{s}\t{c}\t{now}\tt\t"
            "{" + ",".join(map(str, scores)) + "}\n"
            for o, a, i, s, c, scores in rows
        ),
    }
    raw = engine.raw_connection()
    try:
        with raw.driver_connection.cursor() as cursor:  # type: ignore[union-attr]
            for table, lines in tables.items():
                with cursor.copy(f"COPY {table} FROM STDIN") as copy:
                    copy.write("".join(lines))
        raw.commit()
    finally:
        raw.close()


def _insert(engine: Engine, version_id: uuid.UUID, key: str, rows: list[Row]) -> None:
    now = datetime.now(UTC)
    with engine.begin() as connection:
        connection.execute(
            insert(Organisation),
            [
                {"id": o, "name": f"Org {o.hex[:8]}", "industry": i, "size": s, "country": c,
                 "benchmark_opt_in": True, "created_at": now}
                for o, _, i, s, c, _ in rows
            ],
        )  # fmt: skip
        connection.execute(
            insert(Assessment),
            [
                {"id": a, "organisation_id": o, "questionnaire_version_id": version_id,
                 "name": "CX", "status": AssessmentStatus.closed, "created_at": now,
                 "closed_at": now}
                for o, a, *_ in rows
            ],
        )  # fmt: skip
        connection.execute(
            insert(BenchmarkEntry),
            [
                {"id": uuid.uuid4(), "pool_key": key, "assessment_id": a, "organisation_id": o,
                 "industry": i, "size": s, "country": c, "closed_at": now, "current": True,
                 "scores": scores}
                for o, a, i, s, c, scores in rows
            ],
        )  # fmt: skip


def timed(work: Callable[[], object], repeat: int) -> float:
    """Median seconds of `repeat` runs after one untimed run."""
    work()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


class TimedLock:
    """SQLite's write lock (see db.Writer), keeping how long each turn held it: wall
    time, and the CPU time of the thread that held it (on a busy machine the wall time
    also counts the waits for a core)."""

    def __init__(self) -> None:
        self.inner = threading.Lock()
        self.held: list[tuple[float, float]] = []
        self._since = (0.0, 0.0)

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        taken = self.inner.acquire(blocking, timeout)
        if taken:
            self._since = (time.perf_counter(), time.thread_time())
        return taken

    def release(self) -> None:
        wall, cpu = self._since
        self.held.append((time.perf_counter() - wall, time.thread_time() - cpu))
        self.inner.release()

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(self, *_: object) -> None:
        self.release()

    def longest(self) -> tuple[float, float]:
        """The longest hold since the last call (wall, and its CPU time), in seconds;
        empties the list."""
        longest = max(self.held, default=(0.0, 0.0))
        self.held.clear()
        return longest


def timed_lock(engine: Engine) -> TimedLock | None:
    """Time the holds of a SQLite engine's write lock from now on (None on PostgreSQL)."""
    with engine.connect() as connection:
        writer = connection.info.get(WRITER)
    if writer is None:
        return None
    lock = TimedLock()
    writer.lock = lock
    return lock


def entering(
    engine: Engine, version_id: uuid.UUID, key: str, lock: TimedLock | None
) -> tuple[float, float, tuple[float, float], tuple[float, float]]:
    """One snapshot entering the pool: a new organisation that takes part closes an
    assessment, as the close endpoint does; then the job after it computes its large
    groups. Seconds of each, and the longest hold of SQLite's write lock in each."""
    with Session(engine, expire_on_commit=False) as session:
        creator = create_user(session, email=f"{uuid.uuid4().hex}@example.org")
        organisation = create_organisation(
            session, name="Probe", creator=creator, industry=ME.industry, size=ME.size,
            country=ME.country,
        )  # fmt: skip
        organisation.benchmark_opt_in = True
        session.add(organisation)
        session.commit()
        version = get_questionnaire_version(session, questionnaire_id="cx-maturity")
        assert version is not None
        assessment = create_assessment(
            session, organisation=organisation, version=version, name="probe"
        )
        set_status(session, assessment=assessment, status=AssessmentStatus.closed)
        result = {
            "overall": {"score": 50.0},
            "dimensions": {d: {"score": 40.0 + i} for i, d in enumerate(LEVELS)},
        }
        if lock:
            lock.longest()
        start = time.perf_counter()
        save_snapshot(session, assessment_id=assessment.id, result=result, k=K)
        close = time.perf_counter() - start
        close_lock = lock.longest() if lock else (math.nan, math.nan)
        start = time.perf_counter()
        refresh_pending_groups(session, pool_key=key)
        after = time.perf_counter() - start
        return close, after, close_lock, lock.longest() if lock else (math.nan, math.nan)


def vacuum(engine: Engine) -> None:
    """Fresh statistics and visibility maps, as autovacuum leaves them after a load."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            for table in ("organisations", "assessments", "benchmark_entries"):
                connection.execute(text(f"VACUUM ANALYZE {table}"))
    else:
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--sizes", type=int, nargs="+", default=None)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--icc", action="store_true", help="time ICC across a pool instead")
    parser.add_argument("--organisations", type=int, default=None, help="of --icc's pool")
    args = parser.parse_args()
    postgres = args.database_url is not None
    sizes = args.sizes or ([10_000, 100_000, 1_000_000] if postgres else [100_000])

    with tempfile.TemporaryDirectory() as folder:
        url, drop = database(args.database_url, Path(folder))
        try:
            upgrade(url)
            engine = make_engine(url, pool_size=2)
            print(f"database: {make_url(url).get_backend_name()}, k = {K}")
            if args.icc:
                organisations = args.organisations or (100_000 if postgres else 10_000)
                version_id, questionnaire = published(engine)
                key = pool_key(questionnaire)
                load(engine, version_id, key, organisations, seed=1)
                vacuum(engine)
                icc.run(engine, key, organisations, min(args.repeat, 5))
            else:
                run(engine, sorted(sizes), args.repeat)
            engine.dispose()
        finally:
            drop()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:.0f} MB")


def published(engine: Engine) -> tuple[uuid.UUID, Questionnaire]:
    """cx-maturity version 1, published: its id and questionnaire."""
    source = (ROOT / "questionnaires" / "cx-maturity.yaml").read_text(encoding="utf-8")
    with Session(engine) as session:
        version, _ = publish_questionnaire(
            session, questionnaire_id="cx-maturity", version=1, source=source
        )
        return version.id, questionnaire_of(version)


def run(engine: Engine, sizes: list[int], repeat: int) -> None:
    version_id, questionnaire = published(engine)
    key = pool_key(questionnaire)
    own = {s: OwnFigures(50.0, 4, (40.0, 60.0)) for s in ["overall", *LEVELS]}
    lock = timed_lock(engine)
    print(
        f"{'pool':>9} {'load s':>7} {'rebuild s':>9} {'(a) ms':>8} {'(b) ms':>8} "
        f"{'(a)/(b)':>8} {'(c) ms':>8} {'(c)/rebuild':>11} {'(d) ms':>8} "
        f"{'lock (c)':>8} {'lock (d)':>8}  group used (n)"
    )
    loaded, figures_ms = 0, {}
    for size in sizes:
        start = time.perf_counter()
        load(engine, version_id, key, size - loaded, seed=size)
        loaded = size
        vacuum(engine)
        loaded_s = time.perf_counter() - start
        with Session(engine) as session:
            start = time.perf_counter()
            refresh_pool(session, pool_key=key, k=K)
            rebuild_s = time.perf_counter() - start

            def figures() -> object:
                return comparison_for(
                    session, questionnaire=questionnaire, attributes=ME, own=own, k=K
                )

            used = figures().used  # type: ignore[attr-defined]
            assert used is not None, "the pool is too small for any group"
            a = timed(figures, repeat)
            b = timed(partial(count_group, session, pool_key=key, group=used), repeat)
            n = count_group(session, pool_key=key, group=used)
        if lock:
            lock.longest()
        closes = [entering(engine, version_id, key, lock) for _ in range(5)]
        c, d = (statistics.median(column) * 1000 for column in list(zip(*closes, strict=True))[:2])
        c_lock, d_lock = (max(column) for column in list(zip(*closes, strict=True))[2:])
        figures_ms[size] = a * 1000
        print(
            f"{size:>9,} {loaded_s:>7.1f} {rebuild_s:>9.2f} {a * 1000:>8.3f} {b * 1000:>8.3f} "
            f"{a / b:>7.2f}x {c:>8.1f} {c / (rebuild_s * 1000):>10.4f}x {d:>8.1f} "
            f"{c_lock[0] * 1000:>8.1f} {d_lock[0] * 1000:>8.1f}  {used.label} ({n:,})"
        )
        if lock:
            print(
                f"{'':>9} CPU time of those holds: (c) {c_lock[1] * 1000:.1f} ms, "
                f"(d) {d_lock[1] * 1000:.1f} ms"
            )
    if len(sizes) > 1:
        first, last = sizes[0], sizes[-1]
        growth = figures_ms[last] / figures_ms[first]
        exponent = math.log(growth) / math.log(last / first)
        print(
            f"(a) grew {growth:.2f}x while the pool grew {last / first:.0f}x "
            f"(~ pool^{exponent:.2f}; sublinear below 1)"
        )


if __name__ == "__main__":
    main()
