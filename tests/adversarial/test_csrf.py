"""Cross-site request forgery on every form post: the pages' routes come from the
application's route table, so a form added later is attacked too."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.adversarial.conftest import Route, Tenant, every_route, signed_in, stored_data
from tests.adversarial.test_cross_tenant import SHARED
from tests.web.browsing import PASSWORD, browser, form_token, with_password

# Where a respondent or a study's visitor posts: their forms carry a token bound to the link.
RESPONDENT_PAGES = ("/r/", "/s/")


def console_posts(app: FastAPI) -> list[Route]:
    """Every form post of the console's pages (not the API, not the respondents')."""
    return [
        r
        for r in every_route(app)
        if r.method == "POST" and not r.api and not r.path.startswith(RESPONDENT_PAGES)
    ]


def forged_tokens(app: FastAPI, session: Session, theirs: Tenant) -> list[dict[str, str]]:
    """What a forged form carries: no token, a made-up one, and another session's."""
    foreign = form_token(signed_in(app, session, theirs.consultant).get("/dashboard").text)
    return [{}, {"form_token": "0" * 64}, {"form_token": ""}, {"form_token": foreign}]


def test_every_console_form_post_without_its_sessions_token_is_refused_and_changes_nothing(
    app: FastAPI, session: Session, ours: Tenant, theirs: Tenant
) -> None:
    """CWE-352 Cross-site request forgery: every POST of the pages, by a signed-in
    consultant of the organisation, with its own ids, but no valid form token."""
    pages = signed_in(app, session, ours.consultant)
    forged = forged_tokens(app, session, theirs)
    routes = console_posts(app)
    assert Route("POST", "/assessments/{assessment_id}/close") in routes
    assert Route("POST", "/sign-out") in routes
    before = stored_data(app)
    for route in routes:
        if route.path == "/sign-in":
            continue
        path = route.path.format(**{**SHARED, **ours.ids()})
        fields = {"name": "Forged", "confirm": "yes", "respondents": "Eve", "source": "x"}
        for token in forged:
            refused = pages.post(path, data={**fields, **token})
            assert refused.status_code == 403, (route, token, refused.status_code)
    assert stored_data(app) == before
    assert pages.get("/dashboard").status_code == 200  # still signed in: sign-out refused too


def test_a_sign_in_posted_from_another_site_is_refused(
    app: FastAPI, session: Session, ours: Tenant
) -> None:
    """CWE-352 Cross-site request forgery (login CSRF): a sign-in form posted without the
    token and cookie the sign-in page gave this browser signs no one in."""
    with_password(session, ours.consultant.user.email)
    token = form_token(browser(app).get("/sign-in").text)  # the attacker's own page's
    for data in (
        {"email": ours.consultant.user.email, "password": PASSWORD},
        {"email": ours.consultant.user.email, "password": PASSWORD, "form_token": token},
    ):
        forged = browser(app).post("/sign-in", data=data)  # no nonce cookie of its own
        assert forged.status_code == 403
        assert "assess_session" not in forged.headers.get("set-cookie", "")


@pytest.mark.parametrize("step", ["profile", "level/1", "review"])
def test_a_respondents_form_posted_without_its_links_token_changes_nothing(
    app: FastAPI, client: TestClient, ours: Tenant, step: str
) -> None:
    """CWE-352 Cross-site request forgery: a respondent's page posted with no token, a
    made-up one, or the token of another respondent's link saves and submits nothing."""
    made = client.post(
        f"/api/v1/assessments/{ours.assessment_id}/invitations",
        json={"invitations": [{"label": "Victim"}, {"label": "Forger"}]},
        headers=ours.consultant.headers,
    ).json()
    victim, forger = made[0]["token"], made[1]["token"]
    foreign = form_token(client.get(f"/r/{forger}/{step}").text)
    before = stored_data(app)
    for token in ({}, {"form_token": "0" * 64}, {"form_token": foreign}):
        data = {"team": "back", "listen-feedback": "1", "submission": "x", **token}
        refused = client.post(f"/r/{victim}/{step}", data=data, follow_redirects=False)
        assert refused.status_code == 403, (step, token)
    assert stored_data(app) == before


def test_a_studys_start_posted_without_its_token_starts_nothing(
    app: FastAPI, client: TestClient, ours: Tenant
) -> None:
    """CWE-352 Cross-site request forgery: the start of an anonymous study posted without
    the study page's token opens no response."""
    study = client.post(
        f"/api/v1/organisations/{ours.organisation_id}/assessments",
        json={"questionnaire_id": "service-check", "name": "Study", "kind": "study"},
        headers=ours.consultant.headers,
    ).json()
    client.post(f"/api/v1/assessments/{study['id']}/open", headers=ours.consultant.headers)
    link = client.post(
        f"/api/v1/assessments/{study['id']}/public-link", headers=ours.consultant.headers
    ).json()["token"]
    before = stored_data(app)
    for token in ({}, {"form_token": "0" * 64}):
        assert client.post(f"/s/{link}", data=token, follow_redirects=False).status_code == 403
    assert stored_data(app) == before
