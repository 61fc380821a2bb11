"""Consensus answers of an assessment: the answer a workshop settled on per item, and why.
Results and reports "after the workshop" count it as every respondent's answer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Body, HTTPException, Path, Response

from assess.persistence.models.assessments import ConsensusAnswer
from assess.persistence.repository.consensus import consensus_answers
from assess.persistence.repository.questionnaires import questionnaire_of_assessment
from assess.results.studies import refuse_unless_assessment
from assess.web.actions.consensus import record_consensus, remove_consensus
from assess.web.api.studies import NOT_FOR_STUDIES
from assess.web.deps import MANAGED, ManagedAssessmentDep, SessionDep, UserDep, declared
from assess.web.schemas.consensus import ConsensusGiven, ConsensusPublic

router = APIRouter(prefix="/api/v1", tags=["consensus"])

ItemId = Annotated[str, Path(max_length=64, description="An item of the questionnaire.")]
DRAFT: dict[int | str, dict[str, object]] = {
    409: {"description": "The assessment is a draft: nobody has answered yet."}
}
BAD_ANSWER: dict[int | str, dict[str, object]] = {
    422: {
        "description": "An item the questionnaire lacks or a fact asked of the lead, an "
        "answer the item does not take, or an empty rationale: named, with what it takes."
    }
}


@router.get("/assessments/{assessment_id}/consensus", responses=declared(MANAGED, NOT_FOR_STUDIES))
def list_consensus(assessment: ManagedAssessmentDep, session: SessionDep) -> list[ConsensusPublic]:
    """The consensus answers recorded, by item id."""
    refuse_unless_assessment(assessment, "consensus workshop")
    return _public(consensus_answers(session, assessment_id=assessment.id))


@router.put(
    "/assessments/{assessment_id}/consensus/{item_id}",
    responses=declared(
        {201: {"description": "Recorded; the item had none.", "model": ConsensusPublic}},
        MANAGED,
        NOT_FOR_STUDIES,
        DRAFT,
        BAD_ANSWER,
    ),
)
def put_consensus(
    assessment: ManagedAssessmentDep,
    item_id: ItemId,
    session: SessionDep,
    user: UserDep,
    response: Response,
    body: Annotated[
        ConsensusGiven,
        Body(
            openapi_examples={
                "scale": {"value": {"answer": 3, "rationale": "Sales and service agreed."}},
                "choice": {"value": {"answer": "board", "rationale": "The CEO owns it."}},
                "boolean": {"value": {"answer": False, "rationale": "Only a plan so far."}},
            }
        ),
    ],
) -> ConsensusPublic:
    """Record the answer the workshop settled on for an item (201), or replace the one
    recorded (200; the audit log keeps the one replaced). The answers respondents gave
    stay as they are; results and reports "after the workshop" count this one for
    every respondent. Open and closed assessments; a closed one's kept scores
    (benchmarks, later waves) stay as answered."""
    questionnaire = questionnaire_of_assessment(session, assessment=assessment)
    kept, new = record_consensus(
        session, assessment, questionnaire, item_id, body.answer, body.rationale, user, via="api"
    )
    response.status_code = 201 if new else 200
    return _public([kept])[0]


@router.delete(
    "/assessments/{assessment_id}/consensus/{item_id}",
    status_code=204,
    responses=declared(
        MANAGED,
        NOT_FOR_STUDIES,
        {404: {"description": "The item has no consensus answer."}},
    ),
)
def delete_consensus(
    assessment: ManagedAssessmentDep, item_id: ItemId, session: SessionDep, user: UserDep
) -> Response:
    """Remove an item's consensus answer: after the workshop it counts as answered again."""
    if not remove_consensus(session, assessment, item_id, user, via="api"):
        raise HTTPException(404, f"{item_id} has no consensus answer to remove.")
    return Response(status_code=204)


def _public(found: Sequence[ConsensusAnswer]) -> list[ConsensusPublic]:
    return [
        ConsensusPublic(
            item=c.item_id,
            answer=c.answer,
            rationale=c.rationale,
            recorded_by=c.recorded_by,
            recorded_at=c.recorded_at,
        )
        for c in found
    ]
