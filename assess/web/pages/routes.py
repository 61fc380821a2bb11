"""The respondent's pages at /r/{token}: welcome, profile, one page per level, review
(what follows submitting is in `submitted`). Every page saves on "next" and "back"
(post, then redirect), through the same checks and repository functions as the JSON API."""

from __future__ import annotations

import hmac
import uuid
from collections.abc import Mapping

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from assess import K_DEFAULT
from assess.domain.questionnaire import localized
from assess.persistence.models.responses import ResponseStatus
from assess.persistence.repository import responses
from assess.persistence.repository.common import Conflict
from assess.persistence.repository.responses import save_answers, state_of
from assess.results.service import smallest_group
from assess.web.actions.answered import has_answered, mark_answered
from assess.web.deps import (
    connection_for,
    database_work,
    server_key,
    with_invited_department,
)
from assess.web.pages.own_scores import answers_submitted
from assess.web.pages.questions import merged, read_page, refusal
from assess.web.pages.step_page import heading, questions, step_page
from assess.web.pages.steps import (
    Step,
    first_open_step,
    minutes_to_answer,
    offers_dont_know,
    statements,
    step_by_slug,
)
from assess.web.pages.visit import PageProblem, Visit, form_token

router = APIRouter(prefix="/r", include_in_schema=False)
MAX_SUBMISSION_KEY = 64
# A page's form holds its questions and a few buttons and tokens: no file, and fewer
# fields than this in any questionnaire (Starlette answers 400 past it).
MAX_FIELDS = 1_000


def _visit(request: Request, token: str, *, accepting: bool = True) -> Visit:
    with connection_for(request) as connection:
        visit = Visit.open(request, connection, token)
    if accepting:
        visit.refuse_if_closed()
    return visit


@router.get("/{token}")
async def resume(token: str, request: Request) -> Response:
    """Where the link leads: the welcome page at first (a study's respondent comes from
    its welcome at /s/), later the first page with an unanswered question, or the review
    page once all are answered; once submitted, the thank-you page (with the
    respondent's own scores where the assessment shows them)."""
    return await database_work(request, _resume, request, token)


def _resume(request: Request, token: str) -> Response:
    visit = _visit(request, token, accepting=False)
    if answers_submitted(visit):
        return visit.redirect("thanks")
    visit.refuse_if_closed()
    if visit.stored is None and not visit.study:
        return visit.redirect("welcome")
    step = first_open_step(visit.steps, visit.answers, visit.profile)
    return visit.redirect(step.slug if step else "review")


@router.get("/{token}/welcome")
async def welcome(token: str, request: Request) -> HTMLResponse:
    """What is asked, how long it takes and how answers are used."""
    return await database_work(request, _welcome, request, token)


def _welcome(request: Request, token: str) -> HTMLResponse:
    visit = _visit(request, token)
    questionnaire = visit.asked.questionnaire
    department = questionnaire.profile_question("department")
    options = {o.value: o.label for o in getattr(department, "options", [])}
    chosen = visit.profile.get("department") or visit.link.department
    return visit.render(
        "respondent/welcome.html.j2",
        description=localized(questionnaire.description, visit.language),
        levels=[localized(d.name, visit.language) for d in questionnaire.dimensions],
        items=statements(visit.steps),
        minutes=minutes_to_answer(visit.steps),
        asks_profile=any(s.dimension is None for s in visit.steps),
        importance=questionnaire.importance is not None,
        dont_know=offers_dont_know(visit.steps),
        department=localized(options[chosen], visit.language) if chosen in options else chosen,
        min_group=smallest_group(visit.settings.benchmark_k, study=visit.study),
        min_organisations=K_DEFAULT,
        first=visit.steps[0].slug,
    )


@router.get("/{token}/profile")
async def profile_page(token: str, request: Request) -> HTMLResponse:
    """The questions about the respondent (department and the like)."""
    return await database_work(request, _step_page, request, token, "profile")


@router.get("/{token}/level/{number}")
async def level_page(token: str, number: str, request: Request) -> HTMLResponse:
    """The items of one level."""
    return await database_work(request, _step_page, request, token, f"level/{number}")


def _step_page(request: Request, token: str, slug: str) -> HTMLResponse:
    visit = _visit(request, token)
    return step_page(visit, _step(visit, slug))


@router.post("/{token}/profile")
async def save_profile(token: str, request: Request) -> Response:
    """Save the profile page, then go on (or back)."""
    fields = await _fields(request)
    return await database_work(request, _save_step, request, token, "profile", fields)


@router.post("/{token}/level/{number}")
async def save_level(token: str, number: str, request: Request) -> Response:
    """Save a level's page, then go on (or back)."""
    fields = await _fields(request)
    return await database_work(request, _save_step, request, token, f"level/{number}", fields)


@router.get("/{token}/review")
async def review(token: str, request: Request) -> HTMLResponse:
    """Every answer, with links back to each page; unanswered ones marked."""
    return await database_work(request, _review, request, token)


def _review(request: Request, token: str) -> HTMLResponse:
    visit = _visit(request, token)
    sections = [(step, heading(visit, step), questions(visit, step)) for step in visit.steps]
    unanswered = sum(1 for _, _, questions in sections for q in questions if not q.value)
    return visit.render(
        "respondent/review.html.j2",
        sections=sections,
        unanswered=unanswered,
        submission=uuid.uuid4().hex,
    )


