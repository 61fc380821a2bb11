"""Rate limits on the routes anyone can reach: respondents' links, study links, sign-in,
and API requests with a wrong key. Requests are counted in the database in fixed windows
(ASSESS_RATE_LIMIT_WINDOW seconds), so every web worker sees the same counts; past a
limit the request is refused with 429 and Retry-After, the seconds to the next window."""

from __future__ import annotations

import logging
import math
import secrets
import time
from typing import Any

from fastapi import Request
from sqlalchemy import Connection, Engine, Select
from sqlalchemy.exc import DBAPIError

from assess.config import Settings
from assess.persistence.errors import refusal_of
from assess.persistence.repository.rate_limits import (
    count_request,
    count_request_and_read,
    forget_request_counts,
    read_row,
)

logger = logging.getLogger("assess")
# How the API documents a refusal past a limit.
RATE_LIMITED: dict[int | str, dict[str, Any]] = {
    429: {
        "description": "Too many requests lately; try again after `Retry-After` seconds.",
        "headers": {
            "Retry-After": {
                "description": "Seconds until the limit lets requests through again.",
                "schema": {"type": "integer"},
            }
        },
    }
}
# A query of one row at most and its parameters, read with a request's count.
Read = tuple[Select[Any], dict[str, Any]]
# One request in this many also deletes the counts of finished windows.
PRUNE_EVERY = 1_000


class TooManyRequests(Exception):
    """A request past a rate limit, and the seconds until the limit lets it through."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many requests; retry after {retry_after} s")
        self.retry_after = retry_after

    @property
    def headers(self) -> dict[str, str]:
        """The headers that say when to try again."""
        return {"Retry-After": str(self.retry_after)}


def now() -> float:
    """Seconds since the epoch: the clock windows are counted by."""
    return time.time()


def client_address(request: Request) -> str:
    """The client's address as uvicorn gives it: behind a proxy listed in
    --forwarded-allow-ips, the address the proxy saw; no header is read here."""
    return request.client.host if request.client else "unknown"


def settings_of(request: Request) -> Settings:
    """The application's settings."""
    settings: Settings = request.app.state.settings
    return settings


def engine_of(request: Request) -> Engine:
    """The application's database: routes with a Session count on a connection of their
    own, so the count is committed whatever the route does after it."""
    engine: Engine = request.app.state.engine
    return engine


def limit_respondent(
    connection: Connection, request: Request, token: str, read: Read | None = None
) -> tuple[Any, ...] | None:
    """Count a request to a respondent's link, by its token and by the client's address;
    TooManyRequests past either limit. With `read` (a query of one row at most and its
    parameters), that row, read with the count in one statement where the database can."""
    settings = settings_of(request)
    return limit(
        connection,
        settings,
        {
            f"link:{token}": settings.rate_limit_per_link,
            f"respondent-address:{client_address(request)}": settings.rate_limit_per_address,
        },
        read,
    )


def limit_study_link(request: Request) -> None:
    """Count a request to a study's public link by the client's address only: the link is
    shared by all of the study's respondents, so one visitor must not use up its count.
    A dependency of those routes."""
    _limit_address(request, "respondent-address", settings_of(request).rate_limit_per_address)


def limit_sign_in(request: Request) -> None:
    """Count a sign-in attempt by the client's address; TooManyRequests past the limit."""
    allowed = settings_of(request).rate_limit_sign_in_per_address
    _limit_address(request, "sign-in", allowed)


def limit_bad_api_key(request: Request) -> None:
    """Count an API request with a wrong key by the client's address; TooManyRequests
    past the limit (a right key from the same address still works)."""
    allowed = settings_of(request).rate_limit_bad_api_keys_per_address
    _limit_address(request, "api-key", allowed)


def _limit_address(request: Request, kind: str, allowed: int) -> None:
    """Count a request of `kind` by the client's address, on a connection of its own."""
    with engine_of(request).connect() as connection:
        key = f"{kind}:{client_address(request)}"
        limit(connection, settings_of(request), {key: allowed})


def limit(
    connection: Connection, settings: Settings, limits: dict[str, int], read: Read | None = None
) -> tuple[Any, ...] | None:
    """Count one request under each key of `limits` in the current window, in one
    statement; TooManyRequests if any count is past its key's limit. With `read`, the
    row it reads (see limit_respondent)."""
    if not settings.rate_limits:
        return _read(connection, read)
    window = settings.rate_limit_window
    moment = now()
    start = int(moment // window) * window
    row = None
    try:
        if read is None:
            counts = count_request(connection, keys=list(limits), window_start=start)
        else:
            counts, row = count_request_and_read(
                connection, keys=list(limits), window_start=start, read=read[0], parameters=read[1]
            )
    except DBAPIError as exc:
        # A full or read-only database still serves what is saved: count nothing then. A
        # connection that broke goes on to the 503 that says to try again.
        if exc.connection_invalidated or refusal_of(exc) is None:
            raise
        connection.rollback()
        logger.warning("rate limits not counted: %s", exc.orig)
        return _read(connection, read)
    if secrets.randbelow(PRUNE_EVERY) == 0:
        forget_request_counts(connection, before=start)
    if any(counts[key] > allowed for key, allowed in limits.items()):
        raise TooManyRequests(max(1, math.ceil(start + window - moment)))
    return row


def _read(connection: Connection, read: Read | None) -> tuple[Any, ...] | None:
    """The row of a query read without counting, if there is a query."""
    if read is None:
        return None
    return read_row(connection, *read)
