"""The respondent's side of the API, reached with the token of an invitation link."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Query, Request
from fastapi.responses import JSONResponse

from assess.domain.columns import EntryError, importance_column, read_entry
from assess.domain.questionnaire import Questionnaire, localized
from assess.persistence.models.assessments import AssessmentKind, AssessmentStatus
from assess.persistence.models.common import aware, utcnow
from assess.persistence.models.responses import ResponseStatus
from assess.persistence.repository import responses
from assess.persistence.repository.common import Conflict
from assess.persistence.repository.responses import Link, save_answers, state_of
from assess.web.actions.answered import mark_answered, refuse_if_answered
from assess.web.deps import (
    Asked,
    connection_for,
    database_work,
    department_fixed,
    open_link,
    profile_columns,
    with_invited_department,
)
from assess.web.middleware.single_values import CHECKED
from assess.web.rate_limits import RATE_LIMITED
from assess.web.schemas.fields import LANGUAGE
from assess.web.schemas.responses import AnswersBody, ResponseState

router = APIRouter(prefix="/api/v1/respond", tags=["respondents"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "Not a valid link."},
    **RATE_LIMITED,
}
NOT_ACCEPTED: dict[int | str, dict[str, Any]] = {
    **NOT_FOUND,
    409: {"description": "Not open for answers, the link expired, or submitted already."},
}


def _check_accepting(link: Link) -> None:
    now = utcnow()
    if link.assessment_status != AssessmentStatus.open:
        raise HTTPException(409, "This assessment is not open for answers; what was saved stays.")
    for deadline in (link.closes_at, link.expires_at):
        if deadline is not None and aware(deadline) <= now:
            raise HTTPException(409, "This link has expired; what was saved stays.")


def state_data(stored: dict[str, Any] | None) -> dict[str, Any]:
    """A response's state as the API shows it (an empty one before the first save)."""
    if stored is None:
        stored = {"status": ResponseStatus.in_progress, "answers": {}, "profile": {}}
    moment = {k: stored.get(k) for k in ("updated_at", "submitted_at")}
    return {
        "status": stored["status"],
        "answers": stored["answers"],
        "profile": stored["profile"],
        **{k: v and aware(v).isoformat() for k, v in moment.items()},
    }


def _state(stored: dict[str, Any] | None) -> JSONResponse:
    """The state as a response, serialised here: the busiest routes skip FastAPI's second
    validation against ResponseState (which still documents them)."""
    return JSONResponse(state_data(stored))


def form(
    questionnaire: Questionnaire, language: str, *, study: bool = False, lead: bool = True
) -> dict[str, Any]:
    """What a respondent is asked, in one language; in a study, the profile questions about
    their organisation too (each respondent stands for their own). Items asked of the lead
    only are left out for everyone else; where the questionnaire asks it, each dimension
    carries its importance question, answered under `importance:<dimension id>`."""

    def choices(options: list[Any]) -> list[dict[str, Any]]:
        return [{"value": o.value, "label": localized(o.label, language)} for o in options]

    def item(i: Any) -> dict[str, Any]:
        return {
            "id": i.id,
            "type": i.type,
            "text": localized(i.text, language),
            "allow_na": i.allow_na,
            "allow_dont_know": i.allow_dont_know,
            "informant": i.informant,
            **({"options": choices(i.options)} if i.type == "choice" else {}),
            **(
                {"min": questionnaire.scale_of(i)[0], "max": questionnaire.scale_of(i)[1]}
                if i.type == "scale"
                else {}
            ),
        }

    importance = questionnaire.importance

    def importance_of(dimension_id: str) -> dict[str, Any]:
        if importance is None:
            return {}
        labels = {str(k): localized(v, language) for k, v in importance.labels.items()}
        question = {
            "id": importance_column(dimension_id),
            "text": localized(importance.text, language),
            "min": importance.min,
            "max": importance.max,
            "labels": labels,
        }
        return {"importance": question}

    return {
        "title": localized(questionnaire.title, language),
        "description": localized(questionnaire.description, language),
        "dimensions": [
            {
                "id": d.id,
                "name": localized(d.name, language),
                "description": localized(d.description, language),
                "items": [item(i) for i in d.items if lead or study or i.informant != "lead"],
                **importance_of(d.id),
            }
            for d in questionnaire.dimensions
        ],
        "profile": [
            {
                "id": p.id,
                "type": p.type,
                "text": localized(p.text, language),
                **({"options": choices(p.options)} if p.type == "choice" else {}),
            }
            for p in questionnaire.profile
            if study or p.scope == "respondent"
        ],
    }


# The routes below do their work in one turn each (see `database_work`), with a
# connection of their own: no dependency needs a thread hop of its own on this, the
# busiest path.


@router.get("/{token}", responses=NOT_FOUND, dependencies=CHECKED)
async def get_form(
    token: str,
    request: Request,
    lang: Annotated[
        str | None, Query(pattern=LANGUAGE, description="By default the questionnaire's first.")
    ] = None,
) -> dict[str, Any]:
    """The questionnaire in `lang` (de or en) and the answers saved so far."""
    return await database_work(request, _form_and_state, request, token, lang)


