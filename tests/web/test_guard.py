"""The body guard refuses what no database stores safely, in the address and the body."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from assess.web.guard import MAX_DRAINED_BYTES, bad_text


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
    assert elsewhere.headers["content-type"] == "application/problem+json"
    marked = client.post("/questionnaires", content=body, follow_redirects=False)
    assert marked.status_code == 303  # the page answers: here, sign in first
    beyond = client.post("/questionnaires", content=b"x" * (MAX_DRAINED_BYTES + 1))
    assert beyond.status_code == 413
    assert beyond.headers["content-type"] == "application/problem+json"
