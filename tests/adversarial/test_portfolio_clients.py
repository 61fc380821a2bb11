"""A portfolio is made by the report jobs some time after it was asked for: by then its
consultant may no longer run a client they chose (another consultant removed them, or the
job is retried days later). The portfolio names only clients its consultant runs when it
is made."""

from __future__ import annotations

import uuid

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from assess.persistence.models.jobs import JobKind
from assess.persistence.repository.reports import create_report_job
from tests.conftest import Caller
from tests.web.assessments import new_organisation, words_of
from tests.web.browsing import signed_in
from tests.web.console.consulting import downloaded


@pytest.mark.slow
def test_a_portfolio_names_no_client_its_consultant_no_longer_runs(
    app: FastAPI,
    client: TestClient,
    session: Session,
    consultant: Caller,
    admin: Caller,
    published: object,
) -> None:
    ours = new_organisation(client, consultant, "Eigen GmbH")
    theirs = new_organisation(client, admin, "Fremd GmbH")
    # As kept when the consultant still ran both.
    job = create_report_job(
        session,
        user=consultant.user,
        kind=JobKind.portfolio,
        language="de",
        organisations=[uuid.UUID(ours), uuid.UUID(theirs)],
    )
    app.state.jobs.defer("report", job_id=str(job.id))
    archive = downloaded(signed_in(app, session, consultant))
    overview = words_of(archive.read("0-overview.pdf"))
    assert "Eigen GmbH" in overview
    assert "Fremd GmbH" not in overview
    assert "Fremd GmbH" not in archive.read("contents.csv").decode()
