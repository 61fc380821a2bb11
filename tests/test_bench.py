"""The benchmarks still run (on tiny inputs; their figures are read by people, not tests)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).parent.parent / "bench"


def bench(script: str, *args: str) -> str:
    """What a benchmark prints; fails the test if it exits with an error."""
    command = [sys.executable, str(BENCH / script), *args]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def test_scoring_benchmark_runs_and_prints_its_ratios() -> None:
    out = bench("scoring.py", "--respondents", "300", "--repeat", "1")
    assert "ratio (full / parse)" in out
    # The run with every addition for advice, beside the plain one.
    assert "ratio (advice / parse)" in out
    assert "10 recommendations with item rules and dependencies" in out


@pytest.mark.slow
def test_submit_benchmark_runs_without_errors() -> None:
    out = bench("submit.py", "--requests", "64", "--seconds", "20")
    lines = [line for line in out.splitlines() if "req/s" in line]
    assert len(lines) == 2, out
    assert all(line.endswith("errors 0") for line in lines), out
    assert "throughput ratio" in out


@pytest.mark.slow
def test_report_benchmark_runs_and_prints_its_ratio() -> None:
    assert "ratio (a) / (b)" in bench("report.py", "--repeat", "0")


def test_export_benchmark_runs_on_postgresql() -> None:
    server = os.environ.get("ASSESS_TEST_DATABASE_URL")
    if not server:
        pytest.skip("the export benchmark needs a PostgreSQL server")
    out = bench("export.py", "--rows", "300", "--organisations", "20", "--database-url", server)
    assert "baseline COPY" in out
    formats = ("csv", "batches", "parquet", "xlsx", "sav")
    assert out.count("ratio to COPY") == len(formats)
    targets = out.split("targets: ")[1]
    for fmt in formats:
        assert f"{fmt} peak < 200 MB" in targets
    for target in ("csv >= 0.7x COPY", "parquet >= 1.0x COPY", "xlsx >= 30,000", "sav >= 27,000"):
        assert target in targets


@pytest.mark.slow
def test_peer_benchmark_runs_and_prints_its_ratio() -> None:
    out = bench("benchmarks.py", "--sizes", "400", "800", "--repeat", "3")
    assert "(a)/(b)" in out
    assert "(c)/rebuild" in out
    assert "CPU time of those holds" in out  # SQLite's write lock
    assert "grew" in out


def _pages_benchmark(*database: str) -> str:
    """The pages benchmark at a tiny size, checked for what every run must print."""
    args = ("--respondents", "2", "--requests", "40", "--baseline-renders", "20")
    out = bench("pages.py", *args, "--seconds", "60", *database)
    renders, saves = [int(m) for m in re.findall(r"level/N +(\d+) x", out)]
    # Every request within the bounds; each respondent saves every page it got, but the
    # last one, when the request count ran out.
    assert renders + saves == 40, out
    assert renders - 2 <= saves <= renders, out
    assert "errors 0" in out, out
    assert "client and server share this machine" in out
    assert re.search(r"target: page save p99 under 50 ms .*: (met|missed)", out), out
    return out


@pytest.mark.slow
def test_pages_benchmark_renders_and_saves_level_pages_without_errors() -> None:
    assert "database: sqlite" in _pages_benchmark()


@pytest.mark.slow
def test_pages_benchmark_runs_on_its_own_postgresql_database() -> None:
    server = os.environ.get("ASSESS_TEST_DATABASE_URL")
    if not server:
        pytest.skip("needs a PostgreSQL server (ASSESS_TEST_DATABASE_URL)")
    assert "database: postgresql" in _pages_benchmark("--database-url", server)


@pytest.mark.slow
def test_load_benchmark_runs_two_workers_on_its_own_postgresql_database() -> None:
    server = os.environ.get("ASSESS_TEST_DATABASE_URL")
    if not server:
        pytest.skip("needs a PostgreSQL server (ASSESS_TEST_DATABASE_URL)")
    args = ("--respondents", "4", "--seconds", "12", "--think", "0", "0.2")
    out = bench("load.py", *args, "--database-url", server)
    assert "2 web workers, 4 respondents" in out
    # Every respondent saves each of the questionnaire's four dimensions.
    assert re.search(r"save PUT .* 16 x +p50 .* ratio to baseline", out), out
    assert "4 of 4 respondents submitted" in out, out
    assert "errors 0" in out, out
    assert re.search(r"save p99 under 100 ms: (met|missed)", out), out


@pytest.mark.slow
def test_hostile_files_benchmark_runs_and_prints_its_ratios() -> None:
    out = bench("hostile_files.py", "--repeat", "1")
    assert out.count("x ") >= 4, out
    assert out.count(": met") + out.count(": missed") == 2, out


def test_disclosure_benchmark_runs_and_prints_its_ratio() -> None:
    assert "ratio to scoring" in bench("disclosure.py", "--cases", "2", "--repeat", "1")


def test_icc_benchmark_runs_and_prints_its_ratio() -> None:
    out = bench("benchmarks.py", "--icc", "--organisations", "200", "--repeat", "1")
    assert "ICC aggregation ms" in out
    assert re.search(r"\d+\.\d\dx  \(target <= 3x\)", out), out
    assert "culture: k 200, N 2,000" in out