@router.post("/{token}/review")
async def submit(token: str, request: Request) -> Response:
    """Submit, once; the same form posted again is harmless (Idempotency-Key semantics)."""
    fields = await _fields(request)
    return await database_work(request, _submit, request, token, fields)


async def _fields(request: Request) -> dict[str, str]:
    form = await request.form(max_files=0, max_fields=MAX_FIELDS)
    return {key: value for key, value in form.multi_items() if isinstance(value, str)}


def _step(visit: Visit, slug: str) -> Step:
    step = step_by_slug(visit.steps, slug)
    if step is None:
        raise PageProblem(404, "no_page", visit.language, visit=visit)
    return step


def _save_step(request: Request, token: str, slug: str, fields: dict[str, str]) -> Response:
    """Save one page's answers (those that fit), then redirect; the page again with each
    refused answer's problem beside its question (422)."""
    with connection_for(request) as connection:
        visit = Visit.open(request, connection, token)
        _check_form_token(visit, fields)
        visit.refuse_if_closed(posted=True)
        step = _step(visit, slug)
        unasked = [i for i in step.withheld_ids if fields.get(i)]
        if unasked:
            return _unasked_refused(visit, step, unasked)
        ids = step.question_ids
        levelled = step.dimension is not None
        columns = visit.answer_columns if levelled else visit.profile_columns
        page = read_page(fields, ids, columns)
        answers, profile = visit.answers, visit.profile
        if levelled:
            answers = merged(answers, page.answers, ids, page.refused)
        else:
            profile = merged(profile, page.profile, ids, page.refused)
            profile = with_invited_department(profile, visit.asked, visit.link)
        try:
            visit.stored = save_answers(
                connection, link=visit.link, answers=answers, profile=profile
            )
        except Conflict:
            raise PageProblem(409, "submitted", visit.language, posted=True, visit=visit) from None
    if page.refused:
        errors = {k: refusal(columns[k], raw, visit.gettext) for k, raw in page.refused.items()}
        return step_page(visit, step, questions(visit, step, page.refused, errors), 422)
    return visit.redirect(_destination(visit, step, fields.get("go", "next")))


def _unasked_refused(visit: Visit, step: Step, unasked: list[str]) -> HTMLResponse:
    """The page again (422) for a post that answers items this respondent is not asked
    (those of the lead, by another respondent): nothing of it is saved."""
    assert step.dimension is not None  # only levels have items
    texts = {item.id: localized(item.text, visit.language) for item in step.dimension.items}
    return step_page(visit, step, status=422, unasked=[texts[i] for i in unasked])


def _destination(visit: Visit, step: Step, go: str) -> str:
    position = visit.steps.index(step)
    if go == "back":
        return visit.steps[position - 1].slug if position > 0 else "welcome"
    if go == "review" or position == len(visit.steps) - 1:
        return "review"
    return visit.steps[position + 1].slug


def _submit(request: Request, token: str, fields: dict[str, str]) -> RedirectResponse:
    """Submit once; a second post of the same review page leads to the same thank-you
    page, any other after submitting is a 409 page."""
    sent = fields.get("submission", "")[:MAX_SUBMISSION_KEY]
    key = f"form-{sent}" if sent else None
    with connection_for(request) as connection:
        visit = Visit.open(request, connection, token)
        _check_form_token(visit, fields)
        if visit.link.response_status == ResponseStatus.submitted:
            stored_key = visit.link.idempotency_key
        else:
            visit.refuse_if_closed(posted=True)
            if visit.study and has_answered(request, visit.link.assessment_id):
                raise PageProblem(409, "study_answered", visit.language, posted=True, visit=visit)
            # The invitation's department, if no save has stored it yet.
            profile = visit.profile
            changed = visit.stored is None or profile != visit.stored["profile"]
            state, won = responses.submit(
                connection,
                link=visit.link,
                idempotency_key=key,
                answers=visit.answers if changed else None,
                profile=profile if changed else None,
            )
            if won:
                return _answered(visit, visit.redirect("thanks"))
            stored_key = state["idempotency_key"]
        if key is not None and stored_key == key:
            return _answered(visit, visit.redirect("thanks"))
        visit.stored = state_of(connection, invitation_id=visit.link.invitation_id)
    raise PageProblem(
        409,
        "submitted",
        visit.language,
        posted=True,
        visit=visit,
        submitted_at=visit.stored and visit.stored["submitted_at"],
    )


def _answered(visit: Visit, response: RedirectResponse) -> RedirectResponse:
    """A submitted response; in a study, with the mark that this browser has answered."""
    if visit.study:
        mark_answered(visit.request, response, visit.link.assessment_id)
    return response


def _check_form_token(visit: Visit, fields: Mapping[str, str]) -> None:
    """403 for a form without this link's form token."""
    expected = form_token(server_key(visit.request), visit.token)
    if not hmac.compare_digest(fields.get("form_token", "").encode(), expected.encode()):
        raise PageProblem(403, "form_token", visit.language, posted=True, visit=visit)
