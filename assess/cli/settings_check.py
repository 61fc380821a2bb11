"""Wrong settings, told as one line per problem that names the ASSESS_* variable and what
to change, so a process with a bad setting stops before it serves anything."""

from __future__ import annotations

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from assess.config import Settings

# Their values may hold a password or a key: never printed.
UNSHOWN = frozenset({"database_url", "secret_key", "smtp_password"})
# What to give instead, by pydantic's error type (its own words otherwise).
WANTED = {
    "int_parsing": "give a whole number",
    "int_from_float": "give a whole number",
    "float_parsing": "give a number",
    "greater_than_equal": "give {ge} or more",
    "greater_than": "give more than {gt}",
    "less_than_equal": "give {le} or less",
    "less_than": "give less than {lt}",
    "too_short": "give at least {min_length} characters",
    "string_too_short": "give at least {min_length} characters",
    "too_long": "give at most {max_length} characters",
    "string_too_long": "give at most {max_length} characters",
    "literal_error": "give {expected}",
    "enum": "give {expected}",
}
# How an operator makes a key.
NEW_KEY = "python -c 'import secrets; print(secrets.token_urlsafe(32))'"
# Commands that run beside others on one database, so they must sign with one key.
SHARED_KEY_COMMANDS = frozenset({"serve", "worker"})


def problems_of(error: ValidationError) -> list[str]:
    """One line per problem of the settings in `error`, the variable named first."""
    return [_line(problem) for problem in error.errors(include_url=False)]


def _line(problem: ErrorDetails) -> str:
    message = problem["msg"].removeprefix("Value error, ")
    location = problem["loc"]
    if not location or message.startswith("ASSESS_"):
        return message
    field = str(location[0])
    name = f"ASSESS_{field.upper()}"
    if problem["type"] == "value_error":  # the project's own validators: the whole story
        return f"{name}: {message}"
    shown = "" if field in UNSHOWN else f" is {str(problem['input'])!r}"
    wanted = WANTED.get(problem["type"])
    if wanted is not None:
        limits = {k: _number(v) for k, v in problem.get("ctx", {}).items()}
        message = wanted.format(**limits)
    return f"{name}{shown}: {message.replace('Input should be', 'give', 1)}"


def _number(value: object) -> object:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def missing_key_problem(settings: Settings, command: str | None) -> str | None:
    """Why `command` cannot run with these settings, if a process of its own would sign
    forms and links with a key no other process knows."""
    if command not in SHARED_KEY_COMMANDS or settings.secret_key is not None:
        return None
    if settings.database_url.startswith("sqlite"):
        return None  # its key is kept in a file beside the database, shared by every process
    return (
        "ASSESS_SECRET_KEY is not set: on PostgreSQL every web and job worker must sign "
        "forms and derive invitation links with the same key; set it to a random value of "
        f"at least 16 characters ({NEW_KEY}) and back it up with the database"
    )
