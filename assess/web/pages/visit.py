"""One request of a respondent's pages: the link it came with, in which language, what
was saved so far, the form token that protects its forms, and the pages it renders."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import Connection

from assess.config import Settings
from assess.domain.columns import Column, columns_of
from assess.domain.questionnaire import Questionnaire, localized
from assess.persistence.models.assessments import AssessmentKind, AssessmentStatus
from assess.persistence.models.common import aware, utcnow
from assess.persistence.models.responses import ResponseStatus
from assess.persistence.repository.responses import Link, link_and_state_of, link_query
from assess.persistence.security import digest
from assess.web.deps import Asked, asked_in, profile_columns, server_key, with_invited_department
from assess.web.pages.language import LANGUAGES, choose_language, environment, translations
from assess.web.pages.steps import Step, steps_of
from assess.web.rate_limits import limit_respondent

# The token of a link is the secret of these pages: nothing on them may load from
# elsewhere or send it on in a Referer, and no cache may keep them.
# Routes that machines read (load balancers, Prometheus): their errors stay JSON.
MACHINE_ROUTES = frozenset({"/healthz", "/readyz", "/metrics"})
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; "
        "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "X-Robots-Tag": "noindex, nofollow",
}


# A study's anonymous respondents were invited by no one: their pages speak of the study.
STUDY_PROBLEMS = {"not_open": "study_not_open", "closed": "study_closed", "expired": "study_closed"}


class PageProblem(Exception):
    """A request the pages answer with a friendly page instead: which problem, its
    status, and the language to explain it in."""

    def __init__(self, status: int, kind: str, language: str, **details: Any) -> None:
        super().__init__(kind)
        self.status, self.kind, self.language, self.details = status, kind, language, details


def request_language(request: Request, fallback: str = "en") -> str:
    """The language a request asks for: `?lang=`, then Accept-Language, then `fallback`."""
    return choose_language(
        request.query_params.get("lang"), request.headers.get("accept-language"), fallback
    )


def languages_of(questionnaire: Questionnaire) -> tuple[str, ...]:
    """The languages a questionnaire's pages are offered in: those of the pages that the
    questionnaire is written in too (all of them, for one written in none of them)."""
    return tuple(lang for lang in LANGUAGES if lang in questionnaire.languages) or LANGUAGES


def language_for(request: Request, questionnaire: Questionnaire) -> str:
    """The language of a page of a questionnaire: as the request asks, among the
    languages the questionnaire is written in, else its first one the pages speak. A page
    is in one language, its questions included, so `lang` holds for all of it."""
    offered = languages_of(questionnaire)
    fallback = next((lang for lang in questionnaire.languages if lang in offered), offered[0])
    return choose_language(
        request.query_params.get("lang"), request.headers.get("accept-language"), fallback, offered
    )


def importance_columns(questionnaire: Questionnaire) -> dict[str, Column]:
    """The checks of the levels' importance answers (none where it is not asked)."""
    if questionnaire.importance is None:
        return {}
    return {k: c for k, c in columns_of(questionnaire).items() if c.kind == "importance"}


def form_token(secret: str, token: str, purpose: str = "respondent-form") -> str:
    """The token every form of a link carries: an HMAC of the link's hash, so it is
    bound to that link (and to what the form is for) and cannot be made without the
    server's key."""
    message = f"{purpose}:{digest(token)}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


