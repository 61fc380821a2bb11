"""Reports through the API: made in worker processes while the API keeps answering,
followed by status, downloaded as PDF; the HTML preview; progress since an earlier wave;
a consultant's portfolio as a ZIP; and the score trace of `?explain=true`."""

from __future__ import annotations

import base64
import csv
import io
import zipfile
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from assess.jobs.tasks import INTERNAL_ERROR, Attempt, render_report
from assess.persistence.models.common import utcnow
from assess.persistence.models.jobs import JobStatus, ReportJob
from assess.reporting.i18n import translator
from tests.conftest import Caller, make_caller
from tests.polling import until
from tests.web.assessments import (
    DEMO,
    assessment_in,
    finished,
    make_assessment,
    queued_report,
    words_of,
)


@pytest.mark.slow
def test_a_requested_report_renders_in_a_worker_and_downloads_as_pdf(
    client: TestClient, consultant: Caller, published: object
) -> None:
    assessment = make_assessment(client, consultant, "Muster GmbH")
    results = client.get(f"/api/v1/assessments/{assessment}/results", headers=consultant.headers)
    asked = client.post(
        f"/api/v1/assessments/{assessment}/reports",
        json={"language": "de", "accent": "#0a7"},
        headers=consultant.headers,
    )
    assert asked.status_code == 202, asked.text
    assert asked.headers["Location"] == asked.json()["status_url"]
    assert asked.json()["status"] in ("queued", "running", "done")

    state = finished(client, asked.json()["status_url"], consultant.headers)
    assert state["status"] == "done", state
    pdf = client.get(state["download_url"], headers=consultant.headers)
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert 'filename="muster-gmbh-cx-2026-2026-de.pdf"' in pdf.headers["content-disposition"]
    words = words_of(pdf.content)
    number = translator("de").number
    assert "Muster GmbH" in words
    assert number(results.json()["overall"]["score"]) in words
    for figures in results.json()["dimensions"].values():
        assert number(figures["score"]) in words

    listed = client.get(f"/api/v1/assessments/{assessment}/reports", headers=consultant.headers)
    assert [job["id"] for job in listed.json()] == [state["id"]]


@pytest.mark.slow
def test_other_requests_keep_answering_while_four_reports_render(
    client: TestClient, consultant: Caller, published: object
) -> None:
    assessment = make_assessment(client, consultant, "Busy AG")
    urls = [
        client.post(
            f"/api/v1/assessments/{assessment}/reports",
            json={"language": language},
            headers=consultant.headers,
        ).json()["status_url"]
        for language in ("de", "en", "de", "en")
    ]
    answered_while_busy = 0

    def rendered() -> list[str] | None:
        nonlocal answered_while_busy
        states = [client.get(url, headers=consultant.headers).json()["status"] for url in urls]
        if all(s in ("done", "failed") for s in states):
            return states
        assert client.get("/api/v1/me", headers=consultant.headers).status_code == 200
        answered_while_busy += 1
        return None

    # How fast those requests are answered is a figure of bench/busy.py, not a test.
    states = until(rendered, timeout=300, every=0.05, message="the reports were not made")
    assert states == ["done"] * 4
    assert answered_while_busy > 0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"language": "fr"}, '"loc":["body","language"]'),
        ({"accent": "red"}, '"loc":["body","accent"]'),
        ({"logo": base64.b64encode(b"GIF89a not supported").decode()}, "logo"),
        ({"logo": "%%% not base64"}, "base64"),
        ({"colour": "#fff"}, "colour"),
    ],
)
def test_a_report_request_that_cannot_be_made_is_a_422_and_queues_nothing(
    client: TestClient, consultant: Caller, published: object, body: dict, message: str
) -> None:
    assessment = make_assessment(client, consultant, "Strict KG", close=False)
    asked = client.post(
        f"/api/v1/assessments/{assessment}/reports", json=body, headers=consultant.headers
    )
    assert asked.status_code == 422
    assert asked.headers["content-type"] == "application/problem+json"
    assert message in asked.text
    listed = client.get(f"/api/v1/assessments/{assessment}/reports", headers=consultant.headers)
    assert listed.json() == []


def test_no_report_without_submitted_responses(
    client: TestClient, consultant: Caller, published: object
) -> None:
    assessment = make_assessment(client, consultant, "Empty e.V.", answers=None)
    asked = client.post(f"/api/v1/assessments/{assessment}/reports", headers=consultant.headers)
    assert asked.status_code == 422
    assert "no submitted responses" in asked.json()["detail"]
    preview = client.get(
        f"/api/v1/assessments/{assessment}/reports/preview", headers=consultant.headers
    )
    assert preview.status_code == 422
    assert "no submitted responses" in preview.json()["detail"]


