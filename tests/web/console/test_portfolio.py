"""A consultant's portfolio from the pages: chosen clients only, an overview of them side
by side as the first document (released figures, or why none), then their reports."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from assess.reporting.i18n import translator
from tests.conftest import Caller
from tests.web.assessments import assessment_in, new_organisation, words_of
from tests.web.browsing import form_token, signed_in
from tests.web.console.consulting import downloaded

API = "/api/v1"


def ask(browsing: TestClient, data: dict) -> object:
    token = form_token(browsing.get("/portfolio").text)
    return browsing.post("/portfolio", data={**data, "form_token": token}, follow_redirects=False)


@pytest.mark.slow
def test_the_portfolio_holds_the_chosen_clients_with_an_overview_first(
    app: FastAPI, client: TestClient, session: Session, consultant: Caller, published: object
) -> None:
    shown = new_organisation(client, consultant, "Alpha GmbH")
    assessment = assessment_in(client, consultant, shown)
    waiting = new_organisation(client, consultant, "Beta AG")
    assessment_in(client, consultant, waiting, answers=None, close=False)
    left_out = new_organisation(client, consultant, "Gamma KG")
    assessment_in(client, consultant, left_out)
    browsing = signed_in(app, session, consultant)
    page = browsing.get("/portfolio").text
    assert all(name in page for name in ("Alpha GmbH", "Beta AG", "Gamma KG"))
    asked = ask(browsing, {"organisation": [shown, waiting], "language": "de"})
    assert asked.status_code == 303
    archive = downloaded(browsing)
    names = archive.namelist()
    assert names[0] == "0-overview.pdf"
    assert [n for n in names if n.endswith(".pdf")][1:] == ["alpha-gmbh-cx-2026-2026-de.pdf"]
    overview = words_of(archive.read("0-overview.pdf"))
    assert "Gamma KG" not in overview
    results = client.get(f"{API}/assessments/{assessment}/results", headers=consultant.headers)
    overall = translator("de").number(results.json()["overall"]["score"])
    assert re.search(rf"Alpha GmbH CX 2026 · 2026 \d+ {re.escape(overall)}", overview), overview
    assert "Beta AG Noch keine abgeschlossene Erhebung." in overview
    assert "Gamma KG" not in archive.read("contents.csv").decode()


def test_choosing_no_client_is_refused_with_a_message_and_nothing_is_made(
    app: FastAPI, client: TestClient, session: Session, consultant: Caller, published: object
) -> None:
    new_organisation(client, consultant, "Alpha GmbH")
    browsing = signed_in(app, session, consultant)
    refused = ask(browsing, {"language": "en"})
    assert refused.status_code == 422
    assert "Choose at least one client from the list." in refused.text
    assert "You have not asked for a portfolio yet." in refused.text


def test_another_consultants_client_cannot_be_put_in_a_portfolio(
    app: FastAPI,
    client: TestClient,
    session: Session,
    consultant: Caller,
    admin: Caller,
    published: object,
) -> None:
    theirs = new_organisation(client, admin, "Fremd GmbH")
    browsing = signed_in(app, session, consultant)
    refused = ask(browsing, {"organisation": [theirs], "language": ""})
    assert refused.status_code == 422
    assert "Fremd GmbH" not in refused.text
