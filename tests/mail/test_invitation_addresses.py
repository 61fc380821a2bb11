"""Invitations carry an e-mail address and a language, through JSON, CSV and a change
later; no research export ever holds an address."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import Caller
from tests.mail.conftest import invite


def test_json_and_csv_take_addresses_and_languages(
    client: TestClient, consultant: Caller, assessment: dict
) -> None:
    made = invite(
        client,
        consultant,
        assessment,
        {"label": "Anna", "email": "anna@example.org", "language": "de"},
    )
    assert (made["Anna"]["email"], made["Anna"]["language"]) == ("anna@example.org", "de")
    csv = "label,department,email,language\nBen,,ben@example.org,en\nCara,,,\n"
    response = client.post(
        f"/api/v1/assessments/{assessment['id']}/invitations",
        content=csv.encode(),
        headers={**consultant.headers, "Content-Type": "text/csv"},
    )
    assert response.status_code == 201, response.text
    listed = {
        i["label"]: i
        for i in client.get(
            f"/api/v1/assessments/{assessment['id']}/invitations", headers=consultant.headers
        ).json()
    }
    assert (listed["Ben"]["email"], listed["Ben"]["language"]) == ("ben@example.org", "en")
    assert (listed["Cara"]["email"], listed["Cara"]["language"]) == (None, "en")


def test_a_bad_address_or_language_is_refused_and_nothing_is_saved(
    client: TestClient, consultant: Caller, assessment: dict
) -> None:
    path = f"/api/v1/assessments/{assessment['id']}/invitations"
    csv = "label,email\nAnna,anna@example.org\nBen,ben(at)example.org\n"
    bad_csv = client.post(
        path, content=csv.encode(), headers={**consultant.headers, "Content-Type": "text/csv"}
    )
    assert bad_csv.status_code == 422
    assert "ben(at)example.org" in bad_csv.json()["detail"]
    language = client.post(
        path,
        json={"invitations": [{"label": "Anna", "language": "fr"}]},
        headers=consultant.headers,
    )
    assert language.status_code == 422
    assert "this questionnaire is in en, de" in language.json()["detail"]
    assert client.get(path, headers=consultant.headers).json() == []


def test_an_address_and_language_can_be_changed_or_removed(
    client: TestClient, consultant: Caller, assessment: dict
) -> None:
    made = invite(client, consultant, assessment, {"label": "Anna", "email": "anna@example.org"})
    path = f"/api/v1/assessments/{assessment['id']}/invitations/{made['Anna']['id']}"
    changed = client.patch(path, json={"language": "de"}, headers=consultant.headers).json()
    assert (changed["email"], changed["language"]) == ("anna@example.org", "de")
    assert changed["link"].endswith(f"/r/{made['Anna']['token']}")  # the link stays
    removed = client.patch(path, json={"email": None}, headers=consultant.headers).json()
    assert (removed["email"], removed["language"]) == (None, "de")
    assert client.patch(path, json={"email": "nope"}, headers=consultant.headers).status_code == 422
    assert (
        client.patch(path, json={"language": "fr"}, headers=consultant.headers).status_code == 422
    )
