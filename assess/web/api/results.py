"""Results: the scores of an assessment's submitted responses (with breakdowns that never
describe too few respondents), single respondents' scores, and answers imported offline."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Query, Request, Response
from fastapi.responses import JSONResponse

from assess.domain.answer_files import read_answers
from assess.domain.answers import AnswersError, to_stored
from assess.persistence.models.accounts import User
from assess.persistence.models.assessments import Assessment, AssessmentStatus
from assess.persistence.repository.questionnaires import (
    questionnaire_of_assessment,
)
from assess.persistence.repository.responses import import_responses
from assess.results.assessments import figures_of, respondents_scores
from assess.results.service import Figures, scored
from assess.results.studies import refuse_unless_assessment
from assess.results.views import ANSWERED, View, view_of
from assess.web.api.pagination import PAGED, PageDep, page_from
from assess.web.api.studies import NOT_FOR_STUDIES, TOO_FEW
from assess.web.deps import (
    MANAGED,
    NOT_FOUND,
    AssessmentDep,
    ManagedAssessmentDep,
    SessionDep,
    UserDep,
    declared,
    runs,
)
from assess.web.schemas.results import ScoreOutput

router = APIRouter(prefix="/api/v1")


def viewer_figures(
    session: SessionDep,
    request: Request,
    user: User,
    assessment: Assessment,
    view: View = ANSWERED,
) -> Figures:
    """The figures a user sees of an assessment: live when they run its organisation
    (they may see single respondents anyway), else its latest release; as answered or
    after the workshop."""
    live = runs(session, user, assessment.organisation_id)
    k = request.app.state.settings.benchmark_k
    return figures_of(session, assessment, live=live, benchmark_k=k, view=view)


@router.get(
    "/assessments/{assessment_id}/results",
    tags=["results"],
    responses=declared(NOT_FOUND, TOO_FEW),
    response_model=ScoreOutput,
    response_model_exclude_unset=True,
)
def results(
    assessment: AssessmentDep,
    session: SessionDep,
    user: UserDep,
    request: Request,
    group_by: Annotated[list[str] | None, Query(description="Profile question(s).")] = None,
    filter: Annotated[list[str], Query(description="question:value, e.g. department:sales")] = [],  # noqa: B006
    explain: Annotated[
        bool,
        Query(
            description="Add `explain`: per level its items, weights, the answers' "
            "distribution and the arithmetic behind each score."
        ),
    ] = False,
    view: Annotated[
        View,
        Query(
            description="answered (the default): the answers as given; workshop: each "
            "consensus answer recorded counts as every respondent's answer to its item."
        ),
    ] = ANSWERED,
) -> dict[str, Any]:
    """Scores of the submitted responses, as in the format document's score output, with
    every group that would describe or let anyone work out fewer than k respondents left
    out. The assessment's consultants and admins see every submitted response; everyone
    else (and everyone in a study) sees the latest release (`release`), which moves only
    once at least k more responses are in. `view` says whether the figures are as
    answered or after the consensus workshop (with the consensus answers they count)."""
    figures = viewer_figures(session, request, user, assessment, view)
    return {**scored(figures, group_by, filter, with_trace=explain), **view_of(view, figures)}


@router.get(
    "/assessments/{assessment_id}/results/respondents",
    tags=["results"],
    responses=declared(MANAGED, NOT_FOR_STUDIES, PAGED),
)
def respondent_results(
    assessment: ManagedAssessmentDep,
    session: SessionDep,
    request: Request,
    response: Response,
    page: PageDep,
) -> list[dict[str, Any]]:
    """Each respondent's scores (admins and the organisation's consultants)."""
    scores = respondents_scores(session, assessment)
    return [vars(s) for s in page_from(scores, request, response, page)]


@router.post(
    "/assessments/{assessment_id}/import",
    tags=["results"],
    status_code=201,
    responses=declared(
        MANAGED,
        NOT_FOR_STUDIES,
        {
            409: {
                "description": "The assessment is closed, a respondent label in the file is "
                "taken, or the file marks a lead while the assessment has one (named)."
            }
        },
    ),
)
def import_answers(
    assessment: ManagedAssessmentDep,
    session: SessionDep,
    source: Annotated[str, Body(media_type="text/csv", description="CSV or JSON answers.")],
) -> JSONResponse:
    """Add answers collected offline (CSV or JSON of the format document), all or none;
    the file's lead (its `lead` column) becomes the assessment's lead."""
    refuse_unless_assessment(assessment, "imports (labels of imported answers could name people)")
    if assessment.status == AssessmentStatus.closed:
        raise HTTPException(409, "This assessment is closed and keeps the answers it has.")
    questionnaire = questionnaire_of_assessment(session, assessment=assessment)
    try:
        responses = read_answers(source.encode(), questionnaire, file="import")
    except AnswersError as exc:
        raise HTTPException(422, {"problems": exc.problems}) from None
    count = import_responses(
        session,
        assessment=assessment,
        responses=responses,
        stored=[to_stored(r) for r in responses],
    )
    return JSONResponse({"imported": count}, status_code=201)
