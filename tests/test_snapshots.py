"""What a reorganisation of the code must not change: the OpenAPI document, the demo
report's text (`assess report`, from an answers file) and the text of a report made from a
demo database through the API, each compared with a snapshot taken before the move.

A deliberate change renews the snapshots: `.venv/bin/python -m tests.test_snapshots`
writes the first two; the database report's test writes what it got beside its snapshot
(`demo-database-report.txt.new`) when they differ.
"""

from __future__ import annotations

import json
import re
import sys
from io import BytesIO
from pathlib import Path

import pypdf
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from assess.cli.main import app as command
from assess.config import get_settings
from assess.main import create_app
from assess.persistence.models.assessments import Assessment, AssessmentStatus
from assess.persistence.models.organisations import Organisation
from tests.conftest import QUESTIONNAIRES, Caller
from tests.web.assessments import finished

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOTS = Path(__file__).parent / "snapshots"
DATE = re.compile(r"^(Date|Datum) .*$", re.MULTILINE)

# Version 1 (immutable, unlike the newest, the default): the report changes only with the code.
VERSION_1 = ["--questionnaire", str(QUESTIONNAIRES / "cx-maturity.yaml")]


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
            "cx-maturity",
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


def database_report_text(client: TestClient, headers: dict[str, str], session: Session) -> str:
    """The German and English reports of one demo organisation's closed assessment, made
    through the API from a seeded demo database, their dates left out."""
    options = ["--organisations", "8", "--respondents", "6", "--seed", "4", "--opt-in-share", "1"]
    made = CliRunner().invoke(
        command, ["demo", "generate", "--into-this-database", *options, *VERSION_1]
    )
    assert made.exit_code == 0, made.output
    assessment = session.exec(
        select(Assessment)
        .join(Organisation, col(Organisation.id) == col(Assessment.organisation_id))
        .where(
            Assessment.status == AssessmentStatus.closed,
            Organisation.name == "Demo organisation 000002",
        )
    ).one()
    texts = []
    for language in ("de", "en"):
        asked = client.post(
            f"/api/v1/assessments/{assessment.id}/reports",
            json={"language": language},
            headers=headers,
        )
        assert asked.status_code == 202, asked.text
        state = finished(client, asked.json()["status_url"], headers)
        assert state["status"] == "done", state
        pdf = client.get(state["download_url"], headers=headers).content
        pages = pypdf.PdfReader(BytesIO(pdf)).pages
        texts.append(DATE.sub(r"\1 <date>", "\n".join(page.extract_text() for page in pages)))
    return "\n".join(texts)


def test_the_openapi_document_is_the_snapshot() -> None:
    assert openapi_document() == (SNAPSHOTS / "openapi.json").read_text("utf-8").rstrip("\n")


@pytest.mark.slow
def test_the_demo_reports_text_is_the_snapshot(tmp_path: Path) -> None:
    for language in ("de", "en"):
        expected = (SNAPSHOTS / f"demo-report-{language}.txt").read_text("utf-8")
        assert demo_report_text(language, tmp_path) == expected.rstrip("\n"), language


def test_the_text_of_a_report_from_the_database_is_the_snapshot(
    client: TestClient,
    admin: Caller,
    session: Session,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ASSESS_DATABASE_URL", database_url)
    get_settings.cache_clear()
    try:
        text = database_report_text(client, admin.headers, session)
    finally:
        get_settings.cache_clear()
    snapshot = SNAPSHOTS / "demo-database-report.txt"
    if text != snapshot.read_text("utf-8").rstrip("\n"):
        snapshot.with_name(snapshot.name + ".new").write_text(text + "\n", "utf-8")
    assert text == snapshot.read_text("utf-8").rstrip("\n")


if __name__ == "__main__":
    (SNAPSHOTS / "openapi.json").write_text(openapi_document() + "\n", "utf-8")
    for language in ("de", "en"):
        text = demo_report_text(language, Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp"))
        (SNAPSHOTS / f"demo-report-{language}.txt").write_text(text + "\n", "utf-8")
