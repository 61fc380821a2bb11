"""A study's public link: which study it opens, whether that study takes answers now, and
starting an anonymous response. The JSON API and the pages at /s/ both go through here."""

from __future__ import annotations

from fastapi import HTTPException, Request
from sqlmodel import Session

from assess.persistence.models.assessments import Assessment, AssessmentStatus
from assess.persistence.models.common import aware, utcnow
from assess.persistence.repository.studies import Start, start_anonymous, study_by_public_token
from assess.web.actions.answered import ANSWERED, has_answered

MAX_TOKEN = 200  # longer strings are no token and are not even hashed

# Why a public link starts nothing: its status, and the API's words for it.
REFUSALS = {
    "not_found": (404, "This study link is not valid. Ask the study's organiser."),
    "not_open": (409, "This study has not opened yet; try again later."),
    "closed": (409, "This study is closed and takes no more answers."),
    "answered": (409, ANSWERED),
}


class StudyRefused(Exception):
    """A public link that cannot be answered now, and why (a key of REFUSALS)."""

    def __init__(self, kind: str, study: Assessment | None = None) -> None:
        super().__init__(kind)
        self.kind, self.study = kind, study
        self.status, self.message = REFUSALS[kind]

    def as_http(self) -> HTTPException:
        """The refusal as the API answers it."""
        return HTTPException(self.status, self.message)


def open_study(session: Session, token: str) -> Assessment:
    """The open study of a public token; StudyRefused for any other string or a study that
    is not open (a draft, closed, or past its closing time)."""
    study = None
    if len(token) < MAX_TOKEN:
        study = study_by_public_token(session, token=token)
    if study is None:
        raise StudyRefused("not_found")
    if study.status == AssessmentStatus.draft:
        raise StudyRefused("not_open", study)
    closed = study.closes_at is not None and aware(study.closes_at) <= utcnow()
    if study.status == AssessmentStatus.closed or closed:
        raise StudyRefused("closed", study)
    return study


def refuse_if_answered_here(request: Request, study: Assessment) -> None:
    """StudyRefused when this browser has submitted answers to the study already."""
    if has_answered(request, study.id):
        raise StudyRefused("answered", study)


def start_response(session: Session, request: Request, token: str) -> Start:
    """A personal link for one anonymous respondent of the study of a public token, unless
    the study takes no answers or this browser has answered it (StudyRefused)."""
    study = open_study(session, token)
    refuse_if_answered_here(request, study)
    return start_anonymous(session, study=study)
