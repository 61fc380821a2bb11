"""Refuse request bodies over the size limit (ASSESS_MAX_BODY_BYTES), overlong query
strings and headers, JSON in another encoding than UTF-8, and text that no database
stores safely (NUL bytes, lone surrogates), before any route sees them. The API is
answered with problem documents, the pages that browsers post forms to with a page that
says what happened."""

from __future__ import annotations

import email.message
import json
import re
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assess.web.pages.visit import render, request_language, wants_page

MAX_BODY_BYTES = 1_000_000
# Longer query strings and header sections than any page or client of the API sends:
# 414 and 431 before any route parses them.
MAX_QUERY_BYTES = 8_192
MAX_HEADER_BYTES = 32_768
# Forms whose pages say in words, in the page's language, what was too large or unreadable:
# their oversized bodies reach the route empty and marked (`request.state.body_too_large`),
# and NUL bytes pass to the route, which validates every byte and stores none of them.
EXPLAINED_BY_THE_PAGE = frozenset({"/questionnaires", "/branding/preview"})
# An oversized body posted to a page is read to its end (and dropped), so that the browser
# gets the page instead of a broken connection; beyond this it gets the plain refusal.
MAX_DRAINED_BYTES = 64_000_000
# A \u escape of NUL or of a surrogate; a match may be a false alarm (an escaped backslash
# before "u0000"), which the full check below settles.
_ESCAPED_NUL_OR_SURROGATE = re.compile(rb"\\u(0000|[dD][89a-fA-F])")
_NUL_OR_SURROGATE = re.compile("[\x00\ud800-\udfff]")
# JSON exchanged between systems is UTF-8 (RFC 8259, 8.1). The parser would also read
# UTF-16 and UTF-32, guessed from a body's first bytes, where the escapes above look
# different: such bodies are refused rather than checked in every encoding. A UTF-8 byte
# order mark is let through, as the RFC allows and the parser does.
SEND_UTF8 = "send JSON as UTF-8 (a Content-Type without charset, or charset=utf-8)"
UTF8 = frozenset({"utf-8", "utf-8-sig"})


def bad_text(value: Any) -> bool:
    """Whether any string in a JSON value holds a NUL byte or a lone surrogate."""
    if isinstance(value, str):
        return _NUL_OR_SURROGATE.search(value) is not None
    if isinstance(value, dict):
        return any(bad_text(k) or bad_text(v) for k, v in value.items())
    if isinstance(value, list):
        return any(bad_text(v) for v in value)
    return False


class BodyGuard:
    """ASGI middleware: 413 over `max_bytes` (a page for pages), 414 and 431 for overlong
    query strings and headers, 415 for JSON that is not UTF-8, 422 for NUL bytes and lone
    surrogates (except for the forms in EXPLAINED_BY_THE_PAGE, whose pages explain both)."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the address and headers, then read the whole body and check it, before the
        app sees the request; the app reads the body as it was sent."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if (refusal := _head_refusal(scope)) is not None:
            await _problem(send, *refusal)
            return
        declared = content_type = None
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                declared = value
            elif name == b"content-type":
                content_type = value.decode("latin-1")
        explained = scope.get("method") == "POST" and scope.get("path") in EXPLAINED_BY_THE_PAGE
        page = wants_page(scope.get("path", ""))
        limit = MAX_DRAINED_BYTES if explained or page else self.max_bytes
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _problem(send, 413, f"The body is larger than {self.max_bytes:,} bytes.")
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            more = bool(message.get("more_body"))
            if size > limit:
                await _problem(send, 413, f"The body is larger than {self.max_bytes:,} bytes.")
                return
            if size <= self.max_bytes:
                chunks.append(chunk)
        body = b"".join(chunks) if size <= self.max_bytes else b""
        if size > self.max_bytes and not explained:
            await too_large_page(scope, self.max_bytes)(scope, replay_nothing, send)
            return
        if size > self.max_bytes:
            state = {**scope.get("state", {}), "body_too_large": True}
            scope = {**scope, "state": state}
        elif (refusal := _refusal(body, content_type or "", explained)) is not None:
            await _problem(send, *refusal)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


def _head_refusal(scope: Scope) -> tuple[int, str] | None:
    """The status and problem of an overlong query string or header section, or of an
    address with a NUL byte or invalid characters; None if the request's head is fine."""
    if len(scope.get("query_string", b"")) > MAX_QUERY_BYTES:
        return 414, f"The query string is longer than {MAX_QUERY_BYTES:,} bytes."
    if sum(len(n) + len(v) for n, v in scope.get("headers", ())) > MAX_HEADER_BYTES:
        return 431, f"The headers are longer than {MAX_HEADER_BYTES:,} bytes together."
    target = scope.get("path", "") + "?" + scope.get("query_string", b"").decode("latin-1")
    if "%" in target:
        target = unquote(target, errors="surrogateescape")
    if bad_text(target):
        return 422, "The address holds a NUL byte or invalid characters."
    return None


