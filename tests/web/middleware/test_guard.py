"""The body guard refuses what no database stores safely, in the address and the body."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assess.web.middleware.guard import (
    MAX_DRAINED_BYTES,
    MAX_HEADER_BYTES,
    MAX_QUERY_BYTES,
    bad_text,
)
from tests.conftest import application


@pytest.mark.parametrize(
    ("value", "bad"),
    [
        ("plain text, äöü €", False),
        ("a\x00b", True),
        ("\ud800", True),
        ({"key": ["fine", {"deeper": "\udfff"}]}, True),
        ({"k\x00": 1}, True),
        ([1, 2.5, None, True], False),
    ],
)
def test_bad_text_finds_nul_bytes_and_lone_surrogates_anywhere(value: object, bad: bool) -> None:
    assert bad_text(value) is bad


@pytest.mark.parametrize(
    "address", ["/api/v1/respond/abc%00def", "/api/v1/respond/abc?lang=%ED%A0%80"]
)
def test_nul_bytes_and_invalid_characters_in_the_address_are_422(
    client: TestClient, address: str
) -> None:
    response = client.get(address)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


def test_an_ordinary_address_passes_the_guard(client: TestClient) -> None:
    assert client.get("/api/v1/respond/" + "x" * 32 + "?lang=de").status_code == 404


def test_only_the_questionnaire_form_gets_an_oversized_body_through_marked_and_empty(
    client: TestClient,
) -> None:
    body = b"x" * 1_100_000
    elsewhere = client.post("/organisations", content=body)
    assert elsewhere.status_code == 413
    assert elsewhere.headers["content-type"].startswith("text/html")
    marked = client.post("/questionnaires", content=body, follow_redirects=False)
    assert marked.status_code == 303  # the page answers: here, sign in first
    beyond = client.post("/questionnaires", content=b"x" * (MAX_DRAINED_BYTES + 1))
    assert beyond.status_code == 413
    assert beyond.headers["content-type"] == "application/problem+json"


@pytest.fixture
def small(database_url: str) -> Iterator[FastAPI]:
    """The application with a body limit of 10 kB."""
    yield from application(database_url, max_body_bytes=10_000)


def test_the_body_limit_is_a_setting_and_the_api_answers_it_with_a_problem(
    small: FastAPI,
) -> None:
    client = TestClient(small)
    refused = client.put("/api/v1/respond/" + "x" * 32, content=b'{"answers": "' + b"x" * 10_000)
    assert refused.status_code == 413
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["detail"] == "The body is larger than 10,000 bytes."
    assert client.put("/api/v1/respond/" + "x" * 32, json={"answers": {}}).status_code == 404


def test_a_form_too_large_for_a_page_gets_a_page_in_the_browsers_language(
    small: FastAPI,
) -> None:
    client = TestClient(small)
    form = {"form_token": "t", "comment": "x" * 20_000}
    english = client.post("/r/" + "x" * 32 + "/level/1?lang=en", data=form)
    assert english.status_code == 413
    assert english.headers["content-type"].startswith("text/html")
    assert "Too much was sent" in english.text
    assert "10,000 bytes" in english.text
    german = client.post(
        "/r/" + "x" * 32 + "/level/1", data=form, headers={"Accept-Language": "de-DE"}
    )
    assert german.status_code == 413
    assert "Zu viel auf einmal gesendet" in german.text


def test_overlong_query_strings_and_headers_are_refused(client: TestClient) -> None:
    query = client.get("/api/v1/questionnaires?q=" + "x" * MAX_QUERY_BYTES)
    assert query.status_code == 414
    assert query.headers["content-type"] == "application/problem+json"
    headers = {f"x-filler-{n}": "x" * 1000 for n in range(MAX_HEADER_BYTES // 1000 + 1)}
    assert client.get("/healthz", headers=headers).status_code == 431


def test_a_respondents_page_takes_no_files(client: TestClient) -> None:
    response = client.post(
        "/r/" + "x" * 32 + "/level/1",
        data={"form_token": "t"},
        files={"upload": ("a.txt", b"hello", "text/plain")},
    )
    assert response.status_code == 400
