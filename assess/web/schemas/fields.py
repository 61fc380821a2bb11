"""Field types the API's bodies share: moments as answered and as given, a questionnaire's
version in a path, an e-mail address and languages."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Path
from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema

from assess import MAX_ADDRESS, address_problem
from assess.domain.questionnaire import MAX_VERSION
from assess.persistence.models.common import aware

# A moment as the API answers it: with its offset, as RFC 3339 requires (SQLite hands back
# naive datetimes, stored in UTC).
Moment = Annotated[datetime, AfterValidator(aware)]
# RFC 3339, as `format: date-time` says: a date, a time and an offset, nothing else (not a
# number of seconds, not a date alone).
_RFC_3339 = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})", re.ASCII
)


def _rfc_3339(value: Any) -> Any:
    if isinstance(value, str) and _RFC_3339.fullmatch(value):
        return value
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value
    raise ValueError("give a date and time with its offset, like 2026-12-31T23:59:00Z")


# A moment as requests give it.
GivenMoment = Annotated[datetime, BeforeValidator(_rfc_3339)]
# A questionnaire's version as requests name it: within the database's integer column, so
# that a larger number is refused (422 naming the field) rather than failing to be stored.
VERSION_RANGE = f"A published version of the questionnaire (1 to {MAX_VERSION})."
VersionInPath = Annotated[int, Path(ge=1, le=MAX_VERSION, description=VERSION_RANGE)]


def _plain_address(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    problem = address_problem(value.strip())
    if problem is not None:
        raise ValueError(problem)
    return value.strip()


# An e-mail address that can take no header or second recipient with it; empty: none.
EmailAddress = Annotated[
    str | None,
    Field(max_length=MAX_ADDRESS, examples=["anna@example.org"]),
    AfterValidator(_plain_address),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "format": "email", "maxLength": MAX_ADDRESS},
                {"type": "string", "maxLength": 0},
                {"type": "null"},
            ],
            "description": "One plain address (local@domain, ASCII); empty or null: none.",
            "examples": ["anna@example.org"],
        }
    ),
]
LANGUAGE = r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?$"
# The languages reports and e-mails are written in.
WrittenLanguage = Literal["de", "en"]
LanguageCode = Annotated[
    str | None,
    Field(
        pattern=LANGUAGE,
        examples=["de"],
        description="The respondent's language (e-mails, the form); by default the "
        "questionnaire's first.",
    ),
]