def is_json(content_type: str) -> bool:
    """Whether FastAPI reads a body of `content_type` as JSON: application/json and
    application/*+json, whatever the route declares."""
    return _media_type(content_type)[0]


@lru_cache(maxsize=256)
def _media_type(content_type: str) -> tuple[bool, str | None]:
    """Whether a Content-Type is JSON as FastAPI reads it, and the charset it names; parsed
    once for each value clients send (the parser took longer than the rest of the guard)."""
    if "json" not in content_type.lower():
        return False, None
    message = email.message.Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    json_type = message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json")
    )
    return json_type, message.get_content_charset()


def _refusal(body: bytes, content_type: str, explained: bool) -> tuple[int, str] | None:
    """415 for JSON that is not UTF-8, 422 for a NUL byte or lone surrogate in any body
    (but those of the forms in EXPLAINED_BY_THE_PAGE); None for a body that may pass."""
    if not body:
        return None
    json_body = is_json(content_type)
    if json_body and (why := not_utf8(body, content_type)) is not None:
        return 415, why
    if explained:
        return None
    if b"\x00" in body or (json_body and _escapes_bad_text(body)):
        return 422, "The body holds a NUL byte or a lone surrogate; remove them."
    return None


def not_utf8(body: bytes, content_type: str) -> str | None:
    """Why a JSON body is not UTF-8 (its charset, a byte order mark or the NUL bytes of
    UTF-16 or UTF-32, bytes that are not UTF-8), or None when it is."""
    charset = _media_type(content_type)[1]
    if charset not in (None, "utf-8"):
        return f"The Content-Type names the charset {charset}; {SEND_UTF8}."
    # UTF-8 JSON holds no NUL byte: control characters are escaped in its strings.
    if json.detect_encoding(body) not in UTF8 or b"\x00" in body:
        return f"The body is not UTF-8: it looks like UTF-16 or UTF-32; {SEND_UTF8}."
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"The body is not UTF-8: byte {exc.start} cannot be read as UTF-8; {SEND_UTF8}."
    return None


def _escapes_bad_text(body: bytes) -> bool:
    """Whether UTF-8 JSON holds a NUL byte or a lone surrogate as a \\u escape."""
    if not _ESCAPED_NUL_OR_SURROGATE.search(body):
        return False  # JSON can hold neither raw: only as \u escapes, which are absent
    try:
        return bad_text(json.loads(body))
    except (ValueError, RecursionError):
        return False  # malformed JSON: the route's own validation answers


async def replay_nothing() -> Message:
    """What a page that refuses a body without reading it receives."""
    return {"type": "http.request", "body": b"", "more_body": False}


def too_large_page(scope: Scope, max_bytes: int) -> Response:
    """The page a browser gets for a form larger than the limit, in its language."""
    request = Request(scope)
    limit = f"{max_bytes / 1_000_000:g} MB" if max_bytes >= 1_000_000 else f"{max_bytes:,} bytes"
    language = request_language(request)
    return render(
        request,
        "respondent/problem.html.j2",
        language,
        413,
        kind="too_large",
        posted=True,
        submitted_at=None,
        limit=limit,
    )


async def _problem(send: Send, status: int, detail: str) -> None:
    titles = {
        413: "Body too large",
        414: "Query string too long",
        415: "Unsupported media type",
        422: "Invalid text",
        431: "Headers too large",
    }
    payload = json.dumps(
        {"type": "about:blank", "title": titles[status], "status": status, "detail": detail}
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/problem+json"),
                (b"content-length", str(len(payload)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})
