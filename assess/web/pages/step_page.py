"""What one page of the form shows: its heading, its questions with the answers so far
(a level's items asked of this respondent, then how important the level is), and where
it stands in the form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from fastapi.responses import HTMLResponse

from assess.domain.columns import importance_column
from assess.domain.questionnaire import localized
from assess.web.deps import department_fixed
from assess.web.pages.questions import Question, form_value, importance_question, question_of
from assess.web.pages.steps import Step
from assess.web.pages.visit import Visit

STEP_TEMPLATE = "respondent/step.html.j2"


def heading(visit: Visit, step: Step) -> str:
    """The title of a step's page: "About you" or the level's name."""
    if step.dimension is None:
        if visit.study:
            return visit.gettext("About you and your organisation")
        return visit.gettext("About you")
    return localized(step.dimension.name, visit.language)


def questions(
    visit: Visit,
    step: Step,
    sent: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
) -> list[Question]:
    """The step's questions with the answers saved, or as sent where they were refused."""
    questionnaire, errors, sent = visit.asked.questionnaire, errors or {}, sent or {}
    given = {**visit.profile, **visit.answers}

    def value(question_id: str) -> str:
        return sent[question_id] if question_id in errors else form_value(given.get(question_id))

    elements: list[Any] = list(step.items if step.dimension else step.profile)
    fixed = {"department"} if department_fixed(visit.asked, visit.link) else set()
    shown = [
        question_of(
            questionnaire,
            element,
            visit.language,
            visit.gettext,
            value(element.id),
            errors.get(element.id),
        )
        for element in elements
    ]
    if step.dimension is not None and step.importance is not None:
        key = importance_column(step.dimension.id)
        shown.append(
            importance_question(
                step.importance, step.dimension, visit.language, value(key), errors.get(key)
            )
        )
    # The department the invitation assigned is shown, not asked.
    return [replace(q, kind="fixed") if q.id in fixed else q for q in shown]


def step_context(visit: Visit, step: Step, shown: list[Question] | None = None) -> dict[str, Any]:
    """What the page of one step shows besides what every page does: its questions with
    the answers so far (or `shown`, as refused), and where it stands in the form."""
    levels = [s for s in visit.steps if s.dimension is not None]
    position = visit.steps.index(step)
    return {
        "step": step,
        "heading": heading(visit, step),
        "description": localized(step.dimension.description, visit.language)
        if step.dimension
        else "",
        "questions": shown if shown is not None else questions(visit, step),
        "levels": len(levels),
        "first": position == 0,
        "last": position == len(visit.steps) - 1,
    }


def step_page(
    visit: Visit,
    step: Step,
    shown: list[Question] | None = None,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    """The page of one step (see `step_context`)."""
    return visit.render(STEP_TEMPLATE, status, **step_context(visit, step, shown), **context)