def test_download_before_the_report_is_made_is_a_409_with_retry_after(
    client: TestClient, session: Session, consultant: Caller, published: object
) -> None:
    assessment = make_assessment(client, consultant, "Patient GmbH")
    job = queued_report(session, consultant, assessment, "de")  # queued, and given to no worker
    url = f"/api/v1/assessments/{assessment}/reports/{job.id}"
    assert client.get(url, headers=consultant.headers).json()["download_url"] is None
    early = client.get(url + "/pdf", headers=consultant.headers)
    assert early.status_code == 409
    assert early.headers["Retry-After"] == "2"


def test_a_job_that_fails_says_why_and_serves_no_file(
    client: TestClient, session: Session, app, consultant: Caller, published: object
) -> None:
    assessment = make_assessment(client, consultant, "Gone GmbH", answers=None)
    job = queued_report(session, consultant, assessment, "de")
    attempt = Attempt(app.state.engine, app.state.settings)
    render_report(attempt, str(job.id))  # what a worker runs, here in the test
    state = client.get(
        f"/api/v1/assessments/{assessment}/reports/{job.id}", headers=consultant.headers
    ).json()
    assert state["status"] == JobStatus.failed
    assert "no submitted responses" in state["error"]
    failed = client.get(
        f"/api/v1/assessments/{assessment}/reports/{job.id}/pdf", headers=consultant.headers
    )
    assert failed.status_code == 409
    assert "no submitted responses" in failed.json()["detail"]
    render_report(attempt, str(job.id))  # a finished job is never taken again
    assert client.get(state["status_url"], headers=consultant.headers).json() == state


def test_preview_is_one_self_contained_page_with_user_text_escaped(
    client: TestClient, consultant: Caller, published: object
) -> None:
    assessment = make_assessment(client, consultant, '<img src="file:///etc/passwd"> {{ 7*7 }}')
    preview = client.get(
        f"/api/v1/assessments/{assessment}/reports/preview",
        params={"lang": "en", "accent": "#123456"},
        headers=consultant.headers,
    )
    assert preview.status_code == 200, preview.text
    assert preview.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in preview.headers["content-security-policy"]
    page = preview.text
    assert '<html lang="en">' in page
    assert "<style>" in page
    assert "assess-report:" not in page
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt; {{ 7*7 }}" in page
    assert '<img src="file:' not in page
    assert "--accent: #123456" in page
    bad = client.get(
        f"/api/v1/assessments/{assessment}/reports/preview",
        params={"lang": "fr"},
        headers=consultant.headers,
    )
    assert bad.status_code == 422


def test_a_report_shows_progress_since_the_last_comparable_wave(
    client: TestClient, consultant: Caller, published: object
) -> None:
    first = make_assessment(client, consultant, "Growing GmbH", wave="2025")
    organisation = client.get(f"/api/v1/assessments/{first}", headers=consultant.headers).json()
    lines = DEMO.splitlines()
    # The second wave: the same people, one point higher on every scale answer of 1-4.
    higher = [lines[0]] + [
        ",".join(str(int(c) + 1) if c in "1234" and c else c for c in line.split(","))
        for line in lines[1:]
    ]
    second = assessment_in(
        client, consultant, organisation["organisation_id"], answers="\n".join(higher), wave="2026"
    )
    before = client.get(f"/api/v1/assessments/{first}/results", headers=consultant.headers).json()
    after = client.get(f"/api/v1/assessments/{second}/results", headers=consultant.headers).json()
    page = client.get(
        f"/api/v1/assessments/{second}/reports/preview",
        params={"lang": "en"},
        headers=consultant.headers,
    ).text
    assert "Progress since 2025" in page
    signed = translator("en").signed
    for level, figures in after["dimensions"].items():
        change = figures["score"] - before["dimensions"][level]["score"]
        assert change > 0
        assert signed(change) in page
    first_page = client.get(
        f"/api/v1/assessments/{first}/reports/preview",
        params={"lang": "en"},
        headers=consultant.headers,
    ).text
    assert "Progress since" not in first_page  # nothing earlier than the first wave


