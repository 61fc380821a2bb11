"""Anonymous studies: the public link, its respondents' routes, and results that never
describe fewer than k respondents (see assess/domain/disclosure.py)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request

from assess.persistence.models.assessments import Assessment, AssessmentKind
from assess.persistence.repository.questionnaires import (
    questionnaire_of_assessment,
)
from assess.persistence.repository.studies import set_public_link
from assess.web.actions.public_link import StudyRefused, open_study, start_response
from assess.web.api.respond import form
from assess.web.deps import MANAGED, ManagedAssessmentDep, SessionDep, declared
from assess.web.rate_limits import RATE_LIMITED, limit_study_link
from assess.web.schemas.studies import PublicLink, StudyStart

router = APIRouter(prefix="/api/v1", tags=["studies"])
NOT_A_STUDY_LINK: dict[int | str, dict[str, Any]] = {
    404: {"description": "Not a valid study link."},
    409: {"description": "The study is not open, or this browser has answered it."},
    **RATE_LIMITED,
}


# Routes of what only invited assessments have, which a study refuses.
NOT_FOR_STUDIES: dict[int | str, dict[str, Any]] = {
    409: {"description": "An anonymous study, which has none of this."}
}
# Results exist only from k respondents on; viewers who see releases wait for the first.
TOO_FEW: dict[int | str, dict[str, Any]] = {
    409: {
        "description": "Nothing may be shown yet: fewer than k submitted responses, or "
        "(for viewers who see releases) none released yet."
    }
}


@router.post(
    "/assessments/{assessment_id}/public-link",
    status_code=201,
    responses=declared(MANAGED, {409: {"description": "Not a study."}}),
)
def make_public_link(
    assessment: ManagedAssessmentDep, session: SessionDep, request: Request
) -> PublicLink:
    """Make the study's one public link, or replace it (the old one stops working). It is
    shown this once; only its hash is kept."""
    if assessment.kind != AssessmentKind.study:
        raise HTTPException(
            409,
            "Only studies have a public link; invite this assessment's respondents instead, "
            "or create a study (kind: study).",
        )
    token = set_public_link(session, assessment=assessment)
    base = str(request.base_url)
    return PublicLink(
        token=token, link=f"{base}s/{token}", form_url=f"{base}api/v1/studies/{token}"
    )


def _open_study(session: SessionDep, token: str) -> Assessment:
    """The open study of a public token; 404 for any other string, 409 unless open."""
    try:
        return open_study(session, token)
    except StudyRefused as refused:
        raise refused.as_http() from None


@router.get(
    "/studies/{public_token}",
    responses=NOT_A_STUDY_LINK,
    dependencies=[Depends(limit_study_link)],
)
def study_form(public_token: str, session: SessionDep, lang: str | None = None) -> dict[str, Any]:
    """What a study asks, in `lang` (de or en), profile questions about the respondent's
    organisation included."""
    study = _open_study(session, public_token)
    questionnaire = questionnaire_of_assessment(session, assessment=study)
    language = lang or questionnaire.languages[0]
    if language not in questionnaire.languages:
        raise HTTPException(
            422, f"lang={language}: this questionnaire is in {', '.join(questionnaire.languages)}"
        )
    return {
        "assessment": {"name": study.name, "status": study.status, "kind": study.kind},
        "language": language,
        "questionnaire": form(questionnaire, language, study=True),
    }


@router.post(
    "/studies/{public_token}",
    status_code=201,
    responses=NOT_A_STUDY_LINK,
    dependencies=[Depends(limit_study_link)],
)
def start_study(public_token: str, session: SessionDep, request: Request) -> StudyStart:
    """Start answering anonymously: a personal token to save (any number of times) and
    submit (once) at `respond_url`, as with an invitation."""
    try:
        start = start_response(session, request, public_token)
    except StudyRefused as refused:
        raise refused.as_http() from None
    return StudyStart(
        respondent=start.label,
        token=start.token,
        respond_url=f"{request.base_url}api/v1/respond/{start.token}",
    )
