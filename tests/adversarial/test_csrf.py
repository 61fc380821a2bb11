"""Cross-site request forgery on every form post: the pages' routes come from the
application's route table, so a form added later is attacked too."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session

from assess.web.middleware.cross_site import from_another_site
from tests.adversarial.conftest import Route, Tenant, every_route, signed_in, stored_data
from tests.adversarial.routes import SHARED
from tests.browser.server import serve
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


# What a browser says of a form another site posted: its origin, that it crossed sites
# (an opaque origin, from a sandboxed frame or a data: page, comes with that); also this
# site's host on another scheme or port, which is another origin.
FOREIGN = [
    {"Origin": "http://evil.example"},
    {"Sec-Fetch-Site": "cross-site"},
    {"Origin": "null", "Sec-Fetch-Site": "cross-site"},
    {"Origin": "http://testserver"},
    {"Origin": "https://testserver:8443"},
    {"Origin": "https://evil.example", "Sec-Fetch-Site": "same-origin"},
]
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


def page_posts(app: FastAPI) -> list[Route]:
    """Every form post of the pages, the console's, the respondents' and the sign-in."""
    return [r for r in every_route(app) if not r.api and r.method in UNSAFE]


@dataclass(frozen=True)
class Visitors:
    """Browsers that hold a valid form token for every form of the pages: a signed-in
    consultant, a respondent with an open link, a study's visitor and one signing in."""

    console: TestClient
    console_token: str
    respondent: TestClient
    link: str
    respondent_token: str
    study: str
    study_token: str
    signing_in: TestClient
    sign_in_token: str

    def post(self, app: FastAPI, ours: Tenant, route: Route, headers: dict[str, str]) -> Response:
        """`route` posted by the visitor whose form it is, with their valid token and
        fields a real form would send."""
        values = {**SHARED, **ours.ids(), "token": self.link, "public_token": self.study}
        path = route.path.format(**values)
        fields = {"name": "Posted", "confirm": "yes", "respondents": "Eve", "team": "back"}
        if route.path.startswith("/r/"):
            client, token = self.respondent, self.respondent_token
            fields |= {"listen-feedback": "1", "submission": "x"}
        elif route.path.startswith("/s/"):
            client, token = self.respondent, self.study_token
        elif route.path == "/sign-in":
            client, token = self.signing_in, self.sign_in_token
            fields = {"email": ours.member.user.email, "password": PASSWORD}
        else:
            client, token = self.console, self.console_token
        return client.request(
            route.method, path, data={**fields, "form_token": token}, headers=headers
        )


def visitors(app: FastAPI, client: TestClient, session: Session, ours: Tenant) -> Visitors:
    """Each kind of visitor of the pages, with the token its page gave it."""
    consultant = ours.consultant.headers
    link = client.post(
        f"/api/v1/assessments/{ours.assessment_id}/invitations",
        json={"invitations": [{"label": "Visitor"}]},
        headers=consultant,
    ).json()[0]["token"]
    study = client.post(
        f"/api/v1/organisations/{ours.organisation_id}/assessments",
        json={"questionnaire_id": "service-check", "name": "Study", "kind": "study"},
        headers=consultant,
    ).json()["id"]
    client.post(f"/api/v1/assessments/{study}/open", headers=consultant)
    public = client.post(f"/api/v1/assessments/{study}/public-link", headers=consultant)
    public_token = public.json()["token"]
    pages = signed_in(app, session, ours.consultant)
    with_password(session, ours.member.user.email)
    signing_in, respondent = browser(app), browser(app)
    return Visitors(
        console=pages,
        console_token=form_token(pages.get("/dashboard").text),
        respondent=respondent,
        link=link,
        respondent_token=form_token(respondent.get(f"/r/{link}/profile").text),
        study=public_token,
        study_token=form_token(respondent.get(f"/s/{public_token}").text),
        signing_in=signing_in,
        sign_in_token=form_token(signing_in.get("/sign-in").text),
    )


@pytest.mark.slow
@pytest.mark.parametrize("foreign", FOREIGN, ids=lambda h: " ".join(h.values()))
def test_every_page_form_posted_from_another_site_is_403_and_changes_nothing(
    app: FastAPI, client: TestClient, session: Session, ours: Tenant, foreign: dict[str, str]
) -> None:
    """CWE-352 Cross-site request forgery, CWE-1275 (a second wall behind SameSite
    cookies): every form of the pages, from the route table, posted with a valid token
    and cookies, but from another origin as the browser says, is refused unread."""
    routes = page_posts(app)
    assert Route("POST", "/r/{token}/profile") in routes
    assert Route("POST", "/s/{public_token}") in routes
    assert Route("POST", "/sign-in") in routes
    assert Route("POST", "/assessments/{assessment_id}/close") in routes
    who = visitors(app, client, session, ours)
    before = stored_data(app)
    for route in routes:
        refused = who.post(app, ours, route, foreign)
        assert refused.status_code == 403, (route, refused.status_code, refused.text[:200])
        assert refused.headers["content-type"].startswith("text/html")
        assert "This form came from another website" in refused.text
        assert "assess_session" not in refused.headers.get("set-cookie", "")
    assert stored_data(app) == before
    assert who.console.get("/dashboard").status_code == 200  # sign-out refused too


