"""Research exports as jobs: asked for, followed, downloaded from the database in chunks,
under the same rules as the streamed export."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from assess.jobs import tasks
from assess.persistence.models.jobs import ExportChunk
from assess.persistence.models.questionnaires import QuestionnaireVersion
from tests.conftest import Caller, application, make_caller
from tests.research.conftest import add_organisation
from tests.research.exporting import VERSION, finished, researcher


@pytest.fixture
def app(database_url: str) -> Iterator[FastAPI]:
    yield from application(database_url, job_backoff_seconds=0.1)


def test_an_export_job_is_kept_in_chunks_and_downloads_like_the_streamed_export(
    client: TestClient,
    session: Session,
    admin: Caller,
    version: QuestionnaireVersion,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(tasks, "CHUNK_BYTES", 500)  # several chunks from a small file
    add_organisation(session, version, respondents=7)
    headers = researcher(client, admin)
    asked = client.post(f"{VERSION}/exports", params={"format": "csv"}, headers=headers)
    assert asked.status_code == 202, asked.text
    assert asked.headers["Location"] == asked.json()["status_url"]
    state = finished(client, asked.json()["status_url"], headers)
    assert state["status"] == "done", state
    chunks = session.exec(
        select(ExportChunk.seq)
        .where(ExportChunk.job_id == uuid.UUID(state["id"]))
        .order_by(col(ExportChunk.seq))
    ).all()
    file = client.get(state["download_url"], headers=headers)
    streamed = client.get(f"{VERSION}/export", params={"format": "csv"}, headers=headers)
    print(f"{len(file.content)} bytes in {len(chunks)} chunks")
    assert file.status_code == 200
    assert list(chunks) == list(range(len(chunks)))
    assert len(chunks) == -(-state["size"] // 500) > 1
    assert len(file.content) == state["size"]
    assert file.headers["content-type"].startswith("text/csv")
    assert "service-check-v2-research.csv" in file.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(file.text)))
    expected = list(csv.reader(io.StringIO(streamed.text)))
    assert rows[0] == expected[0]
    assert len(rows) == len(expected) == 8
    # The pseudonyms (organisation, respondent) are new in every export; not the rest.
    assert sorted(r[2:] for r in rows[1:]) == sorted(r[2:] for r in expected[1:])


def test_an_export_job_makes_the_parquet_file_of_the_streamed_export(
    client: TestClient,
    session: Session,
    admin: Caller,
    version: QuestionnaireVersion,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    monkeypatch.setattr(tasks, "CHUNK_BYTES", 1000)  # several chunks from a small file
    add_organisation(session, version, respondents=9, seed=2)
    headers = researcher(client, admin)
    asked = {"format": "parquet", "language": "de", "labels": "true"}
    made = client.post(f"{VERSION}/exports", params=asked, headers=headers)
    assert made.status_code == 202, made.text
    state = finished(client, made.json()["status_url"], headers)
    assert state["status"] == "done", state
    file = client.get(state["download_url"], headers=headers)
    assert file.headers["content-type"] == "application/vnd.apache.parquet"
    assert "service-check-v2-research.parquet" in file.headers["content-disposition"]
    assert len(file.content) == state["size"] > 1000
    streamed = client.get(f"{VERSION}/export", params=asked, headers=headers)
    got, want = (pq.read_table(pa.BufferReader(r.content)) for r in (file, streamed))
    assert got.schema == want.schema
    assert "Die Geschäftsleitung" in str(got.column("act_owner").to_pylist())
    # The pseudonyms (organisation, respondent) are new in every export; not the rest.
    rest = got.column_names[2:]
    assert sorted(map(str, got.select(rest).to_pylist())) == sorted(
        map(str, want.select(rest).to_pylist())
    )


def test_an_export_job_follows_the_rules_of_the_streamed_export(
    client: TestClient, session: Session, admin: Caller, version: QuestionnaireVersion
) -> None:
    nothing = client.post(f"{VERSION}/exports", headers=researcher(client, admin))
    assert nothing.status_code == 404  # no opted-in responses yet, as the streamed one says
    add_organisation(session, version, respondents=4)
    consultant = make_caller(session, "con@example.org")
    assert client.post(f"{VERSION}/exports", headers=consultant.headers).status_code == 403
    bad = client.post(f"{VERSION}/exports", params={"language": "fr"}, headers=admin.headers)
    assert bad.status_code == 422
    asked = client.post(f"{VERSION}/exports", params={"format": "sav"}, headers=admin.headers)
    assert asked.status_code == 202
    url = asked.json()["status_url"]
    assert client.get(url, headers=consultant.headers).status_code == 403
    other = make_caller(session, "other@example.org", admin=True)
    assert client.get(url, headers=other.headers).status_code == 404  # not theirs
    assert client.get(url + "/file", headers=other.headers).status_code == 404
    state = finished(client, url, admin.headers)
    assert state["status"] == "done"
    assert client.get(url + "/file", headers=admin.headers).content[:4] == b"$FL2"


def test_an_export_job_that_fails_every_time_says_so_and_keeps_no_file(
    client: TestClient,
    session: Session,
    admin: Caller,
    version: QuestionnaireVersion,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_organisation(session, version, respondents=4)

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk on fire")

    monkeypatch.setattr(tasks, "_write_export", broken)
    asked = client.post(f"{VERSION}/exports", headers=admin.headers).json()
    state = finished(client, asked["status_url"], admin.headers)
    assert state["status"] == "failed"
    assert state["error"] == tasks.INTERNAL_ERROR
    refused = client.get(asked["status_url"] + "/file", headers=admin.headers)
    assert refused.status_code == 409
    assert tasks.INTERNAL_ERROR in refused.json()["detail"]
    assert (
        session.exec(select(ExportChunk).where(ExportChunk.job_id == uuid.UUID(asked["id"]))).all()
        == []
    )
