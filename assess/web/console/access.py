"""Who is signed in to the pages, in which language, and the checks every page shares:
the session cookie, the form token on every form, and organisations and assessments
loaded through a membership check (another tenant's is a 404, as if it did not exist)."""

from __future__ import annotations

import hmac
import uuid
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlmodel import Session
from starlette.datastructures import FormData

from assess.persistence.models.accounts import User
from assess.persistence.models.assessments import Assessment
from assess.persistence.models.organisations import Organisation
from assess.persistence.repository.accounts import organisation_for
from assess.persistence.repository.assessments import assessment_for
from assess.persistence.repository.signin import user_for_web_session
from assess.persistence.security import digest, signed
from assess.web.deps import SessionDep, runs, server_key
from assess.web.middleware.guard import bad_text
from assess.web.pages.language import LANGUAGES, choose_language
from assess.web.pages.visit import HEADERS, render

# __Host-: only this host, path / and Secure, so no sibling domain can set or read it.
# Browsers keep Secure cookies of http://localhost too, so one rule serves both.
SESSION_COOKIE = "__Host-assess_session"
LANGUAGE_COOKIE = "assess_lang"


class SignInRequired(Exception):
    """A page that needs a signed-in user was asked for without one."""

    def __init__(self, target: str) -> None:
        super().__init__(target)
        self.target = target


class ConsoleProblem(Exception):
    """A request the pages answer with a page explaining what went wrong."""

    def __init__(self, status: int, kind: str, **details: Any) -> None:
        super().__init__(kind)
        self.status, self.kind, self.details = status, kind, details


def page_language(request: Request) -> str:
    """`?lang=`, then the language chosen before (a cookie), then the browser's."""
    requested = request.query_params.get("lang")
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if requested not in LANGUAGES and chosen in LANGUAGES:
        return str(chosen)
    return choose_language(requested, request.headers.get("accept-language"), "en")


@dataclass
class Staff:
    """A signed-in person's request: who, in which language, and their form token."""

    request: Request
    session: Session
    user: User
    session_token: str
    language: str

    @property
    def form_token(self) -> str:
        """The token every form of this session carries."""
        return session_form_token(server_key(self.request), self.session_token)

    def render(self, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        """A page for this person."""
        return page(self.request, template, self.language, status, staff=self, **context)

    def may_run(self, organisation_id: uuid.UUID) -> bool:
        """Whether this person runs the organisation (its consultant, or an admin)."""
        return runs(self.session, self.user, organisation_id)


def page(
    request: Request, template: str, language: str, status: int = 200, **context: Any
) -> HTMLResponse:
    """A console page in `language`, remembering a language chosen with `?lang=`."""
    response = render(request, template, language, status, **context)
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie(
            LANGUAGE_COOKIE, language, max_age=365 * 86400, path="/", samesite="lax"
        )
    return response


def session_form_token(key: str, session_token: str) -> str:
    """The form token of a signed-in session: bound to it, made only with the server's key."""
    return signed(key, "console-form", digest(session_token))


def signed_in(request: Request, session: SessionDep) -> Staff:
    """The signed-in person; SignInRequired (a redirect to the sign-in page) otherwise."""
    token = request.cookies.get(SESSION_COOKIE, "")
    user = user_for_web_session(session, token=token) if 0 < len(token) < 100 else None
    if user is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInRequired(target if request.method == "GET" else "/dashboard")
    return Staff(request, session, user, token, page_language(request))


StaffDep = Annotated[Staff, Depends(signed_in)]


async def checked_form(request: Request, staff: StaffDep) -> FormData:
    """The posted form, if it carries this session's form token; else a 403 page."""
    form = await request.form(max_files=1, max_fields=200)
    sent = form.get("form_token")
    if not isinstance(sent, str) or not hmac.compare_digest(sent, staff.form_token):
        raise ConsoleProblem(403, "form_token")
    return form


async def upload_form(request: Request, staff: StaffDep) -> FormData | None:
    """The posted form of an upload with its token checked; None when the body was too
    large to read (the guard dropped it, so there is no token to check, and nothing is
    done). Routes that only some may use check who calls before this runs."""
    if getattr(request.state, "body_too_large", False):
        return None
    return await checked_form(request, staff)


async def checked_text_form(form: Annotated[FormData, Depends(checked_form)]) -> FormData:
    """The posted form, if its token is right and no field holds a NUL byte or a lone
    surrogate: browsers send them percent-encoded, past the body guard's byte check, and
    SQLite would keep them (PostgreSQL refuses NUL); else a 422 page."""
    if any(isinstance(value, str) and bad_text(value) for _, value in form.multi_items()):
        raise ConsoleProblem(422, "bad_text")
    return form


FormDep = Annotated[FormData, Depends(checked_text_form)]


def text_field(form: FormData, name: str, limit: int = 200) -> str:
    """A text field of a form, stripped; ConsoleProblem-free: longer text is cut by the
    caller's validation, so here only non-text becomes empty."""
    value = form.get(name)
    return value.strip()[: limit + 1] if isinstance(value, str) else ""


def organisation_of(staff: Staff, organisation_id: uuid.UUID, *, run: bool = False) -> Organisation:
    """An organisation the person may see (with `run`, one they run); else a problem page."""
    found = organisation_for(staff.session, user=staff.user, organisation_id=organisation_id)
    return _allowed(staff, found, found.id if found else None, run)


def assessment_of(staff: Staff, assessment_id: uuid.UUID, *, run: bool = False) -> Assessment:
    """An assessment the person may see (with `run`, one they run); else a problem page."""
    found = assessment_for(staff.session, user=staff.user, assessment_id=assessment_id)
    return _allowed(staff, found, found.organisation_id if found else None, run)


T = TypeVar("T")


def _allowed(staff: Staff, found: T | None, organisation_id: uuid.UUID | None, run: bool) -> T:
    if found is None or organisation_id is None:
        raise ConsoleProblem(404, "not_found")
    if run and not staff.may_run(organisation_id):
        raise ConsoleProblem(403, "not_yours")
    return found


def see_other(path: str, **query: str) -> RedirectResponse:
    """303 See Other to another page (the R of post/redirect/get)."""
    if query:
        path += "?" + "&".join(f"{k}={quote(v)}" for k, v in query.items())
    return RedirectResponse(path, status_code=303, headers=HEADERS)
