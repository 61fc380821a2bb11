"""Signing in and out of the pages, with e-mail and password.

A failed attempt counts against the e-mail and against the address it came from (in
the database, so every web worker sees the same counts); past a few in a quarter of an
hour, further attempts wait, with Retry-After, whether the password is right or not.
Every attempt, right or wrong, counts against the address's rate limit too: checking a
password is slow on purpose, and nobody may keep the server busy with it.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from assess.persistence.models.common import utcnow
from assess.persistence.repository.signin import (
    anyone_has_a_password,
    end_web_session,
    forget_sign_in_failures,
    record_sign_in_failure,
    sign_in_failures_since,
    start_web_session,
    user_for_password,
)
from assess.persistence.security import MAX_PASSWORD_LENGTH, signed
from assess.web.console.access import (
    SESSION_COOKIE,
    StaffDep,
    checked_form,
    page,
    page_language,
    see_other,
)
from assess.web.deps import SessionDep, server_key
from assess.web.rate_limits import TooManyRequests, limit_sign_in

router = APIRouter(include_in_schema=False)

SESSION_LIFETIME = timedelta(hours=12)
WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_EMAIL = 5
MAX_FAILURES_PER_ADDRESS = 20
# Before sign-in there is no session to bind the form token to: a random value in a
# short-lived cookie takes its place, so another site cannot sign a browser in.
NONCE_COOKIE = "__Host-assess_signin"


@router.get("/sign-in")
def sign_in_page(request: Request, session: SessionDep, next: str = "/dashboard") -> HTMLResponse:
    """The sign-in form; before anyone has a password, how to make the first admin."""
    first_run = not anyone_has_a_password(session)
    return _form(request, next_page=_safe_target(next), first_run=first_run)


@router.post("/sign-in", response_model=None)
async def sign_in(request: Request, session: SessionDep) -> Response:
    """Check e-mail and password; on success a new session and on to the page asked for."""
    form = await request.form(max_files=0, max_fields=10)
    target = _safe_target(_text(form, "next") or "/dashboard")
    try:
        await run_in_threadpool(limit_sign_in, request)
    except TooManyRequests as refused:
        response = _form(request, next_page=target, problem="busy", status=429)
        response.headers.update(refused.headers)
        return response
    nonce = request.cookies.get(NONCE_COOKIE, "")
    sent = _text(form, "form_token")
    if not nonce or not hmac.compare_digest(sent, signed(server_key(request), "sign-in", nonce)):
        return _form(request, next_page=target, problem="form_token", status=403)
    email = _text(form, "email")[:320]
    password = form.get("password")
    if not email or not isinstance(password, str) or not password:
        return _form(request, next_page=target, email=email, problem="missing", status=422)
    keys = [f"email:{email.lower()}", f"address:{_address(request)}"]
    wait = _wait(session, keys)
    if wait:
        response = _form(request, next_page=target, email=email, problem="wait", status=429)
        response.headers["Retry-After"] = str(wait)
        return response
    user = None
    if len(password) <= MAX_PASSWORD_LENGTH:
        user = user_for_password(session, email=email, password=password)
    if user is None:
        record_sign_in_failure(session, keys=keys)
        return _form(request, next_page=target, email=email, problem="wrong", status=401)
    forget_sign_in_failures(session, keys=keys[:1], before=utcnow() - WINDOW)
    token = start_web_session(session, user=user, lifetime=SESSION_LIFETIME)
    redirect = see_other(target)
    redirect.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        path="/",
        secure=True,
        httponly=True,
        samesite="lax",
    )
    redirect.delete_cookie(NONCE_COOKIE, path="/", secure=True, httponly=True)
    return redirect


@router.post("/sign-out")
def sign_out(staff: StaffDep, form: Annotated[FormData, Depends(checked_form)]) -> Response:
    """End this browser's session."""
    end_web_session(staff.session, token=staff.session_token)
    response = see_other("/sign-in", signed_out="1")
    response.delete_cookie(SESSION_COOKIE, path="/", secure=True, httponly=True, samesite="lax")
    return response


@router.get("/", include_in_schema=False)
def home() -> RedirectResponse:
    """The dashboard (which asks to sign in first, when needed)."""
    return see_other("/dashboard")


def _form(
    request: Request,
    *,
    next_page: str,
    email: str = "",
    problem: str | None = None,
    status: int = 200,
    first_run: bool = False,
) -> HTMLResponse:
    nonce = request.cookies.get(NONCE_COOKIE) or secrets.token_urlsafe(16)
    response = page(
        request,
        "console/sign_in.html.j2",
        page_language(request),
        status,
        next_page=next_page,
        email=email,
        problem=problem,
        signed_out=request.query_params.get("signed_out") == "1",
        insecure=_insecure(request),
        first_run=first_run,
        form_token=signed(server_key(request), "sign-in", nonce),
    )
    response.set_cookie(
        NONCE_COOKIE, nonce, max_age=3600, path="/", secure=True, httponly=True, samesite="lax"
    )
    return response


def _wait(session: SessionDep, keys: list[str]) -> int:
    """Seconds to wait before another attempt counted under these keys; 0 for none."""
    since = utcnow() - WINDOW
    limits = (MAX_FAILURES_PER_EMAIL, MAX_FAILURES_PER_ADDRESS)
    for key, limit in zip(keys, limits, strict=True):
        if sign_in_failures_since(session, key=key, since=since) >= limit:
            return int(WINDOW.total_seconds())
    return 0


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _insecure(request: Request) -> bool:
    """Whether the browser will refuse the session cookie: plain http to another host
    than this machine (serve over HTTPS, or behind a proxy that says it did)."""
    local = request.url.hostname in ("localhost", "127.0.0.1", "::1", "[::1]")
    return request.url.scheme != "https" and not local


def _safe_target(target: str) -> str:
    """Only a path of this site (no //host, no scheme): no one can send a signed-in
    browser elsewhere through the sign-in form."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/dashboard"
    return target[:500]


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""
