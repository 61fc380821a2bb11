"""Signing in to the pages: sessions in a __Host- cookie, tokens on every form, and
attempts that fail too often are made to wait."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi import FastAPI
from sqlmodel import Session, select

from assess.persistence.models.accounts import WebSession
from assess.persistence.models.common import utcnow
from assess.persistence.repository.signin import set_password
from tests.web.browsing import PASSWORD, browser, form_token, sign_in, with_password


def test_pages_ask_to_sign_in_and_return_to_the_page_asked_for(
    app: FastAPI, session: Session
) -> None:
    with_password(session, "ada@example.org")
    client = browser(app)
    asked = client.get("/dashboard?x=1")
    assert asked.status_code == 303
    assert asked.headers["location"] == "/sign-in?next=/dashboard%3Fx%3D1"
    page = client.get(asked.headers["location"])
    assert 'name="next" value="/dashboard?x=1"' in page.text
    signed = client.post(
        "/sign-in",
        data={
            "email": "ADA@example.org ",
            "password": PASSWORD,
            "form_token": form_token(page.text),
            "next": "/dashboard?x=1",
        },
    )
    assert signed.status_code == 303
    assert signed.headers["location"] == "/dashboard?x=1"
    cookie = next(
        c for c in signed.headers.get_list("set-cookie") if c.startswith("__Host-assess_session=")
    )
    for attribute in ("HttpOnly", "Secure", "Path=/", "SameSite=lax"):
        assert attribute.lower() in cookie.lower()
    assert "domain" not in cookie.lower()
    assert client.get("/dashboard").status_code == 200


def test_the_session_token_is_stored_only_hashed(app: FastAPI, session: Session) -> None:
    with_password(session, "ada@example.org")
    client = sign_in(browser(app), "ada@example.org")
    token = client.cookies.get("__Host-assess_session")
    stored = session.exec(select(WebSession)).one()
    assert token
    assert stored.token_hash != token
    assert token not in stored.token_hash


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(
    app: FastAPI, session: Session
) -> None:
    with_password(session, "ada@example.org")
    client = browser(app)
    answers = []
    for email, password in (("ada@example.org", "wrong password"), ("no@example.org", PASSWORD)):
        page = client.get("/sign-in")
        answers.append(
            client.post(
                "/sign-in",
                data={"email": email, "password": password, "form_token": form_token(page.text)},
            )
        )
    assert [a.status_code for a in answers] == [401, 401]
    assert all("The e-mail or the password is not right" in a.text for a in answers)
    assert client.get("/dashboard").status_code == 303


def test_sign_in_without_its_form_token_is_refused(app: FastAPI, session: Session) -> None:
    with_password(session, "ada@example.org")
    client = browser(app)
    client.get("/sign-in")
    refused = client.post("/sign-in", data={"email": "ada@example.org", "password": PASSWORD})
    assert refused.status_code == 403
    assert client.get("/dashboard").status_code == 303


def test_too_many_failures_make_the_next_attempts_wait_even_with_the_right_password(
    app: FastAPI, session: Session
) -> None:
    with_password(session, "ada@example.org")
    client = browser(app)
    statuses = []
    for password in ["nope"] * 5 + [PASSWORD]:
        page = client.get("/sign-in")
        response = client.post(
            "/sign-in",
            data={
                "email": "ada@example.org",
                "password": password,
                "form_token": form_token(page.text),
            },
        )
        statuses.append(response.status_code)
    assert statuses == [401] * 5 + [429]
    assert int(response.headers["retry-after"]) > 0
    assert "Too many attempts" in response.text
    with_password(session, "bob@example.org")
    sign_in(browser(app), "bob@example.org")  # another e-mail from the same address still may


def test_signing_out_ends_the_session_everywhere_it_was_used(
    app: FastAPI, session: Session
) -> None:
    with_password(session, "ada@example.org")
    client = sign_in(browser(app), "ada@example.org")
    stolen = browser(app)
    stolen.cookies.set("__Host-assess_session", client.cookies["__Host-assess_session"])
    page = client.get("/dashboard")
    out = client.post("/sign-out", data={"form_token": form_token(page.text)})
    assert out.status_code == 303
    assert stolen.get("/dashboard").status_code == 303


def test_a_new_password_signs_out_every_browser(app: FastAPI, session: Session) -> None:
    user = with_password(session, "ada@example.org")
    client = sign_in(browser(app), "ada@example.org")
    set_password(session, user=user, password="another long password")
    assert client.get("/dashboard").status_code == 303


def test_sign_in_never_sends_the_browser_to_another_site(app: FastAPI, session: Session) -> None:
    with_password(session, "ada@example.org")
    for target in ("https://evil.example", "//evil.example/x", "/\\evil.example"):
        client = browser(app)
        page = client.get("/sign-in")
        response = client.post(
            "/sign-in",
            data={
                "email": "ada@example.org",
                "password": PASSWORD,
                "next": target,
                "form_token": form_token(page.text),
            },
        )
        assert response.headers["location"] == "/dashboard"


def test_sign_in_page_speaks_german_when_asked(app: FastAPI) -> None:
    client = browser(app)
    page = client.get("/sign-in", headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert '<html lang="de">' in page.text
    assert "Anmelden" in page.text


def test_plain_http_to_another_host_is_warned_about(app: FastAPI) -> None:
    from fastapi.testclient import TestClient

    page = TestClient(app, base_url="http://assess.example.org").get("/sign-in")
    assert "not served over HTTPS" in page.text


def test_before_anyone_has_a_password_the_sign_in_page_says_how_to_make_the_first_admin(
    app: FastAPI, session: Session
) -> None:
    first = browser(app).get("/sign-in")
    assert "No one can sign in yet" in first.text
    shown = re.sub(r"<[^>]+>", "", first.text)  # each word of the command is a span of its own
    assert "assess user create --email you@example.org --admin --password" in shown
    with_password(session, "ada@example.org", admin=True)
    assert "No one can sign in yet" not in browser(app).get("/sign-in").text


def test_a_clock_set_back_does_not_make_a_wait_last_longer_than_its_window(
    app: FastAPI, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_password(session, "ada@example.org")
    client = browser(app)

    def attempt(password: str) -> int:
        page = client.get("/sign-in")
        data = {
            "email": "ada@example.org",
            "password": password,
            "form_token": form_token(page.text),
        }
        return client.post("/sign-in", data=data).status_code

    assert [attempt("nope") for _ in range(5)] == [401] * 5
    assert attempt(PASSWORD) == 429
    an_hour_ago = utcnow() - timedelta(hours=1)  # the machine's clock is set back an hour
    for module in ("assess.web.console.signin", "assess.persistence.repository.signin"):
        monkeypatch.setattr(f"{module}.utcnow", lambda: an_hour_ago)
    assert attempt(PASSWORD) == 303  # not another hour and a quarter
