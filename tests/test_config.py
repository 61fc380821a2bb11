"""Settings: those that would weaken anonymity stop the service before it starts; the
server's key is kept where it must outlive a restart."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from assess.config import Settings, secret_key_of
from tests.conftest import ROOT


def test_benchmark_k_defaults_to_five() -> None:
    assert Settings().benchmark_k == 5


def test_benchmark_k_below_three_is_refused_with_what_to_change() -> None:
    with pytest.raises(ValidationError, match="set it to 3 or more"):
        Settings(benchmark_k=2)


def test_serve_with_k_below_three_stops_with_a_message() -> None:
    env = {**os.environ, "ASSESS_BENCHMARK_K": "2", "PYTHONPATH": str(ROOT)}
    code = "from assess.cli import main; import sys; sys.argv = ['assess', 'serve']; main()"
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1
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
