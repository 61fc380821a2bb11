"""Using the pages as a browser would: reading a form's token, signing in."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from assess.persistence.models.accounts import User
from assess.persistence.repository.accounts import create_user, get_user_by_email
from assess.persistence.repository.signin import set_password
from tests.conftest import Caller

PASSWORD = "correct horse battery staple"
_TOKEN = re.compile(r'name="form_token" value="([^"]+)"')


def form_token(html: str) -> str:
    """The form token of the first form of a page."""
    found = _TOKEN.search(html)
    assert found, "the page has no form token"
    return found.group(1)


def browser(app: FastAPI) -> TestClient:
    """A client that keeps cookies as a browser does: over HTTPS, so Secure ones too."""
    return TestClient(app, base_url="https://testserver", follow_redirects=False)


def with_password(session: Session, email: str, *, admin: bool = False) -> User:
    """A user who signs in with PASSWORD (created unless they exist)."""
    user = get_user_by_email(session, email=email) or create_user(
        session, email=email, is_admin=admin
    )
    set_password(session, user=user, password=PASSWORD)
    return user


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> TestClient:
    """Sign the client in through the sign-in form; the client, signed in."""
    page = client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={"email": email, "password": password, "form_token": form_token(page.text)},
    )
    assert response.status_code == 303, response.text
    return client


def signed_in(app: FastAPI, session: Session, caller: Caller) -> TestClient:
    """A browser signed in as the caller's user."""
    with_password(session, caller.user.email)
    return sign_in(browser(app), caller.user.email)


def post_form(client: TestClient, page: str, action: str, data: dict, files=None):
    """Send `data` to `action` with the form token of `page`, as its form does."""
    token = form_token(client.get(page).text)
    return client.post(action, data={**data, "form_token": token}, files=files)
