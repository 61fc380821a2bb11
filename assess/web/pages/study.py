"""A study's public link at /s/{public_token}: a welcome page and its "Start" form, which
starts an anonymous response as POST /api/v1/studies/{token} does and leads on to that
respondent's own pages at /r/{token}."""

from __future__ import annotations

import hmac
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from assess.domain.questionnaire import Questionnaire, localized
from assess.persistence.models.assessments import Assessment
from assess.persistence.repository.questionnaires import (
    questionnaire_of_assessment,
)
from assess.results.service import smallest_group
from assess.web.actions.public_link import (
    StudyRefused,
    open_study,
    refuse_if_answered_here,
    start_response,
)
from assess.web.deps import SessionDep, server_key
from assess.web.pages.steps import minutes_to_answer, offers_dont_know, statements, steps_of
from assess.web.pages.visit import (
    HEADERS,
    PageProblem,
    form_token,
    language_for,
    languages_of,
    render,
    request_language,
)
from assess.web.rate_limits import limit_study_link

router = APIRouter(prefix="/s", include_in_schema=False, dependencies=[Depends(limit_study_link)])
START = "study-start"  # what the start form's token is for: bound to the public link


@router.get("/{public_token}")
def study_welcome(public_token: str, request: Request, session: SessionDep) -> HTMLResponse:
    """What the study asks, how long it takes, how answers stay anonymous, and "Start"."""
    study, questionnaire, language = _answerable(request, session, public_token)
    steps = steps_of(questionnaire, study=True)
    return render(
        request,
        "respondent/study.html.j2",
        language,
        **_about(study, questionnaire, language),
        description=localized(questionnaire.description, language),
        levels=[localized(d.name, language) for d in questionnaire.dimensions],
        items=statements(steps),
        minutes=minutes_to_answer(steps),
        asks_profile=any(s.dimension is None for s in steps),
        importance=questionnaire.importance is not None,
        dont_know=offers_dont_know(steps),
        min_group=smallest_group(request.app.state.settings.benchmark_k, study=True),
        form_token=form_token(server_key(request), public_token, START),
        action=_address(public_token, language),
    )


@router.post("/{public_token}")
def start(
    public_token: str,
    request: Request,
    session: SessionDep,
    form_token_sent: Annotated[str, Form(alias="form_token")] = "",
) -> RedirectResponse:
    """Start answering anonymously, then on to the respondent's own pages."""
    study, questionnaire, language = _answerable(request, session, public_token)
    expected = form_token(server_key(request), public_token, START)
    if not hmac.compare_digest(form_token_sent.encode(), expected.encode()):
        raise PageProblem(
            403,
            "study_form_token",
            language,
            posted=True,
            again=_address(public_token, language),
            **_about(study, questionnaire, language),
        )
    try:
        started = start_response(session, request, public_token)
    except StudyRefused as refused:  # closed, or answered in another tab, meanwhile
        raise _problem(request, session, refused) from None
    address = f"/r/{started.token}?{urlencode({'lang': language})}"
    return RedirectResponse(address, status_code=303, headers=HEADERS)


def _answerable(
    request: Request, session: SessionDep, public_token: str
) -> tuple[Assessment, Questionnaire, str]:
    """The open study of the link, not yet answered in this browser, its questionnaire and
    the page's language; a friendly problem page otherwise."""
    try:
        study = open_study(session, public_token)
        refuse_if_answered_here(request, study)
    except StudyRefused as refused:
        raise _problem(request, session, refused) from None
    questionnaire = questionnaire_of_assessment(session, assessment=study)
    return study, questionnaire, language_for(request, questionnaire)


def _problem(request: Request, session: SessionDep, refused: StudyRefused) -> PageProblem:
    """The page that says why the link starts nothing, in the study's words if known."""
    if refused.study is None:
        return PageProblem(refused.status, f"study_{refused.kind}", request_language(request))
    questionnaire = questionnaire_of_assessment(session, assessment=refused.study)
    language = language_for(request, questionnaire)
    return PageProblem(
        refused.status,
        f"study_{refused.kind}",
        language,
        **_about(refused.study, questionnaire, language),
    )


def _about(study: Assessment, questionnaire: Questionnaire, language: str) -> dict[str, Any]:
    """What every page of the study shows at its top."""
    return {
        "title": localized(questionnaire.title, language),
        "assessment_name": study.name,
        "languages": languages_of(questionnaire),
    }


def _address(public_token: str, language: str) -> str:
    return f"/s/{public_token}?{urlencode({'lang': language})}"
