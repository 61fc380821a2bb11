"""Refuse forms that another site posts to the pages, before any route runs: a second wall
behind the session cookie (SameSite=Lax) and the form token bound to the session or link.
Browsers say where a form came from in Sec-Fetch-Site and Origin; a request with neither
(an old browser, curl) passes as before. The API is not concerned: it takes keys, not
cookies, so another site's page cannot act with a visitor's rights there."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from assess.web.middleware.guard import replay_nothing
from assess.web.pages.visit import render, request_language, wants_page

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
DEFAULT_PORTS = {"http": 80, "https": 443}
Origin = tuple[str, str, int]


def origin_of(address: str) -> Origin | None:
    """The scheme, host and port of an address (`https://example.org`, the default port
    made explicit), or None for one that names no origin (`null`, a malformed one)."""
    try:
        parts = urlsplit(address.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    return parts.scheme, parts.hostname, port or DEFAULT_PORTS[parts.scheme]


def own_origin(scope: Scope, host: str | None) -> Origin | None:
    """The origin the request was sent to, as the server sees it: its scheme (behind a
    proxy, the one uvicorn took from X-Forwarded-Proto) and its Host header."""
    scheme = scope.get("scheme", "http")
    if host is None:
        server = scope.get("server")
        if not server:
            return None
        host = f"{server[0]}:{server[1]}" if server[1] is not None else server[0]
    return origin_of(f"{scheme}://{host}")


def from_another_site(scope: Scope, public: Origin | None = None) -> bool:
    """Whether the browser says the request comes from another site: Sec-Fetch-Site is
    `cross-site`, or Origin names a site that is neither the request's own origin nor
    `public` (that of ASSESS_PUBLIC_URL, for a proxy that does not pass the Host header
    on)."""
    origins: list[str] = []
    host = None
    for name, value in scope.get("headers", ()):
        if name == b"sec-fetch-site" and value.strip().lower() == b"cross-site":
            return True
        if name == b"origin" and value.strip() != b"null":
            origins.append(value.decode("latin-1"))
        elif name == b"host":
            host = value.decode("latin-1")
    # An opaque origin (`null`) names no site: browsers send it for every form posted
    # from a page whose Referrer-Policy is no-referrer, as ours are, and Sec-Fetch-Site
    # (checked above) then says whether it crossed sites.
    if not origins:
        return False
    ours = {own_origin(scope, host), public} - {None}
    return any(origin_of(origin) not in ours for origin in origins)


class CrossSiteGuard:
    """ASGI middleware: 403 for a form posted to the pages from another site, a page in
    the visitor's language that says nothing was changed."""

    def __init__(self, app: ASGIApp, public_url: str | None = None) -> None:
        self.app = app
        self.public = origin_of(public_url) if public_url else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope.get("method") in UNSAFE_METHODS
            and wants_page(scope.get("path", ""))
            and from_another_site(scope, self.public)
        ):
            await cross_site_page(scope)(scope, replay_nothing, send)
            return
        await self.app(scope, receive, send)


def cross_site_page(scope: Scope) -> Response:
    """The page a browser gets for a form another site posted, in its language."""
    request = Request(scope)
    language = request_language(request)
    return render(request, "respondent/problem.html.j2", language, 403, kind="cross_site")
