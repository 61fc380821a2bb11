"""Industry, size and country are chosen from the default questionnaire's options: enums
in the API schema and a 422 naming them, selects in the console, and organisations whose
older free-text values match no option listed until someone chooses one."""

from __future__ import annotations

import uuid

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from assess.persistence.models.organisations import Organisation
from tests.conftest import Caller
from tests.web.browsing import browser, post_form, sign_in, with_password

API = "/api/v1"


def test_the_schema_offers_the_options_of_the_default_questionnaire(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    fields = schemas["OrganisationCreate"]["properties"]
    industry = fields["industry"]["anyOf"][0]["enum"]
    assert industry[:2] == ["retail", "manufacturing"]
    assert "250-999" in fields["size"]["anyOf"][0]["enum"]
    assert "de" in fields["country"]["anyOf"][0]["enum"]


def test_a_free_text_industry_is_refused_naming_the_options(
    client: TestClient, consultant: Caller
) -> None:
    body = {"name": "Muster GmbH", "industry": "Handel", "size": "250-999", "country": "de"}
    refused = client.post(f"{API}/organisations", json=body, headers=consultant.headers)
    assert refused.status_code == 422
    detail = refused.json()["detail"]
    assert "body.industry: 'Handel' is not one of the options; choose one of: retail," in detail
    made = client.post(
        f"{API}/organisations", json={**body, "industry": "retail"}, headers=consultant.headers
    )
    assert made.status_code == 201
    assert (made.json()["industry"], made.json()["unmatched_attributes"]) == ("retail", {})


def test_the_console_offers_the_options_by_their_german_labels(
    app: FastAPI, session: Session
) -> None:
    with_password(session, "selects@example.org")
    pages = sign_in(browser(app), "selects@example.org")
    page = pages.get("/dashboard?lang=de").text
    assert '<select id="f-industry" name="industry"' in page
    assert '<option value="retail">Handel</option>' in page
    assert '<option value="250-999">250–999</option>' in page
    assert '<option value="de">Deutschland</option>' in page
    made = post_form(
        pages,
        "/dashboard",
        "/organisations",
        {"name": "Laden GmbH", "industry": "retail", "size": "250-999", "country": "de"},
    )
    assert made.status_code == 303
    shown = pages.get(made.headers["location"].split("?")[0]).text
    assert "<dd>Handel</dd>" in shown
    assert "<dd>Deutschland</dd>" in shown


def test_unmatched_values_are_listed_until_an_option_is_chosen(
    app: FastAPI, session: Session
) -> None:
    with_password(session, "admin-attributes@example.org", admin=True)
    pages = sign_in(browser(app), "admin-attributes@example.org")
    organisation = Organisation(
        name="Alt & Co", country="de", unmatched_attributes={"industry": "Lebensmittel"}
    )
    session.add(organisation)
    session.commit()
    dashboard = pages.get("/dashboard?lang=de").text
    assert "Branche, Größe oder Land neu auswählen" in dashboard
    assert f'<a href="/organisations/{organisation.id}#attributes">Alt &amp; Co</a>' in dashboard
    assert "Branche „Lebensmittel“" in dashboard
    page = f"/organisations/{organisation.id}"
    unmatched = "Diese Angaben passen zu keinem Listeneintrag: Branche „Lebensmittel“"
    assert unmatched in pages.get(page).text
    action = f"/organisations/{organisation.id}/attributes"
    wrong = post_form(pages, page, action, {"industry": "Lebensmittel", "country": "de"})
    assert wrong.status_code == 422
    assert 'id="f-industry-error"' in wrong.text
    chosen = post_form(pages, page, action, {"industry": "retail", "country": "de"})
    assert chosen.status_code == 303
    session.refresh(organisation)
    assert (organisation.industry, organisation.unmatched_attributes) == ("retail", {})
    assert "neu auswählen" not in pages.get("/dashboard?lang=de").text


def test_the_api_chooses_an_option_in_place_of_an_unmatched_value(
    client: TestClient, session: Session, consultant: Caller
) -> None:
    made = client.post(
        f"{API}/organisations",
        json={"name": "Alt GmbH", "size": "1-49"},
        headers=consultant.headers,
    ).json()
    organisation = session.get(Organisation, uuid.UUID(made["id"]))
    assert organisation is not None
    organisation.unmatched_attributes = {"industry": "Lebensmittel"}
    session.add(organisation)
    session.commit()
    address = f"{API}/organisations/{made['id']}"
    refused = client.patch(address, json={"industry": "Food"}, headers=consultant.headers)
    assert refused.status_code == 422
    assert "choose one of: retail" in refused.json()["detail"]
    changed = client.patch(address, json={"industry": "retail"}, headers=consultant.headers)
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body["industry"], body["size"], body["unmatched_attributes"]) == ("retail", "1-49", {})
    cleared = client.patch(address, json={"size": None}, headers=consultant.headers).json()
    assert (cleared["industry"], cleared["size"]) == ("retail", None)
