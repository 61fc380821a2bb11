"""What a reorganisation of the code must not change: the OpenAPI document and the demo
report's text, each compared with a snapshot taken before the move.

A deliberate change to either renews its snapshot:
`.venv/bin/python -m tests.test_snapshots` writes the current ones.
"""

from __future__ import annotations

import json
import re
import sys
from io import BytesIO
from pathlib import Path

import pypdf
import pytest
from typer.testing import CliRunner

from assess.cli.main import app as command
from assess.main import create_app

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOTS = Path(__file__).parent / "snapshots"
DATE = re.compile(r"^(Date|Datum) .*$", re.MULTILINE)


def openapi_document() -> str:
    """The app's OpenAPI document as stable, readable JSON."""
    return json.dumps(create_app().openapi(), indent=1, sort_keys=True, ensure_ascii=False)


def demo_report_text(language: str, folder: Path) -> str:
    """The demo report's text in a language, its date (the day it is made) left out."""
    out = folder / f"report-{language}.pdf"
    result = CliRunner().invoke(
        command,
        [
            "report",
            "-q",
            str(ROOT / "questionnaires" / "cx-maturity.yaml"),
            "-a",
            str(ROOT / "examples" / "answers-demo.csv"),
            "--lang",
            language,
            "--organisation",
            "Muster GmbH",
            "--assessment",
            "CX-Check",
            "--wave",
            "2026",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    pages = pypdf.PdfReader(BytesIO(out.read_bytes())).pages
    return DATE.sub(r"\1 <date>", "\n".join(page.extract_text() for page in pages))


def test_the_openapi_document_is_the_snapshot() -> None:
    assert openapi_document() == (SNAPSHOTS / "openapi.json").read_text("utf-8").rstrip("\n")


@pytest.mark.slow
def test_the_demo_reports_text_is_the_snapshot(tmp_path: Path) -> None:
    for language in ("de", "en"):
        expected = (SNAPSHOTS / f"demo-report-{language}.txt").read_text("utf-8")
        assert demo_report_text(language, tmp_path) == expected.rstrip("\n"), language


if __name__ == "__main__":
    (SNAPSHOTS / "openapi.json").write_text(openapi_document() + "\n", "utf-8")
    for language in ("de", "en"):
        text = demo_report_text(language, Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp"))
        (SNAPSHOTS / f"demo-report-{language}.txt").write_text(text + "\n", "utf-8")
