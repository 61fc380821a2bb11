"""Settings: those that would weaken anonymity stop the service before it starts; the
server's key is kept where it must outlive a restart."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from assess.cli.settings_check import missing_key_problem
from assess.config import Settings, secret_key_of
from tests.conftest import ROOT


def test_benchmark_k_defaults_to_five() -> None:
    assert Settings().benchmark_k == 5


def test_benchmark_k_below_three_is_refused_with_what_to_change() -> None:
    with pytest.raises(ValidationError, match="set it to 3 or more"):
        Settings(benchmark_k=2)


@pytest.mark.slow
def test_serve_with_k_below_three_stops_with_a_message() -> None:
    env = {**os.environ, "ASSESS_BENCHMARK_K": "2", "PYTHONPATH": str(ROOT)}
    code = "from assess.cli.main import main; import sys; sys.argv = ['assess', 'serve']; main()"
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "ASSESS_BENCHMARK_K is 2" in done.stderr
    assert "Traceback" not in done.stderr


def test_without_a_key_a_sqlite_database_gets_one_kept_beside_it(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'assess.db'}")
    first = secret_key_of(settings)
    assert secret_key_of(settings) == first
    key_file = tmp_path / "assess.db.key"
    assert key_file.read_text().strip() == first
    assert key_file.stat().st_mode & 0o777 == 0o600


def test_a_set_key_wins_and_other_databases_get_a_random_one() -> None:
    assert secret_key_of(Settings(secret_key="k" * 20)) == "k" * 20
    memory = Settings(database_url="sqlite://")
    assert secret_key_of(memory) != secret_key_of(memory)


MAIL = {"smtp_host": "mail.example.org", "smtp_from": "cx@example.org"}
PUBLIC = {"public_url": "https://assess.example.org/"}


def test_mail_settings_that_fit_together_are_taken() -> None:
    settings = Settings(**MAIL, **PUBLIC, smtp_username="cx", smtp_password="secret")
    assert settings.public_url == "https://assess.example.org"
    assert settings.smtp_port_in_use == 587  # starttls by default
    assert Settings(**MAIL, **PUBLIC, smtp_tls="tls").smtp_port_in_use == 465
    assert Settings(**MAIL, **PUBLIC, smtp_tls="none", smtp_port=2525).smtp_port_in_use == 2525
    assert Settings().smtp_host is None  # no mail server: nothing is sent


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({"smtp_username": "cx"}, "ASSESS_SMTP_USERNAME is set but ASSESS_SMTP_HOST is not"),
        (
            {"smtp_port": 25, "smtp_from": "cx@example.org"},
            "ASSESS_SMTP_PORT, ASSESS_SMTP_FROM are set but ASSESS_SMTP_HOST is not",
        ),
        ({"smtp_host": "mail.example.org", **PUBLIC}, "ASSESS_SMTP_FROM is not"),
        (MAIL, "ASSESS_PUBLIC_URL is not"),
        ({**MAIL, **PUBLIC, "smtp_username": "cx"}, "ASSESS_SMTP_PASSWORD is not"),
        ({**MAIL, **PUBLIC, "smtp_password": "pw"}, "ASSESS_SMTP_USERNAME is not"),
        (
            {**MAIL, **PUBLIC, "smtp_username": "cx", "smtp_password": "pw", "smtp_tls": "none"},
            "unencrypted",
        ),
        ({**MAIL, **PUBLIC, "smtp_tls": "ssl"}, "smtp_tls"),
        ({**MAIL, "public_url": "assess.example.org"}, "ASSESS_PUBLIC_URL is 'assess.example.org'"),
        ({**MAIL, **PUBLIC, "smtp_from": "cx@example"}, "ASSESS_SMTP_FROM"),
        ({**MAIL, **PUBLIC, "smtp_from": "CX\n<cx@example.org>"}, "line break"),
        ({**MAIL, **PUBLIC, "smtp_timeout": 0}, "smtp_timeout"),
    ],
)
def test_mail_settings_that_cannot_work_stop_the_service_with_what_to_change(
    given: dict[str, object], expected: str
) -> None:
    with pytest.raises(ValidationError, match=expected):
        Settings(**given)  # type: ignore[arg-type]


def test_a_password_over_plain_smtp_is_allowed_only_to_this_machine() -> None:
    local = {**PUBLIC, "smtp_from": "cx@example.org", "smtp_tls": "none"}
    Settings(**local, smtp_host="127.0.0.1", smtp_username="cx", smtp_password="pw")  # type: ignore[arg-type]


@pytest.mark.slow
def test_serve_with_inconsistent_mail_settings_says_why_and_never_shows_the_password() -> None:
    env = {
        **os.environ,
        "ASSESS_SMTP_PASSWORD": "hunter2-secret",
        "ASSESS_SMTP_HOST": "mail.example.org",
        "ASSESS_SMTP_FROM": "cx@example.org",
        "ASSESS_PUBLIC_URL": "https://assess.example.org",
        "PYTHONPATH": str(ROOT),
    }
    code = "from assess.cli.main import main; import sys; sys.argv = ['assess', 'serve']; main()"
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "ASSESS_SMTP_PASSWORD is set but ASSESS_SMTP_USERNAME is not" in done.stderr
    assert "hunter2" not in done.stderr
    assert "Traceback" not in done.stderr


def _assess(*arguments: str, **variables: str) -> subprocess.CompletedProcess[str]:
    """The `assess` command in a process of its own, with these ASSESS_* variables."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("ASSESS_")},
        **variables,
        "PYTHONPATH": str(ROOT),
    }
    argv = ["assess", *arguments]
    code = f"from assess.cli.main import main; import sys; sys.argv = {argv!r}; main()"
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.slow
def test_every_wrong_setting_gets_a_line_naming_it_and_nothing_starts() -> None:
    done = _assess(
        "serve",
        ASSESS_PORT="80a",
        ASSESS_DATABASE_POOL_SIZE="-3",
        ASSESS_LOG_FORMAT="xml",
        ASSESS_REPORT_WORKERS="two",
        ASSESS_SMTP_TIMEOUT="0",
        ASSESS_SECRET_KEY="short-secret",
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert lines[0] == "invalid settings, nothing started:"
    assert sorted(lines[1:]) == [
        "ASSESS_DATABASE_POOL_SIZE is '-3': give 1 or more",
        "ASSESS_LOG_FORMAT is 'xml': give 'json' or 'console'",
        "ASSESS_PORT is '80a': give a whole number",
        "ASSESS_REPORT_WORKERS is 'two': give a whole number",
        "ASSESS_SECRET_KEY: give at least 16 characters",
        "ASSESS_SMTP_TIMEOUT is '0': give more than 0",
    ]
    assert "short-secret" not in done.stderr


@pytest.mark.slow
def test_any_command_stops_on_a_wrong_setting_before_doing_anything() -> None:
    questionnaire = str(ROOT / "questionnaires" / "cx-maturity.yaml")
    done = _assess("validate", questionnaire, ASSESS_PUBLIC_URL="ftp://assess.example.org")
    assert done.returncode == 2
    assert "ASSESS_PUBLIC_URL is 'ftp://assess.example.org'" in done.stderr
    assert "ok (cx-maturity" not in done.stdout
    assert _assess("validate", questionnaire).returncode == 0


@pytest.mark.slow
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("mysql://assess:pw@db/assess", "starts with mysql://, a database assess does not use"),
        ("assess.db", "ASSESS_DATABASE_URL is no URL; give sqlite:///"),
        ("postgresql+psycopg://assess@db:5x32/assess", "has a port that is no number"),
    ],
)
def test_a_database_url_assess_cannot_use_is_refused_without_showing_it(
    url: str, expected: str
) -> None:
    with pytest.raises(ValidationError, match=re.escape(expected)):
        Settings(database_url=url)
    done = _assess("db", "upgrade", ASSESS_DATABASE_URL=url)
    assert done.returncode == 2
    assert expected in done.stderr
    assert "pw@" not in done.stderr


def test_postgresql_urls_as_providers_write_them_get_the_psycopg_driver() -> None:
    for given in ("postgres://a:b@db/assess", "postgresql://a:b@db/assess"):
        assert Settings(database_url=given).database_url == "postgresql+psycopg://a:b@db/assess"
    assert Settings(database_url=" sqlite:///x.db ").database_url == "sqlite:///x.db"


@pytest.mark.slow
def test_web_and_job_workers_on_postgresql_need_a_shared_key() -> None:
    postgresql = "postgresql+psycopg://assess@127.0.0.1:1/assess"
    done = _assess("serve", ASSESS_DATABASE_URL=postgresql)
    assert done.returncode == 2
    assert "ASSESS_SECRET_KEY is not set" in done.stderr
    assert "Traceback" not in done.stderr
    settings = Settings(database_url=postgresql)
    assert missing_key_problem(settings, "serve") is not None
    assert missing_key_problem(settings, "worker") is not None
    assert missing_key_problem(settings, "db") is None  # a migration signs nothing
    keyed = Settings(database_url=postgresql, secret_key="k" * 32)  # type: ignore[arg-type]
    assert missing_key_problem(keyed, "serve") is None
    assert missing_key_problem(Settings(database_url="sqlite:///x.db"), "serve") is None
