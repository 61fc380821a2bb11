"""`assess user`: the first admin with a password, and a new password later."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session
from typer.testing import CliRunner

from assess.cli.main import app
from assess.config import get_settings
from assess.persistence.engine import make_engine, upgrade
from assess.persistence.repository.signin import user_for_password

runner = CliRunner()


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'assess.db'}"
    upgrade(url)
    monkeypatch.setenv("ASSESS_DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def signs_in(url: str, email: str, password: str) -> bool:
    with Session(make_engine(url)) as session:
        return user_for_password(session, email=email, password=password) is not None


def test_a_user_made_with_a_password_signs_in_with_it(database: str) -> None:
    made = runner.invoke(
        app,
        ["user", "create", "--email", "admin@example.org", "--admin", "--password"],
        input="a long enough secret\na long enough secret\n",
    )
    assert made.exit_code == 0, made.output
    assert "a long enough secret" not in made.output
    assert signs_in(database, "admin@example.org", "a long enough secret")


def test_a_new_password_replaces_the_old_and_a_short_one_is_refused(database: str) -> None:
    runner.invoke(app, ["user", "create", "--email", "ada@example.org"])
    short = runner.invoke(
        app, ["user", "password", "--email", "ada@example.org"], input="short\nshort\n"
    )
    assert short.exit_code == 1
    assert "at least 10 characters" in short.output
    changed = runner.invoke(
        app,
        ["user", "password", "--email", "ada@example.org"],
        env={"ASSESS_NEW_PASSWORD": "another long secret"},
    )
    assert changed.exit_code == 0, changed.output
    assert signs_in(database, "ada@example.org", "another long secret")
    unknown = runner.invoke(
        app, ["user", "password", "--email", "nobody@example.org"], input=("x" * 12 + "\n") * 2
    )
    assert unknown.exit_code == 1
    assert "no user with e-mail nobody@example.org" in unknown.output
