"""The respondent's side of the API, reached with the token of an invitation link."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException

from assess import repository
from assess.domain.answers import AnswersError, read_answers, to_stored
from assess.domain.questionnaire import Questionnaire, localized
from assess.models import AssessmentStatus, Response, ResponseStatus, utcnow
from assess.web.deps import Link, LinkDep, SessionDep
from assess.web.schemas import AnswersBody, ResponseState

router = APIRouter(prefix="/api/v1/respond", tags=["respondents"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "Not a valid link."}}


def _check_accepting(link: Link) -> None:
    now = utcnow()
    if link.assessment.status != AssessmentStatus.open:
        raise HTTPException(409, "This assessment is not open for answers; what was saved stays.")
    for deadline in (link.assessment.closes_at, link.invitation.expires_at):
        if deadline is not None and _aware(deadline) <= now:
            raise HTTPException(409, "This link has expired; what was saved stays.")


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def _state(response: Response | None) -> ResponseState:
    if response is None:
        return ResponseState(
            status=ResponseStatus.in_progress,
            answers={},
            profile={},
            updated_at=None,
            submitted_at=None,
        )
    return ResponseState(
        status=response.status,
        answers=response.answers,
        profile=response.profile,
        updated_at=response.updated_at,
        submitted_at=response.submitted_at,
    )


def form(questionnaire: Questionnaire, language: str) -> dict[str, Any]:
    """What a respondent is asked, in one language."""

    def choices(options: list[Any]) -> list[dict[str, Any]]:
        return [{"value": o.value, "label": localized(o.label, language)} for o in options]

    return {
        "title": localized(questionnaire.title, language),
        "description": localized(questionnaire.description, language),
        "dimensions": [
            {
                "id": d.id,
                "name": localized(d.name, language),
                "description": localized(d.description, language),
                "items": [
                    {
                        "id": i.id,
                        "type": i.type,
                        "text": localized(i.text, language),
                        "allow_na": i.allow_na,
                        **({"options": choices(i.options)} if i.type == "choice" else {}),
                        **(
                            {
                                "min": questionnaire.scale_of(i)[0],
                                "max": questionnaire.scale_of(i)[1],
                            }
                            if i.type == "scale"
                            else {}
                        ),
                    }
                    for i in d.items
                ],
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
            if p.scope == "respondent"
        ],
    }


@router.get("/{token}", responses=NOT_FOUND)
def get_form(link: LinkDep, session: SessionDep, lang: str | None = None) -> dict[str, Any]:
    """The questionnaire in `lang` (de or en) and the answers saved so far."""
    questionnaire = link.questionnaire
    language = lang or questionnaire.languages[0]
    if language not in questionnaire.languages:
        raise HTTPException(
            422, f"lang={language}: this questionnaire is in {', '.join(questionnaire.languages)}"
        )
    response = repository.response_of(session, invitation_id=link.invitation.id)
    return {
        "assessment": {"name": link.assessment.name, "status": link.assessment.status},
        "language": language,
        "questionnaire": form(questionnaire, language),
        "response": _state(response).model_dump(mode="json"),
    }


def _checked(link: Link, body: AnswersBody) -> tuple[dict[str, Any], dict[str, Any]]:
    """Answers as stored, after checking each against its item; 422 lists every problem."""
    questionnaire = link.questionnaire
    scoped = {p.id for p in questionnaire.profile if p.scope == "respondent"}
    extra = sorted(set(body.profile) - scoped)
    items = set(questionnaire.item_ids())
    strays = sorted(k for k in body.answers if k not in items)
    if extra or strays:
        problems = [f"'{k}' is not a respondent profile question" for k in extra]
        problems += [f"'{k}' is not an item of this questionnaire" for k in strays]
        raise HTTPException(422, {"problems": problems})
    entry = {"respondent": link.invitation.label, **body.profile, **body.answers}
    if link.invitation.department and "department" in scoped:
        entry.setdefault("department", link.invitation.department)
    try:
        [response] = read_answers(json.dumps([entry]).encode(), questionnaire, kind="json")
    except AnswersError as exc:
        raise HTTPException(422, {"problems": exc.problems}) from None
    return to_stored(response)


@router.put("/{token}", responses=NOT_FOUND)
def save(link: LinkDep, session: SessionDep, body: AnswersBody) -> ResponseState:
    """Save answers so far (any number of times, the last save wins) until submitted."""
    _check_accepting(link)
    answers, profile = _checked(link, body)
    try:
        saved = repository.save_answers(
            session, invitation=link.invitation, answers=answers, profile=profile
        )
    except repository.Conflict as exc:
        raise HTTPException(409, "These answers were submitted and can no longer change.") from exc
    return ResponseState(**saved)


@router.post("/{token}/submit", responses=NOT_FOUND)
def submit(
    link: LinkDep,
    session: SessionDep,
    body: AnswersBody | None = None,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> ResponseState:
    """Submit, once. Repeating with the same Idempotency-Key returns the same answer."""
    existing = repository.response_of(session, invitation_id=link.invitation.id)
    if existing is not None and existing.status == ResponseStatus.submitted:
        if idempotency_key and existing.idempotency_key == idempotency_key:
            return _state(existing)
        raise HTTPException(409, "These answers were submitted already.")
    _check_accepting(link)
    if body is not None and (body.answers or body.profile):
        answers, profile = _checked(link, body)
        try:
            repository.save_answers(
                session, invitation=link.invitation, answers=answers, profile=profile
            )
        except repository.Conflict:
            raise HTTPException(409, "These answers were submitted already.") from None
    response, won = repository.submit(
        session, invitation=link.invitation, idempotency_key=idempotency_key
    )
    if not won and not (idempotency_key and response.idempotency_key == idempotency_key):
        raise HTTPException(409, "These answers were submitted already.")
    return _state(response)
