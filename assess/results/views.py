"""Results as answered or after the workshop: after it, each consensus answer recorded
for the assessment counts as every respondent's answer to its item (rule 6's way), in
whatever figures the viewer sees (live or a release: the same responses, the agreed
answers in place of the given ones; in a release, answers to an item fewer than k
scored count for nobody). A closed assessment's snapshot stays as answered."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Literal

from sqlmodel import Session

from assess.domain.consensus import Consensus
from assess.domain.few_answers import without_thin_answers
from assess.persistence.models.assessments import Assessment, AssessmentKind
from assess.persistence.repository.consensus import consensus_answers
from assess.results.service import Figures

View = Literal["answered", "workshop"]
ANSWERED: View = "answered"
WORKSHOP: View = "workshop"


def in_view(session: Session, assessment: Assessment, figures: Figures, view: View) -> Figures:
    """The figures in a view: after the workshop with the assessment's consensus answers
    (in questionnaire order; a study has none), as answered unchanged."""
    if view != WORKSHOP or assessment.kind == AssessmentKind.study:
        return figures
    order = {item_id: n for n, item_id in enumerate(figures.questionnaire.item_ids())}
    found = sorted(
        (c for c in consensus_answers(session, assessment_id=assessment.id) if c.item_id in order),
        key=lambda c: order[c.item_id],
    )
    agreed = tuple(Consensus(c.item_id, c.answer, c.rationale) for c in found)
    if figures.live or not agreed:
        return replace(figures, consensus=agreed)
    # A release: answers to an item fewer than k scored would add up, beside the agreed
    # items everyone shares, to those few answers (see without_thin_answers).
    items = [c.item for c in agreed]
    responses = without_thin_answers(
        figures.questionnaire, figures.responses, figures.verdicts.k, items
    )
    return replace(figures, consensus=agreed, responses=responses)


def view_of(view: View, figures: Figures) -> dict[str, Any]:
    """What a result says of its view: which one, and after the workshop the consensus
    answers it counts, each with its rationale."""
    if view != WORKSHOP:
        return {"view": ANSWERED}
    used = [
        {"item": c.item, "answer": c.answer, "rationale": c.rationale} for c in figures.consensus
    ]
    return {"view": WORKSHOP, "consensus": used}


def has_consensus(session: Session, assessment: Assessment) -> bool:
    """Whether the assessment has consensus answers, so that its results have two views."""
    if assessment.kind == AssessmentKind.study:
        return False
    return bool(consensus_answers(session, assessment_id=assessment.id))
