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


def test_submit_benchmark_runs_without_errors() -> None:
    out = subprocess.run(
        [sys.executable, str(BENCH / "submit.py"), "--requests", "64", "--seconds", "20"],
        capture_output=True,
        text=True,
        check=True,
    )
    lines = [line for line in out.stdout.splitlines() if "req/s" in line]
    assert len(lines) == 2, out.stdout
    assert all(line.endswith("errors 0") for line in lines), out.stdout
    assert "throughput ratio" in out.stdout


def test_report_benchmark_runs_and_prints_its_ratio() -> None:
    out = subprocess.run(
        [sys.executable, str(BENCH / "report.py"), "--repeat", "1"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "ratio (a) / (b)" in out.stdout
