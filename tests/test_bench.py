"""The benchmarks still run (on tiny inputs; their figures are read by people, not tests)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).parent.parent / "bench"


def test_scoring_benchmark_runs_and_prints_its_ratio() -> None:
    out = subprocess.run(
        [sys.executable, str(BENCH / "scoring.py"), "--respondents", "300", "--repeat", "1"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "ratio (full / parse)" in out.stdout
