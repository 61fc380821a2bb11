"""`assess db backup`: a consistent copy of a SQLite database taken while it is written,
with its key, that restores by copying it back."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from sqlmodel import Session
from typer.testing import CliRunner

from assess.cli.main import app
from assess.config import Settings, get_settings, secret_key_of
from assess.persistence.engine import head_revision, make_engine, upgrade
from assess.persistence.repository.accounts import create_user, get_user_by_email
from assess.persistence.repository.health import database_revision

runner = CliRunner()


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'live' / 'assess.db'}"
    (tmp_path / "live").mkdir()
    upgrade(url)
    monkeypatch.setenv("ASSESS_DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def test_a_backup_taken_while_users_are_added_is_whole_and_restores(
    database: str, tmp_path: Path
) -> None:
    key = secret_key_of(Settings(database_url=database))  # kept beside the database
    engine = make_engine(database)
    stop = threading.Event()
    added: list[int] = []

    def keep_adding() -> None:
        with Session(engine) as session:
            while not stop.is_set():
                create_user(session, email=f"u{len(added)}@example.org")
                added.append(len(added))

    writer = threading.Thread(target=keep_adding)
    writer.start()
    try:
        while len(added) < 20:
            stop.wait(0.01)
        before = len(added)
        done = runner.invoke(app, ["db", "backup", str(tmp_path / "copy.db")])
    finally:
        stop.set()
        writer.join()
        engine.dispose()
    assert done.exit_code == 0, done.output
    assert "backed up to" in done.output
    with closing(sqlite3.connect(tmp_path / "copy.db")) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        emails = {row[0] for row in copy.execute("SELECT email FROM users")}
    assert {f"u{n}@example.org" for n in range(before)} <= emails
    assert emails == {f"u{n}@example.org" for n in range(len(emails))}  # no gaps, no halves
    kept = tmp_path / "copy.db.key"
    assert kept.read_text().strip() == key
    assert kept.stat().st_mode & 0o777 == 0o600

    restored = tmp_path / "restored" / "assess.db"
    restored.parent.mkdir()
    shutil.copy(tmp_path / "copy.db", restored)
    shutil.copy(kept, f"{restored}.key")
    url = f"sqlite:///{restored}"
    assert secret_key_of(Settings(database_url=url)) == key
    again = make_engine(url)
    with again.connect() as connection:
        assert database_revision(connection) == head_revision()
    with Session(again) as session:
        assert get_user_by_email(session, email="u0@example.org") is not None
    again.dispose()


def test_a_backup_never_overwrites_and_says_what_to_do_elsewhere(
    database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    existing = tmp_path / "old.db"
    existing.write_bytes(b"an earlier backup")
    refused = runner.invoke(app, ["db", "backup", str(existing)])
    assert refused.exit_code == 1
    assert "exists; give a new file name" in refused.output
    assert existing.read_bytes() == b"an earlier backup"
    assert not list(tmp_path.glob(".*.partial"))

    monkeypatch.setenv("ASSESS_DATABASE_URL", "postgresql+psycopg://assess@127.0.0.1:1/assess")
    get_settings.cache_clear()
    postgresql = runner.invoke(app, ["db", "backup", str(tmp_path / "new.db")])
    assert postgresql.exit_code == 1
    assert "pg_dump -Fc" in postgresql.output
    monkeypatch.setenv("ASSESS_DATABASE_URL", f"sqlite:///{tmp_path / 'none' / 'x.db'}")
    get_settings.cache_clear()
    missing = runner.invoke(app, ["db", "backup", str(tmp_path / "new.db")])
    assert missing.exit_code == 1
    assert "no database there" in missing.output
