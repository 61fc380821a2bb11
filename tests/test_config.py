"""Settings that would weaken anonymity stop the service before it starts."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from pydantic import ValidationError

from assess.config import Settings
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