@dataclass
class Visit:
    """A respondent's request, once their link is known."""

    request: Request
    token: str
    link: Link
    asked: Asked
    language: str
    stored: dict[str, Any] | None
    steps: list[Step] = field(default_factory=list)

    @classmethod
    def open(cls, request: Request, connection: Connection, token: str) -> Visit:
        """The visit of a link, counted against the rate limits first (TooManyRequests
        past them); PageProblem 404 when the token opens nothing."""
        read = link_query(token, with_state=True) if len(token) < 200 else None
        row = limit_respondent(connection, request, token, read)
        if row is None:
            raise PageProblem(404, "not_found", request_language(request))
        link, stored = link_and_state_of(row)
        asked = asked_in(connection, link.questionnaire_version_id)
        questionnaire = asked.questionnaire
        study = link.assessment_kind == AssessmentKind.study
        return cls(
            request,
            token,
            link,
            asked,
            language_for(request, questionnaire),
            stored,
            steps_of(questionnaire, study=study, lead=link.lead),
        )

    @property
    def settings(self) -> Settings:
        """The service's settings."""
        settings: Settings = self.request.app.state.settings
        return settings

    @property
    def study(self) -> bool:
        """Whether the link is an anonymous respondent's of a study."""
        return self.link.assessment_kind == AssessmentKind.study

    @property
    def profile_columns(self) -> dict[str, Column]:
        """The profile questions the link may answer, with their checks (in a study, those
        about the respondent's organisation too, as in the JSON API)."""
        return profile_columns(self.asked, self.link)

    @property
    def answer_columns(self) -> dict[str, Column]:
        """The items and the levels' importance the link may answer, with their checks."""
        return {**self.asked.items, **importance_columns(self.asked.questionnaire)}

    @property
    def answers(self) -> dict[str, Any]:
        """The answers saved so far (none before the first save)."""
        return dict(self.stored["answers"]) if self.stored else {}

    @property
    def profile(self) -> dict[str, Any]:
        """The profile so far; the invitation's department until the respondent chose."""
        stored = dict(self.stored["profile"]) if self.stored else {}
        return with_invited_department(stored, self.asked, self.link)

    def gettext(self, message: str) -> str:
        """A message in the visit's language."""
        return translations(self.language).gettext(message)

    def url(self, page: str = "", language: str | None = None) -> str:
        """The address of one of this link's pages, keeping the language."""
        path = f"/r/{self.token}" + (f"/{page}" if page else "")
        return f"{path}?{urlencode({'lang': language or self.language})}"

    def refuse_if_closed(self, *, posted: bool = False) -> None:
        """PageProblem unless the link still takes answers: 409 once submitted or while
        the assessment is not open, 410 once the link or assessment has expired."""
        problem = self._why_closed()
        if problem:
            status, kind = problem
            if self.study:
                kind = STUDY_PROBLEMS.get(kind, kind)
            submitted_at = self.stored.get("submitted_at") if self.stored else None
            raise PageProblem(
                status, kind, self.language, posted=posted, submitted_at=submitted_at, visit=self
            )

    def _why_closed(self) -> tuple[int, str] | None:
        if self.link.response_status == ResponseStatus.submitted:
            return 409, "submitted"
        if self.link.assessment_status == AssessmentStatus.draft:
            return 409, "not_open"
        if self.link.assessment_status == AssessmentStatus.closed:
            return 409, "closed"
        now = utcnow()
        if any(
            d is not None and aware(d) <= now for d in (self.link.closes_at, self.link.expires_at)
        ):
            return 410, "expired"
        return None

    def context(self, **context: Any) -> dict[str, Any]:
        """What a template of this visit gets: the page's own `context`, with the visit,
        the questionnaire's title, the form token and the language."""
        questionnaire = self.asked.questionnaire
        shared = {
            "visit": self,
            "title": localized(questionnaire.title, self.language),
            "assessment_name": self.link.assessment_name,
            "languages": languages_of(questionnaire),
            "form_token": form_token(server_key(self.request), self.token),
            "switch": self.url,
        }
        return page_context(self.request, self.language, **{**shared, **context})

    def render(self, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        """A page of this visit."""
        return _html(template, self.language, status, self.context(**context))

    def redirect(self, page: str = "") -> RedirectResponse:
        """303 See Other to one of this link's pages (the R of post/redirect/get)."""
        return RedirectResponse(self.url(page), status_code=303, headers=HEADERS)


def wants_page(path: str) -> bool:
    """Whether an error on a request for `path` is answered with a page (else a problem
    document): everything but the API and the health and metrics routes is read in a
    browser."""
    return not path.startswith("/api/") and path not in MACHINE_ROUTES


def render(
    request: Request, template: str, language: str, status: int = 200, **context: Any
) -> HTMLResponse:
    """A template in `language` as an HTML response with the pages' safety headers."""
    return _html(template, language, status, page_context(request, language, **context))


def page_context(request: Request, language: str, **context: Any) -> dict[str, Any]:
    """What a template gets: `context`, with the language, the page's part of the address
    and `switch(page, language)`, the address of the same page in another language."""
    return {
        "switch": lambda page="", language=language: _same_page(request, language),
        "title": "assess",
        "languages": LANGUAGES,
        **context,
        "lang": language,
        "page": _page_of(request),
    }


def _html(template: str, language: str, status: int, context: dict[str, Any]) -> HTMLResponse:
    page = environment(language).get_template(template).render(context)
    return HTMLResponse(page, status_code=status, headers=HEADERS)


def _page_of(request: Request) -> str:
    """The part of the address after /r/{token}/, for links to the same page."""
    parts = request.url.path.split("/", 3)
    return parts[3] if len(parts) > 3 else ""


def _same_page(request: Request, language: str) -> str:
    return f"{request.url.path}?{urlencode({'lang': language})}"
