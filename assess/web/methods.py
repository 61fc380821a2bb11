"""Which methods an address takes, for the Allow header of a 405 answer: the router's own
405 names only the methods of the first route whose path matched, while FastAPI makes
one route per method."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.routing import Match
from starlette.types import Scope

CANDIDATES = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(app: FastAPI, scope: Scope) -> str:
    """Every method some route of `app` answers at the request's address, as Allow lists them."""
    found = [
        method
        for method in CANDIDATES
        if any(
            route.matches({**scope, "method": method})[0] == Match.FULL
            for route in app.router.routes
        )
    ]
    return ", ".join(found)
