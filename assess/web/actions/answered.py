"""The mark a browser keeps once it has submitted answers to a study, so that it cannot
start the study again. The mark is the same for every respondent of a study and nothing of
it is stored: it tells which study was answered in this browser, never who answered."""

from __future__ import annotations

import uuid

from fastapi import HTTPException, Request, Response

from assess.persistence.security import digest

# A year: browsers keep a cookie at most about 400 days anyway.
KEPT_SECONDS = 365 * 24 * 3600
ANSWERED = (
    "This browser has already submitted answers to this study; each person answers "
    "once. If someone else shares this browser, they can answer from another one."
)


def cookie_name(study_id: uuid.UUID) -> str:
    """The cookie of one study, named by a digest so that it does not show the study's id."""
    return f"assess_answered_{digest(str(study_id))[:16]}"


def has_answered(request: Request, study_id: uuid.UUID) -> bool:
    """Whether this browser has submitted answers to the study already."""
    return bool(request.cookies.get(cookie_name(study_id)))


def refuse_if_answered(request: Request, study_id: uuid.UUID) -> None:
    """409 when this browser has submitted answers to the study already."""
    if has_answered(request, study_id):
        raise HTTPException(409, ANSWERED)


def mark_answered(request: Request, response: Response, study_id: uuid.UUID) -> None:
    """Set the study's mark on the response: HttpOnly, SameSite=Lax, Secure over HTTPS."""
    response.set_cookie(
        cookie_name(study_id),
        "1",
        max_age=KEPT_SECONDS,
        path="/",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