def test_portfolio_holds_every_closed_assessment_the_consultant_serves(
    client: TestClient, session: Session, consultant: Caller, published: object
) -> None:
    make_assessment(client, consultant, "Alpha AG", wave="1")
    make_assessment(client, consultant, "=Beta GmbH", answers=None, wave="1")
    make_assessment(client, consultant, "Open KG", close=False)
    stranger = make_caller(session, "stranger@example.org")
    make_assessment(client, stranger, "Not Yours AG")

    asked = client.post("/api/v1/portfolio", json={"language": "en"}, headers=consultant.headers)
    assert asked.status_code == 202, asked.text
    state = finished(client, asked.json()["status_url"], consultant.headers)
    assert state["status"] == "done", state
    assert client.get(asked.json()["status_url"], headers=stranger.headers).status_code == 404
    download = client.get(state["download_url"], headers=consultant.headers)
    assert download.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(download.content))
    assert archive.namelist() == ["0-overview.pdf", "alpha-ag-cx-1-1-en.pdf", "contents.csv"]
    assert "Alpha AG" in words_of(archive.read("alpha-ag-cx-1-1-en.pdf"))
    overview = words_of(archive.read("0-overview.pdf"))
    assert "2 clients side by side" in overview
    assert "=Beta GmbH CX 1: 0 responses submitted" in overview
    assert "Not Yours AG" not in overview
    rows = list(csv.reader(io.StringIO(archive.read("contents.csv").decode("utf-8-sig"))))
    assert rows[0] == ["Organisation", "Assessment", "Wave", "Language", "File", "Note"]
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"Alpha AG", "'=Beta GmbH"}  # a formula is kept as text
    assert by_name["Alpha AG"][4] == "alpha-ag-cx-1-1-en.pdf"
    assert by_name["'=Beta GmbH"][4] == ""
    assert "no submitted responses" in by_name["'=Beta GmbH"][5]


def _left_running(session: Session, job: ReportJob, tries: int) -> None:
    """As if the process running the job's last try was killed an hour ago."""
    job.status, job.attempts = JobStatus.running, tries
    job.started_at = utcnow() - timedelta(hours=1)
    session.add(job)
    session.commit()


@pytest.mark.slow
@pytest.mark.parametrize("tries", [1, 3])
def test_a_job_a_stopped_process_left_running_is_tried_again_when_the_app_starts(
    app, session: Session, consultant: Caller, published: object, tries: int
) -> None:
    if app.state.engine.dialect.name != "sqlite":
        pytest.skip("on PostgreSQL the queue's stalled-worker recovery does it (test_worker)")
    client = TestClient(app)
    assessment = make_assessment(client, consultant, "Killed GmbH")
    job = queued_report(session, consultant, assessment, "en")
    _left_running(session, job, tries)
    url = f"/api/v1/assessments/{assessment}/reports/{job.id}"
    with TestClient(app) as started:  # runs the app's startup
        state = finished(started, url, consultant.headers)
    session.refresh(job)
    if tries < 3:  # ASSESS_JOB_ATTEMPTS
        assert state["status"] == "done", state
        assert job.attempts == tries + 1
        return
    assert state["status"] == "failed", state
    assert state["error"] == INTERNAL_ERROR
    assert job.failure == "the service stopped during each of its 3 tries"


def test_results_explain_every_level_score(
    client: TestClient, consultant: Caller, published: object
) -> None:
    assessment = make_assessment(client, consultant, "Open Book GmbH")
    plain = client.get(f"/api/v1/assessments/{assessment}/results", headers=consultant.headers)
    assert "explain" not in plain.json()
    traced = client.get(
        f"/api/v1/assessments/{assessment}/results",
        params={"explain": "true"},
        headers=consultant.headers,
    ).json()
    trace = {d["id"]: d for d in traced["explain"]["dimensions"]}
    assert set(trace) == set(traced["dimensions"])
    for level, figures in traced["dimensions"].items():
        line = trace[level]
        assert line["respondents_counted"] == figures["n"]
        assert line["sum_of_respondent_scores"] / line["respondents_counted"] == pytest.approx(
            figures["score"], abs=1e-9
        )
        assert all(sum(item["distribution"].values()) > 0 for item in line["items"])
    assert traced["explain"]["overall"] == pytest.approx(traced["overall"]["score"], abs=1e-9)


def test_jobs_queued_before_a_restart_are_rendered_when_the_app_starts(
    app, session: Session, consultant: Caller, published: object
) -> None:
    client = TestClient(app)
    assessment = make_assessment(client, consultant, "Restarted GmbH")
    job = queued_report(
        session, consultant, assessment, "en"
    )  # as if its web process stopped before handing it on
    url = f"/api/v1/assessments/{assessment}/reports/{job.id}"
    with TestClient(app) as started:  # runs the app's startup
        state = finished(started, url, consultant.headers)
    assert state["status"] == "done", state