def _form_and_state(request: Request, token: str, lang: str | None) -> dict[str, Any]:
    with connection_for(request) as connection:
        link, asked = open_link(request, connection, token)
        questionnaire = asked.questionnaire
        language = lang or questionnaire.languages[0]
        if language not in questionnaire.languages:
            raise HTTPException(
                422,
                f"lang={language}: this questionnaire is in {', '.join(questionnaire.languages)}",
            )
        stored = state_of(connection, invitation_id=link.invitation_id)
    study = link.assessment_kind == AssessmentKind.study
    return {
        "assessment": {
            "name": link.assessment_name,
            "status": link.assessment_status,
            "kind": link.assessment_kind,
        },
        "language": language,
        "questionnaire": form(questionnaire, language, study=study, lead=link.lead),
        "response": state_data(stored),
    }


def _checked(link: Link, asked: Asked, body: AnswersBody) -> tuple[dict[str, Any], dict[str, Any]]:
    """Answers as stored, after checking each against its question; 422 lists every problem."""
    problems: list[str] = []
    try:
        answers, _ = read_entry(body.answers, asked.items)
    except EntryError as exc:
        problems += [f"answers: {p}" for p in exc.problems]
    problems += [f"answers: {p}" for p in lead_only(link, asked, body.answers)]
    try:
        _, profile = read_entry(body.profile, profile_columns(asked, link))
    except EntryError as exc:
        problems += [f"profile: {p}" for p in exc.problems]
    chosen = body.profile.get("department")
    if department_fixed(asked, link) and chosen not in (None, link.department):
        problems.append(
            f"profile: department is {link.department}, as the invitation assigned it; "
            "leave it out or send that value"
        )
    if problems:
        raise HTTPException(422, {"problems": problems})
    return answers, with_invited_department(profile, asked, link)


def lead_only(link: Link, asked: Asked, answers: dict[str, Any]) -> list[str]:
    """A problem per answer to an item asked of the lead only, from anyone else (a study's
    respondents each answer for their own organisation, so they are asked everything)."""
    if link.lead or link.assessment_kind == AssessmentKind.study:
        return []
    return [
        f"'{key}' is asked of the lead only; leave it out"
        for key, value in answers.items()
        if key in asked.lead_items and value not in (None, "")
    ]


@router.put("/{token}", responses=NOT_ACCEPTED, response_model=ResponseState)
async def save(token: str, body: AnswersBody, request: Request) -> JSONResponse:
    """Save answers so far (any number of times, the last save wins) until submitted."""
    return await database_work(request, _save, request, token, body)


def _save(request: Request, token: str, body: AnswersBody) -> JSONResponse:
    with connection_for(request) as connection:
        link, asked = open_link(request, connection, token)
        _check_accepting(link)
        answers, profile = _checked(link, asked, body)
        try:
            saved = save_answers(connection, link=link, answers=answers, profile=profile)
        except Conflict:
            raise HTTPException(
                409, "These answers were submitted and can no longer change."
            ) from None
    return _state(saved)


@router.post("/{token}/submit", responses=NOT_ACCEPTED, response_model=ResponseState)
async def submit(
    token: str,
    request: Request,
    body: AnswersBody | None = None,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> JSONResponse:
    """Submit, once, with last answers if given. Repeating with the same Idempotency-Key
    returns the same answer; any other second submit is a 409."""
    return await database_work(request, _submit, request, token, body, idempotency_key)


def _submit(
    request: Request, token: str, body: AnswersBody | None, idempotency_key: str | None
) -> JSONResponse:
    with connection_for(request) as connection:
        link, asked = open_link(request, connection, token)
        study = link.assessment_kind == AssessmentKind.study
        if link.response_status == ResponseStatus.submitted:
            stored_key = link.idempotency_key
        else:
            _check_accepting(link)
            if study:
                refuse_if_answered(request, link.assessment_id)
            answers = profile = None
            if body is not None and (body.answers or body.profile):
                answers, profile = _checked(link, asked, body)
            elif link.response_status is None:  # nothing saved: the invited department counts
                answers, profile = {}, with_invited_department({}, asked, link)
            state, won = responses.submit(
                connection,
                link=link,
                idempotency_key=idempotency_key,
                answers=answers,
                profile=profile,
            )
            if won:
                return _answered(request, _state(state), link)
            stored_key = state["idempotency_key"]
        # Submitted before (or by a request racing this one): the same key gets the same
        # answer, anything else is a conflict.
        if not idempotency_key or stored_key != idempotency_key:
            raise HTTPException(409, "These answers were submitted already.")
        stored = state_of(connection, invitation_id=link.invitation_id)
        return _answered(request, _state(stored), link)


def _answered(request: Request, response: JSONResponse, link: Link) -> JSONResponse:
    """A submitted response; in a study, with the mark that this browser has answered."""
    if link.assessment_kind == AssessmentKind.study:
        mark_answered(request, response, link.assessment_id)
    return response
