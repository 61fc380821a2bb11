"""A researcher's account, and the research exports they ask for, read back."""

from __future__ import annotations

import csv
import io
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from assess.domain.export import Pseudonyms
from assess.persistence.models.questionnaires import QuestionnaireVersion
from assess.persistence.repository.questionnaires import questionnaire_of
from assess.research.export import ExportFormat, ResearchExport
from tests.conftest import Caller
from tests.polling import until

EXPORT = "/api/v1/research/questionnaires/service-check/versions/2/export"
KEY = b"k" * 32
VERSION = "/api/v1/research/questionnaires/service-check/versions/2"


def researcher(client: TestClient, admin: Caller) -> dict[str, str]:
    """The Authorization header of a researcher that the admin makes."""
    body = {"email": "ria@example.org", "is_researcher": True}
    created = client.post("/api/v1/users", json=body, headers=admin.headers)
    assert created.status_code == 201, created.text
    return {"Authorization": f"Bearer {created.json()['api_key']}"}


def export(
    app: FastAPI, version: QuestionnaireVersion, fmt: ExportFormat, *, copy: bool = True, **kw: Any
) -> bytes:
    """The version's research export in `fmt`, made in this process."""
    opened = ResearchExport(
        app.state.engine,
        questionnaire_of(version),
        version.id,
        pseudonyms=kw.pop("pseudonyms", Pseudonyms(KEY)),
        copy=copy,
    )
    return b"".join(opened.blocks(fmt, kw.pop("language", "en"), labels=kw.pop("labels", False)))


def csv_rows(data: bytes) -> list[dict[str, str]]:
    """The rows of a CSV export."""
    return list(csv.DictReader(io.StringIO(data.decode())))


def finished(client: TestClient, url: str, headers: dict[str, str]) -> dict:
    """The export job at `url` once it is done or failed."""

    def ended() -> dict | None:
        state = client.get(url, headers=headers).json()
        return dict(state) if state["status"] in ("done", "failed") else None

    return until(ended, timeout=60, message=f"{url} did not finish")
