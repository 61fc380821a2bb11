"""The consensus answers of an assessment's workshop: those recorded (by label, with the
rationale, who and when, each removable) and a form to record one. A plain form: the
statement or question is chosen first (`?item=`), then its answers are offered."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from assess.domain.consensus import (
    MAX_RATIONALE,
    ConsensusError,
    Item,
    answer_from_text,
    consensus_label,
    settled_items,
)
from assess.domain.questionnaire import Questionnaire, localized
from assess.persistence.models.assessments import Assessment, AssessmentKind, AssessmentStatus
from assess.persistence.repository.accounts import organisation_for
from assess.persistence.repository.consensus import consensus_answers
from assess.persistence.repository.questionnaires import questionnaire_of_assessment
from assess.web.actions.consensus import record_consensus, remove_consensus
from assess.web.console.access import FormDep, Staff, StaffDep, assessment_of, see_other, text_field

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class Recorded:
    """A consensus answer as the page lists it."""

    item: str
    text: str
    answer: str
    rationale: str
    recorded_by: str
    recorded_at: datetime


@dataclass(frozen=True)
class Typed:
    """What the form holds: the item chosen, the answer and the rationale as typed, and
    which field a problem belongs to."""

    item: str = ""
    answer: str = ""
    rationale: str = ""
    problem: str | None = None  # ConsensusError.reason


def _url(assessment: Assessment) -> str:
    return f"/assessments/{assessment.id}/workshop/consensus"


@router.get("/assessments/{assessment_id}/workshop/consensus")
def consensus_page(assessment_id: uuid.UUID, staff: StaffDep) -> HTMLResponse:
    """The consensus answers recorded and the form; `?item=` chooses the item to settle."""
    assessment = assessment_of(staff, assessment_id, run=True)
    chosen = staff.request.query_params.get("item", "")[:64]
    return _page(staff, assessment, Typed(item=chosen))


@router.post("/assessments/{assessment_id}/workshop/consensus", response_model=None)
def record(assessment_id: uuid.UUID, staff: StaffDep, form: FormDep) -> Response:
    """Record the consensus answer of the item chosen (replacing the one it had)."""
    assessment = assessment_of(staff, assessment_id, run=True)
    questionnaire = questionnaire_of_assessment(staff.session, assessment=assessment)
    typed = Typed(
        text_field(form, "item", 64),
        text_field(form, "answer", 64),
        text_field(form, "rationale", MAX_RATIONALE),
    )
    try:
        answer = answer_from_text(questionnaire, typed.item, typed.answer) if typed.answer else None
        if answer is None:
            raise ConsensusError("choose an answer", "no_answer")
        _, new = record_consensus(
            staff.session,
            assessment,
            questionnaire,
            typed.item,
            answer,
            typed.rationale,
            staff.user,
            via="console",
        )
    except ConsensusError as exc:
        problem = Typed(typed.item, typed.answer, typed.rationale, exc.reason)
        return _page(staff, assessment, problem, status=422)
    return see_other(_url(assessment), done="recorded" if new else "replaced")


@router.post(
    "/assessments/{assessment_id}/workshop/consensus/{item_id}/remove", response_model=None
)
def remove(assessment_id: uuid.UUID, item_id: str, staff: StaffDep, form: FormDep) -> Response:
    """Remove an item's consensus answer: after the workshop it counts as answered again."""
    assessment = assessment_of(staff, assessment_id, run=True)
    removed = remove_consensus(staff.session, assessment, item_id[:64], staff.user, via="console")
    return see_other(_url(assessment), done="removed" if removed else "none")


def _page(staff: Staff, assessment: Assessment, typed: Typed, status: int = 200) -> HTMLResponse:
    questionnaire = questionnaire_of_assessment(staff.session, assessment=assessment)
    language = staff.language if staff.language in questionnaire.languages else None
    language = language or questionnaire.languages[0]
    organisation = organisation_for(
        staff.session, user=staff.user, organisation_id=assessment.organisation_id
    )
    items = settled_items(questionnaire)
    chosen = next((item for item in items if item.id == typed.item), None)
    study = assessment.kind == AssessmentKind.study
    return staff.render(
        "console/consensus.html.j2",
        status=status,
        assessment=assessment,
        organisation=organisation,
        study=study,
        draft=assessment.status == AssessmentStatus.draft,
        items=[(item.id, _text(item, language)) for item in items],
        chosen=chosen.id if chosen else None,
        chosen_text=_text(chosen, language) if chosen else None,
        answers=_answers(questionnaire, chosen, language) if chosen else [],
        recorded=[] if study else _recorded(staff, assessment, questionnaire, language),
        typed=typed,
        max_rationale=MAX_RATIONALE,
        done=staff.request.query_params.get("done"),
    )


def _text(item: Item, language: str) -> str:
    return localized(item.text, language)


def _answers(questionnaire: Questionnaire, item: Item, language: str) -> list[tuple[str, str]]:
    """Each answer the item takes: its form value and its label (a scale point with the
    scale's words where it has them)."""
    labels = getattr(item, "labels", None) or (
        questionnaire.scale.labels if questionnaire.scale else {}
    )
    offered = []
    for value in questionnaire.answers_of(item):
        label = consensus_label(item, _typed(item, value), language)
        words = labels.get(int(value)) if value.isdigit() and label == value else None
        offered.append((value, f"{label} – {localized(words, language)}" if words else label))
    return offered


def _typed(item: Item, value: str) -> int | str | bool:
    if item.type == "scale":
        return int(value)
    if item.type == "boolean":
        return value == "yes"
    return value


def _recorded(
    staff: Staff, assessment: Assessment, questionnaire: Questionnaire, language: str
) -> list[Recorded]:
    order = {item_id: n for n, item_id in enumerate(questionnaire.item_ids())}
    found = consensus_answers(staff.session, assessment_id=assessment.id)
    rows = []
    for c in sorted(found, key=lambda c: order.get(c.item_id, len(order))):
        item = questionnaire.item(c.item_id)
        if item is None:
            continue
        label = consensus_label(item, c.answer, language)
        rows.append(
            Recorded(
                c.item_id, _text(item, language), label, c.rationale, c.recorded_by, c.recorded_at
            )
        )
    return rows
