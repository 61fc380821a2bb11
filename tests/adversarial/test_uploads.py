"""YAML bombs, unsafe YAML tags and oversize uploads, through the API and the pages."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.adversarial.conftest import Tenant, signed_in, stored_data
from tests.conftest import Caller, make_caller
from tests.web.browsing import form_token

LAUGHS = "\n".join(
    [
        "id: bomb",
        "version: 1",
        'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
    ]
    + [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    + ["title: *a9"]
)
DEEP = "id: deep\nversion: 1\ntitle: " + "[" * 50_000 + "]" * 50_000
UNSAFE = 'id: !!python/object/apply:os.system ["touch /tmp/assess-pwned"]\nversion: 1\n'


@pytest.fixture
def admin(session: Session) -> Caller:
    return make_caller(session, "root@example.org", admin=True)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "source"), [("billion laughs", LAUGHS), ("deep nesting", DEEP), ("unsafe tag", UNSAFE)]
)
def test_a_hostile_questionnaire_file_is_refused_and_publishes_nothing(
    app: FastAPI, client: TestClient, session: Session, admin: Caller, name: str, source: str
) -> None:
    """CWE-776 Unrestricted recursive entity references (billion laughs), CWE-674
    Uncontrolled recursion, CWE-502 Deserialization of untrusted data: a questionnaire
    file posted to the API and uploaded on the admins' page."""
    before = stored_data(app)
    sent = client.post(
        "/api/v1/questionnaires",
        content=source.encode(),
        headers={**admin.headers, "Content-Type": "application/yaml"},
    )
    assert sent.status_code == 422, sent.text[:300]  # how fast: bench/hostile_files.py
    pages = signed_in(app, session, admin)
    token = form_token(pages.get("/questionnaires").text)
    files = {"file": ("bomb.yaml", source.encode(), "application/yaml")}
    uploaded = pages.post("/questionnaires", data={"source": "", "form_token": token}, files=files)
    assert uploaded.status_code == 422, uploaded.text[:300]
    assert uploaded.headers["content-type"].startswith("text/html")
    assert not Path("/tmp/assess-pwned").exists()
    after = stored_data(app)
    assert after["questionnaire_versions"] == before["questionnaire_versions"]


def chunks(size: int) -> Iterator[bytes]:
    """A body of `size` bytes sent in pieces without a declared length."""
    sent = 0
    while sent < size:
        piece = min(65_536, size - sent)
        yield b"a" * piece
        sent += piece


def test_oversize_bodies_are_refused_on_every_upload_and_store_nothing(
    app: FastAPI, client: TestClient, session: Session, admin: Caller, ours: Tenant
) -> None:
    """CWE-770 Allocation of resources without limits: bodies over 1 MB, declared or
    streamed without a length, to the API's uploads (answers, invitations, questionnaires,
    a report's logo, a respondent's answers)."""
    before = stored_data(app)
    a, consultant = ours.assessment_id, ours.consultant.headers
    big_csv = b"respondent,listen-feedback\n" + b"r,1\n" * 300_000
    logo = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"0" * 2_000_000).decode()
    answers = b'{"answers": {"x": "' + b"a" * 1_100_000 + b'"}}'
    for method, path, content, kind, headers in (
        ("POST", f"/api/v1/assessments/{a}/import", big_csv, "text/csv", consultant),
        ("POST", f"/api/v1/assessments/{a}/invitations", big_csv, "text/csv", consultant),
        ("POST", "/api/v1/questionnaires", b"#" * 1_100_000, "application/yaml", admin.headers),
        (
            "POST",
            f"/api/v1/assessments/{a}/reports",
            json.dumps({"logo": logo}).encode(),
            "application/json",
            consultant,
        ),
        ("PUT", f"/api/v1/respond/{ours.tokens[0]}", answers, "application/json", {}),
    ):
        headers = {**headers, "Content-Type": kind}
        sent = client.request(method, path, content=content, headers=headers)
        assert sent.status_code == 413, (path, sent.status_code)
        streamed = client.request(method, path, content=chunks(1_500_000), headers=headers)
        assert streamed.status_code == 413, (path, streamed.status_code)
    assert stored_data(app) == before


def test_oversize_uploads_on_the_pages_are_explained_and_store_nothing(
    app: FastAPI, session: Session, admin: Caller, ours: Tenant
) -> None:
    """CWE-770 Allocation of resources without limits: a respondents' list over its limit
    and a questionnaire file over 1 MB, uploaded on the pages."""
    before = stored_data(app)
    pages = signed_in(app, session, ours.consultant)
    page = f"/assessments/{ours.assessment_id}"
    token = form_token(pages.get(page).text)
    files = {"file": ("people.csv", b"label\n" + b"Someone\n" * 70_000, "text/csv")}
    listed = pages.post(f"{page}/respondents", data={"form_token": token}, files=files)
    assert listed.status_code == 422, listed.text[:300]
    admins = signed_in(app, session, admin)
    token = form_token(admins.get("/questionnaires").text)
    files = {"file": ("big.yaml", b"#" * 2_000_000, "application/yaml")}
    uploaded = admins.post("/questionnaires", data={"form_token": token}, files=files)
    assert 400 <= uploaded.status_code < 500
    assert uploaded.headers["content-type"].startswith("text/html")
    after = stored_data(app)
    for table in ("invitations", "questionnaire_versions"):
        assert after[table] == before[table]


def test_a_decompression_bomb_as_a_logo_is_refused(client: TestClient, ours: Tenant) -> None:
    """CWE-409 Improper handling of highly compressed data: a small PNG that decodes to
    48 megapixels, sent as a report's logo."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("1", (8000, 6000)).save(buffer, format="PNG")
    assert len(buffer.getvalue()) < 100_000
    asked = client.post(
        f"/api/v1/assessments/{ours.assessment_id}/reports",
        json={"logo": base64.b64encode(buffer.getvalue()).decode()},
        headers=ours.consultant.headers,
    )
    assert asked.status_code == 422
    assert "megapixels" in asked.json()["detail"]
