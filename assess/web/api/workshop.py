"""A consensus workshop: the agenda of the items on which an assessment's groups differ
most, for those who run it."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from assess.domain.workshop import AGENDA_LENGTH
from assess.results.workshop import workshop_of
from assess.web.actions.workshop import agenda_view
from assess.web.api.studies import NOT_FOR_STUDIES
from assess.web.deps import MANAGED, ManagedAssessmentDep, SessionDep, declared
from assess.web.schemas.workshop import WorkshopAgenda

router = APIRouter(prefix="/api/v1", tags=["workshop"])
BAD_GROUPING: dict[int | str, dict[str, object]] = {
    422: {"description": "group_by names no profile question asked of each respondent."}
}


@router.get(
    "/assessments/{assessment_id}/workshop",
    responses=declared(MANAGED, NOT_FOR_STUDIES, BAD_GROUPING),
)
def workshop_agenda(
    assessment: ManagedAssessmentDep,
    session: SessionDep,
    request: Request,
    group_by: Annotated[
        str | None,
        Query(
            max_length=64,
            description="A profile question asked of each respondent; department by default.",
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100, description="Items listed at most.")] = (
        AGENDA_LENGTH
    ),
    lang: Annotated[Literal["de", "en"], Query(description="Language of the texts.")] = "en",
) -> WorkshopAgenda:
    """The agenda of a consensus workshop (admins and the organisation's consultants, on
    the live figures): the statements and questions on which the groups differ most, per
    group n, mean item score and answers, and a question for the discussion; every group
    the results would not show left out and named; `reason` says why there is nothing to
    discuss, if so."""
    workshop = workshop_of(
        session,
        assessment,
        benchmark_k=request.app.state.settings.benchmark_k,
        group_by=group_by,
        length=limit,
    )
    return agenda_view(workshop, assessment.id, lang)
