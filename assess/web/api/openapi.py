"""The OpenAPI schema as the API really answers: every error is an RFC 9457 problem
document, and the errors any route can give (no API key, a body too large, input that
does not fit, the database briefly away) are declared on every route that can give them.

Routes declare only their own errors (`responses={404: {"description": ...}}`); this
module gives each of them the problem body, so no route can forget it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict

PROBLEM = "application/problem+json"
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
API_PREFIX = "/api/v1/"
METHODS = ("get", "put", "post", "delete", "patch")
FASTAPI_422 = {"description": "Validation Error"}  # its body is not the one we send


class FieldError(BaseModel):
    """Where a request did not fit the API, and why."""

    loc: list[str]
    msg: str


class Problem(BaseModel):
    """An RFC 9457 problem document; `problems` lists a file's problems by line, `errors`
    the request's fields that do not fit."""

    model_config = ConfigDict(extra="allow")

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    problems: list[str] | None = None
    errors: list[FieldError] | None = None


def header(description: str, kind: str = "string") -> dict[str, Any]:
    """A response header's declaration."""
    return {"description": description, "schema": {"type": kind}}


FILE = {"type": "string", "format": "binary"}
RETRY_AFTER = header("Seconds to wait before asking again.", "integer")
UNAUTHORIZED = {
    "description": "No API key, or one that is unknown or revoked.",
    "headers": {"WWW-Authenticate": header("`Bearer`: send an API key.")},
}
UNREADABLE = {"description": "The body could not be read as its content type says."}
TOO_LARGE = {"description": "The body is larger than ASSESS_MAX_BODY_BYTES (1 MB unless set)."}
NOT_UTF8 = {
    "description": "The body is JSON (application/json or application/*+json) in another "
    "encoding than UTF-8, or its Content-Type names another charset: send JSON as UTF-8."
}
URI_TOO_LONG = {"description": "The query string is longer than 8 KB."}
HEADERS_TOO_LARGE = {"description": "The request's headers are larger than 32 KB together."}
WRONG_KEYS = {
    "description": "Too many requests with a wrong or revoked API key from this address "
    "lately; a right key is still served.",
    "headers": {"Retry-After": RETRY_AFTER},
}
INVALID = {
    "description": "The request does not fit the API (the problem names each field), or "
    "its address or body holds a NUL byte or a lone surrogate."
}
UNAVAILABLE = {
    "description": "The database is briefly unavailable (or takes no writes); try again.",
    "headers": {"Retry-After": RETRY_AFTER},
}


def download(*media_types: str) -> dict[int | str, dict[str, Any]]:
    """A 200 answer that is a file to save, in one of `media_types`."""
    content = {
        kind: {"schema": {"type": "object"} if kind.endswith("json") else FILE}
        for kind in media_types
    }
    disposition = header("attachment, with the file's name.")
    return {200: {"content": content, "headers": {"Content-Disposition": disposition}}}


def install(app: FastAPI) -> None:
    """Make the application's schema declare its problem documents."""
    made: Callable[[], dict[str, Any]] = app.openapi
    documented = False

    def openapi() -> dict[str, Any]:
        nonlocal documented
        schema = made()
        if not documented:
            declare_problems(schema)
            documented = True
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def declare_problems(schema: dict[str, Any]) -> None:
    """Give every API operation its shared errors, and every error the problem body."""
    for path, operations in schema.get("paths", {}).items():
        if not path.startswith(API_PREFIX):
            continue
        for method in METHODS:
            if method in operations:
                _declare(operations[method])
    schemas = schema.setdefault("components", {}).setdefault("schemas", {})
    problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(problem.pop("$defs", {}))
    schemas["Problem"] = problem
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)


def _declare(operation: dict[str, Any]) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    shared: dict[str, dict[str, Any]] = {
        "414": URI_TOO_LONG,
        "422": INVALID,
        "431": HEADERS_TOO_LARGE,
        "503": UNAVAILABLE,
    }
    if operation.get("security"):
        shared["401"] = UNAUTHORIZED
        shared["429"] = WRONG_KEYS
    if "requestBody" in operation:
        shared["400"] = UNREADABLE
        shared["413"] = TOO_LARGE
        shared["415"] = NOT_UTF8
        _no_empty_text(operation["requestBody"])
    for status, declared in shared.items():
        if responses.get(status, FASTAPI_422)["description"] == FASTAPI_422["description"]:
            responses[status] = dict(declared)
    for status, response in responses.items():
        if status.isdigit() and int(status) >= 400:
            response["content"] = {PROBLEM: {"schema": PROBLEM_REF}}


def _no_empty_text(body: dict[str, Any]) -> None:
    """A required body of text (a file) has at least one character: FastAPI reads an
    empty body as none, which a required body may not be."""
    if not body.get("required"):
        return
    for content in body.get("content", {}).values():
        schema = content.get("schema", {})
        if schema.get("type") == "string":
            schema.setdefault("minLength", 1)
