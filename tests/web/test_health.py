"""/healthz, /readyz and /metrics: what an operator's checks and Prometheus read."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from assess.config import Settings
from assess.logs import configure as configure_logs
from assess.main import create_app
from assess.persistence.engine import head_revision
from tests.conftest import QUESTIONNAIRES, Caller


def test_healthz_answers_while_the_process_runs(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


def test_readyz_is_ready_on_a_migrated_database(client: TestClient) -> None:
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "migration": head_revision()}


def test_readyz_says_what_is_wrong_with_an_unmigrated_or_unreachable_database(
    tmp_path: Path,
) -> None:
    fresh = create_app(
        Settings(database_url=f"sqlite:///{tmp_path / 'new.db'}", questionnaires_dir=QUESTIONNAIRES)
    )
    unmigrated = TestClient(fresh).get("/readyz")
    assert unmigrated.status_code == 503
    assert "at migration none" in unmigrated.json()["detail"]
    assert "assess db upgrade" in unmigrated.json()["detail"]
    away = create_app(
        Settings(
            database_url=f"sqlite:///{tmp_path / 'no-such-folder' / 'x.db'}",
            questionnaires_dir=QUESTIONNAIRES,
        )
    )
    unreachable = TestClient(away).get("/readyz")
    assert unreachable.status_code == 503
    assert "does not answer" in unreachable.json()["detail"]


def test_metrics_count_requests_by_route_template_and_jobs_by_status(
    app: FastAPI, client: TestClient, consultant: Caller
) -> None:
    client.get("/api/v1/organisations", headers=consultant.headers)
    client.get("/r/not-a-token")
    text = client.get("/metrics").text
    assert (
        'assess_request_seconds_count{method="GET",route="/api/v1/organisations",status="200"} 1.0'
        in text
    )
    assert 'route="/r/{token}",status="404"' in text
    assert "not-a-token" not in text
    assert 'assess_report_jobs{status="queued"} 0.0' in text


def test_requests_after_the_metrics_are_cleared_are_counted_from_one(
    app: FastAPI, client: TestClient, consultant: Caller
) -> None:
    series = 'assess_request_seconds_count{method="GET",route="/healthz",status="200"}'
    client.get("/healthz")
    client.get("/healthz")
    assert f"{series} 2.0" in client.get("/metrics").text
    app.state.metrics.clear()
    client.get("/healthz")
    assert f"{series} 1.0" in client.get("/metrics").text


def test_every_request_has_an_id_in_its_answer_and_in_its_json_log_line(
    client: TestClient,
) -> None:
    lines = io.StringIO()
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    configure_logs("json", lines)
    try:
        answered = client.get("/healthz", headers={"X-Request-ID": "abc-123"})
        forged = client.get("/healthz", headers={"X-Request-ID": 'x"\n{"level": "error"}'})
    finally:
        root.handlers, root.level = saved
    assert answered.headers["x-request-id"] == "abc-123"
    assert forged.headers["x-request-id"] != 'x"\n{"level": "error"}'
    records = [json.loads(line) for line in lines.getvalue().splitlines()]
    mine = next(r for r in records if r.get("request_id") == "abc-123")
    assert mine["event"] == "request"
    assert (mine["route"], mine["status"], mine["logger"]) == ("/healthz", 200, "assess.requests")
    assert any(r.get("request_id") == forged.headers["x-request-id"] for r in records)
