"""`assess serve --workers N` in a process of its own, for benchmarks and fault tests:
started on a free port of 127.0.0.1 until every worker serves, stopped afterwards; which
workers serve, and the CPU time its processes used."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.submit import free_port  # noqa: E402

STARTUP_SECONDS = 120  # two workers importing the app on a busy machine


@dataclass
class Server:
    """`assess serve` in a process of its own: its address, process and log file."""

    base: str
    process: subprocess.Popen[bytes]
    log: Path

    def restarts(self) -> int:
        """Workers that died and were replaced (uvicorn's supervisor kills one that does
        not answer its health check in 5 s)."""
        return self.log.read_text(errors="replace").count("] died")

    def worker_pids(self) -> set[int]:
        """The web workers that have started serving, from their log lines."""
        pids = set()
        for line in self.log.read_text(errors="replace").splitlines():
            if "Application startup complete" in line and '"pid": ' in line:
                pids.add(int(line.rsplit('"pid": ', 1)[1].split("}")[0].split(",")[0]))
        return pids


@contextmanager
def serve(env: dict[str, str], workers: int, folder: Path) -> Iterator[Server]:
    """`assess serve --workers N` on a free port of 127.0.0.1 with `env` besides this
    process's environment, until every worker has started; stopped afterwards."""
    port = free_port()
    log = folder / f"serve-{port}.log"
    command = [sys.executable, "-c", "from assess.cli.main import main; main()", "serve"]
    command += ["--port", str(port), "--workers", str(workers)]
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, env=environment, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT
        )
    server = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while len(server.worker_pids()) < workers:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"assess serve did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def process_tree(root: int) -> dict[int, list[str]]:
    """The /proc/<pid>/stat fields of a process and all its descendants (Linux)."""
    stats: dict[int, list[str]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stats[int(entry.name)] = _stat(int(entry.name))
            except OSError:  # gone meanwhile
                continue
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, fields in stats.items() if int(fields[1]) in tree} - tree
        tree |= more
        grew = bool(more)
    return {pid: stats[pid] for pid in tree if pid in stats}


@dataclass(frozen=True)
class Cpu:
    """CPU seconds used so far: by the web workers themselves, by the server's other
    processes (the supervisor, rendering of pages' charts), by a job worker and the
    reports it renders, by this process, by the whole machine."""

    workers: float
    others: float
    jobs: float
    client: float
    machine: float

    @classmethod
    def now(cls, server: Server, job_worker: int | None = None) -> Cpu:
        """The figures at this moment (Linux; zeros elsewhere)."""
        try:
            tree = process_tree(server.process.pid)
            jobs = process_tree(job_worker) if job_worker is not None else {}
            ticks = [int(t) for t in Path("/proc/stat").read_text().split()[1:9]]
        except OSError:
            return cls(0, 0, 0, time.process_time(), 0)
        workers = server.worker_pids()
        hz = os.sysconf("SC_CLK_TCK")
        mine = sum(int(f) for pid in workers if pid in tree for f in tree[pid][11:13]) / hz
        machine = (sum(ticks) - ticks[3] - ticks[4]) / hz  # all but idle and waiting for disks
        return cls(mine, _used(tree) - mine, _used(jobs), time.process_time(), machine)

    def __sub__(self, other: Cpu) -> Cpu:
        return Cpu(
            self.workers - other.workers,
            self.others - other.others,
            self.jobs - other.jobs,
            self.client - other.client,
            self.machine - other.machine,
        )


def _used(tree: dict[int, list[str]]) -> float:
    """CPU seconds of a process tree: each process's own, and that of its children that
    ended (rendering processes are replaced)."""
    hz = os.sysconf("SC_CLK_TCK")
    return sum(int(f) for fields in tree.values() for f in fields[11:15]) / hz
