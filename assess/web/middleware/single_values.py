"""One value for each query parameter that the schema declares as one: FastAPI would take
the last of `?limit=1&limit=2` silently, where the schema promises to refuse an array."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.concurrency import run_in_threadpool


async def one_value_each(request: Request) -> None:
    """422 naming each query parameter given more than once that takes one value."""
    # A coroutine, so that FastAPI runs it on the event loop: as a plain function it took
    # a worker thread of its own on every request, as much as the busiest routes' work.
    if not request.scope["path"].startswith("/api/") or not request.scope["query_string"]:
        return
    template = getattr(request.scope.get("route"), "path_format", None)
    if request.app.openapi_schema is None:
        await run_in_threadpool(request.app.openapi)  # built once, off the event loop
    single = _single_valued(request.app, template, request.method.lower())
    repeated = sorted(name for name in single if len(request.query_params.getlist(name)) > 1)
    if repeated:
        raise RequestValidationError(
            [
                {
                    "loc": ("query", name),
                    "msg": "give one value, not several",
                    "type": "value_error",
                }
                for name in repeated
            ]
        )


# The check as the dependency of a router or route. The JSON API's routers take it; the
# respondents' router declares it on the one route of its three that takes a query
# parameter: on save and submit, the busiest routes, it could find nothing and cost each
# request a dependency to solve.
CHECKED = [Depends(one_value_each)]


def _single_valued(app: FastAPI, template: str | None, method: str) -> frozenset[str]:
    if template is None:
        return frozenset()
    known: dict[tuple[str, str], frozenset[str]] | None = getattr(app.state, "single_valued", None)
    if known is None:
        known = app.state.single_valued = {}
    if (template, method) not in known:
        paths = app.openapi().get("paths", {})
        operation: dict[str, Any] = paths.get(template, {}).get(method, {})
        known[(template, method)] = frozenset(
            parameter["name"]
            for parameter in operation.get("parameters", [])
            if parameter.get("in") == "query" and not _is_array(parameter.get("schema", {}))
        )
    return known[(template, method)]


def _is_array(schema: dict[str, Any]) -> bool:
    kinds = [schema, *schema.get("anyOf", [])]
    return any(kind.get("type") == "array" for kind in kinds)
