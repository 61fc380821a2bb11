"""A report job reads nothing from the environment: the benchmark k and the report
templates folder are those of the application that asked for it."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pypdf import PdfReader

from assess.config import Settings, bundled, get_settings
from assess.jobs import reports as report_jobs
from assess.reporting.inputs import Inputs
from tests.conftest import Caller, application
from tests.web.assessments import finished, make_assessment

API = "/api/v1"
OWN_K = 7  # not the default (5), nor what the environment says
MARKER = "Made from the templates this application was given"


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    """The shipped report templates, with a sentence on the cover."""
    folder = tmp_path / "report_templates"
    shutil.copytree(bundled("report_templates"), folder)
    page = folder / "report.html.j2"
    cover = '<section class="cover">'
    page.write_text(page.read_text("utf-8").replace(cover, f"{cover}<p>{MARKER}</p>", 1), "utf-8")
    return folder


@pytest.fixture
def app(database_url: str, templates: Path) -> Iterator[FastAPI]:
    """An application with a benchmark k and templates of its own."""
    yield from application(database_url, benchmark_k=OWN_K, report_templates_dir=templates)


def test_a_report_job_takes_the_benchmark_k_and_templates_of_its_application(
    database_url: str,
    app: FastAPI,
    client: TestClient,
    consultant: Caller,
    published: object,
    templates: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip(
            "on PostgreSQL a worker runs report jobs, an entry point with settings of its own"
        )
    assert get_settings().benchmark_k != OWN_K
    seen: list[tuple[Inputs, Settings]] = []
    render = report_jobs.render

    def watched(inputs: Inputs, settings: Settings) -> tuple[bytes, str]:
        seen.append((inputs, settings))
        return render(inputs, settings)

    monkeypatch.setattr(report_jobs, "render", watched)
    assessment = make_assessment(client, consultant, "Own Settings GmbH")
    asked = client.post(
        f"{API}/assessments/{assessment}/reports",
        json={"language": "en"},
        headers=consultant.headers,
    )
    assert asked.status_code == 202, asked.text
    state: dict[str, Any] = finished(client, asked.json()["status_url"], consultant.headers)
    assert state["status"] == "done", state
    ((inputs, settings),) = seen
    assert inputs.meta.benchmark is not None
    assert inputs.meta.benchmark.k == OWN_K
    assert settings.report_templates_dir == templates
    pdf = client.get(state["download_url"], headers=consultant.headers).content
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert MARKER in " ".join(text.split())
