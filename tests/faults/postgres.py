"""A private PostgreSQL server for fault tests, which stop and restart it at will: initdb
and pg_ctl on a free port in a temporary folder (as the postgres user when the tests run
as root, which initdb refuses), stopped and removed afterwards. Never the machine's
shared server.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import psycopg

from bench.submit import free_port

# Where Debian's packages and our images put the server's programs, besides PATH.
PLACES = ("/usr/local/bin", "/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin")
START_SECONDS = 30
# Enough for two web workers' pools, the test's own connections and a job worker.
SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "max_connections": "200",
    "fsync": "off",  # the tests stop the server, never the machine
    "full_page_writes": "off",
    "synchronous_commit": "off",
}


def program(name: str) -> str | None:
    """The path of a PostgreSQL program, or None where it is not installed."""
    for place in PLACES:
        candidate = Path(place) / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which(name)


def missing() -> str | None:
    """Why a private server cannot be started here, or None when it can."""
    absent = [name for name in ("initdb", "pg_ctl") if program(name) is None]
    if absent:
        return f"{' and '.join(absent)} not found (install PostgreSQL's server programs)"
    if os.geteuid() == 0 and (shutil.which("runuser") is None or not _has_user("postgres")):
        return "running as root, and initdb refuses root: needs runuser and a postgres user"
    return None


def _has_user(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


@dataclass
class PrivatePostgres:
    """A PostgreSQL server of the test's own: its folder and port; start, stop, restart."""

    folder: Path
    port: int

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, database: str = "postgres") -> str:
        """A SQLAlchemy URL of one of its databases (trust authentication, as postgres)."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def dsn(self, database: str = "postgres") -> str:
        """The same for psycopg itself."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def _pg_ctl(self, *args: str) -> None:
        options = " ".join(f"-c {key}={value}" for key, value in SETTINGS.items())
        command = [program("pg_ctl") or "pg_ctl", "-D", str(self.data), "-w"]
        command += ["-t", str(START_SECONDS), "-l", str(self.folder / "server.log")]
        command += ["-o", f"-p {self.port} -k {self.folder} {options}", *args]
        subprocess.run(_as_postgres(command), check=True, capture_output=True, timeout=60)

    def start(self) -> None:
        """Start the server and wait until it takes connections."""
        self._pg_ctl("start")
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                psycopg.connect(self.dsn(), connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def stop(self) -> None:
        """Stop the server at once: open transactions are rolled back (`-m fast`)."""
        self._pg_ctl("stop", "-m", "fast")

    def restart(self) -> None:
        """Stop and start again, as an operator's restart does."""
        self.stop()
        self.start()

    def create_database(self, name: str) -> str:
        """A new, empty database; its SQLAlchemy URL."""
        with psycopg.connect(self.dsn(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def log(self) -> str:
        """What the server logged, for a failing test's message."""
        path = self.folder / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""


def _as_postgres(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    """A fresh server on a free port of 127.0.0.1, running until the block ends; then
    stopped and its folder removed."""
    folder = Path(tempfile.mkdtemp(prefix="assess-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    server = PrivatePostgres(folder, free_port())
    try:
        initdb = [program("initdb") or "initdb", "-D", str(server.data), "-U", "postgres"]
        initdb += ["--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"]
        subprocess.run(_as_postgres(initdb), check=True, capture_output=True, timeout=120)
        server.start()
        yield server
    finally:
        if (server.data / "postmaster.pid").exists():
            with suppress(subprocess.SubprocessError):
                server.stop()
        shutil.rmtree(folder, ignore_errors=True)