def test_a_form_from_another_site_is_explained_in_the_visitors_language(
    client: TestClient, ours: Tenant
) -> None:
    refused = client.post(
        f"/r/{ours.tokens[0]}/profile",
        data={"form_token": "t"},
        headers={"Origin": "http://evil.example", "Accept-Language": "de-DE"},
    )
    assert refused.status_code == 403
    assert "Dieses Formular kam von einer anderen Website" in refused.text


@pytest.mark.slow
@pytest.mark.parametrize(
    "own",
    [
        {"Origin": "{origin}", "Sec-Fetch-Site": "same-origin"},
        {"Origin": "{origin}:{port}"},
        {"Sec-Fetch-Site": "same-origin"},
        {"Sec-Fetch-Site": "same-site"},
        {"Sec-Fetch-Site": "none"},
        # what browsers send from our pages, whose Referrer-Policy is no-referrer
        {"Origin": "null", "Sec-Fetch-Site": "same-origin"},
        {"Origin": "https://assess.example.org"},  # ASSESS_PUBLIC_URL's, before a proxy
        {},
    ],
    ids=lambda h: " ".join(h.values()) or "neither",
)
def test_forms_posted_from_the_pages_own_origin_still_save(
    app: FastAPI, client: TestClient, session: Session, ours: Tenant, own: dict[str, str]
) -> None:
    """What browsers send for a form of the service's own pages (and old clients send
    nothing): a respondent's page is saved over HTTP, a consultant's organisation made
    over HTTPS."""
    who = visitors(app, client, session, ours)
    token = form_token(client.get(f"/r/{who.link}/profile").text)
    http = {k: v.format(origin="http://testserver", port=80) for k, v in own.items()}
    saved = client.post(
        f"/r/{who.link}/profile",
        data={"team": "back", "form_token": token},
        headers=http,
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text[:200]
    https = {k: v.format(origin="https://testserver", port=443) for k, v in own.items()}
    made = who.console.post(
        "/organisations",
        data={"name": "Same Origin GmbH", "form_token": who.console_token},
        headers=https,
    )
    assert made.status_code == 303, made.text[:200]
    listed = client.get("/api/v1/organisations", headers=ours.consultant.headers).json()
    assert "Same Origin GmbH" in [o["name"] for o in listed]


def test_the_api_takes_requests_from_any_origin_as_before(client: TestClient, ours: Tenant) -> None:
    """The API authenticates with keys that no other site's page holds: where a request
    comes from does not matter there."""
    made = client.post(
        "/api/v1/organisations",
        json={"name": "Cross GmbH"},
        headers={
            **ours.consultant.headers,
            "Origin": "http://evil.example",
            "Sec-Fetch-Site": "cross-site",
        },
    )
    assert made.status_code == 201, made.text[:200]


@pytest.mark.parametrize(
    ("scheme", "host", "origin", "foreign"),
    [
        # Behind a proxy that ends TLS, uvicorn takes the scheme from X-Forwarded-Proto.
        ("https", "assess.example.org", "https://assess.example.org", False),
        ("http", "assess.example.org", "https://assess.example.org", True),
        ("http", "127.0.0.1:8123", "http://127.0.0.1:8123", False),  # Chromium, locally
        ("http", "[::1]:8123", "http://[::1]:8123", False),
        ("http", "Assess.Example.org", "http://assess.example.ORG:80", False),
        ("http", "127.0.0.1:8123", "http://127.0.0.1:8124", True),
        ("http", "127.0.0.1:8123", "http://127.0.0.1:8123/path", False),
        ("http", "127.0.0.1:8123", "http://127.0.0.1:notaport", True),
        ("http", "127.0.0.1:8123", "file://", True),
    ],
)
def test_the_own_origin_is_the_requests_scheme_with_its_host_header(
    scheme: str, host: str, origin: str, foreign: bool
) -> None:
    scope = {"scheme": scheme, "headers": [(b"host", host.encode()), (b"origin", origin.encode())]}
    assert from_another_site(scope) is foreign


def test_through_uvicorn_a_form_from_the_pages_own_address_saves_and_another_is_403(
    app: FastAPI, client: TestClient, ours: Tenant
) -> None:
    """What Chromium sends for a form of http://127.0.0.1:port (Origin equal to that, as
    the browser tests' pages do), and what it sends behind a proxy that ends TLS
    (X-Forwarded-Proto, which uvicorn trusts from 127.0.0.1), against a real server."""
    link = client.post(
        f"/api/v1/assessments/{ours.assessment_id}/invitations",
        json={"invitations": [{"label": "Chromium"}]},
        headers=ours.consultant.headers,
    ).json()[0]["token"]
    with serve(app) as base, httpx.Client(base_url=base) as browser_like:
        token = form_token(browser_like.get(f"/r/{link}/profile").text)
        form = {"team": "back", "form_token": token}
        for own in (
            {"Origin": base, "Sec-Fetch-Site": "same-origin"},
            {"Origin": base.replace("http:", "https:"), "X-Forwarded-Proto": "https"},
        ):
            saved = browser_like.post(f"/r/{link}/profile", data=form, headers=own)
            assert saved.status_code == 303, (own, saved.text[:200])
        before = stored_data(app)
        for foreign in (
            {"Origin": base.replace("http:", "https:")},  # no proxy said it was HTTPS
            {"Origin": base.replace("127.0.0.1", "localhost")},
            {"Origin": base, "Sec-Fetch-Site": "cross-site"},
        ):
            refused = browser_like.post(f"/r/{link}/profile", data=form, headers=foreign)
            assert refused.status_code == 403, (foreign, refused.text[:200])
        assert stored_data(app) == before
