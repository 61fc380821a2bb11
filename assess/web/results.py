"""Results: the scores of an assessment's submitted responses (with breakdowns that never
describe too few respondents), single respondents' scores, and answers imported offline."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Query, Request, Response
from fastapi.responses import JSONResponse

from assess import repository
from assess.domain.answers import AnswersError, chunks_of, read_answers, to_stored
from assess.domain.explain import explain
from assess.domain.scoring import (
    MIN_GROUP_RESPONDENTS,
    UnknownQuestion,
    group_key,
    profile_disclosure,
    respondent_scores,
    score_assessment,
    table_from_chunks,
)
from assess.models import Assessment, AssessmentKind, AssessmentStatus
from assess.repository import questionnaire_of
from assess.web.deps import (
    MANAGED,
    NOT_FOUND,
    AssessmentDep,
    ManagedAssessmentDep,
    SessionDep,
    declared,
    version_of,
)
from assess.web.pagination import PAGED, PageDep, page_from
from assess.web.studies import NOT_FOR_STUDIES, TOO_FEW, refuse_unless_assessment, study_results

router = APIRouter(prefix="/api/v1")


def score_of(
    session: SessionDep,
    assessment: Assessment,
    group_by: list[str] | None,
    filters: list[str],
    with_trace: bool = False,
) -> dict[str, Any]:
    """The score output of an assessment's submitted responses, filtered and grouped,
    withholding what would describe fewer than MIN_GROUP_RESPONDENTS respondents."""
    questionnaire = questionnaire_of(version_of(session, assessment))
    responses = repository.submitted_responses(session, assessment_id=assessment.id)
    verdicts = profile_disclosure(questionnaire, responses, MIN_GROUP_RESPONDENTS)
    grouped_as_verdicts_say = None if filters else verdicts
    for rule in filters:
        question, _, value = rule.partition(":")
        if questionnaire.profile_question(question) is None or not value:
            raise HTTPException(422, f"filter '{rule}': use question:value, e.g. department:sales")
        matched = [r for r in responses if group_key(r.profile.get(question)) == value]
        reason = verdicts.reason(question, value) if matched else None
        others = [*(group_by or []), *(f.partition(":")[0] for f in filters)]
        refused = [verdicts.crossing_refused(question, q) for q in others if q != question]
        if reason or any(refused):
            why = reason or next(r for r in refused if r)
            raise HTTPException(
                422,
                f"filter '{rule}' is not shown ({why}): its figures, set against the whole "
                "organisation's, would describe or let anyone work out fewer than "
                f"{MIN_GROUP_RESPONDENTS} respondents; widen the filter or leave it out",
            )
        responses = matched
    try:
        scored = score_assessment(
            questionnaire,
            responses,
            group_by or None,
            min_group=MIN_GROUP_RESPONDENTS,
            verdicts=grouped_as_verdicts_say,
        ).to_dict()
    except UnknownQuestion as exc:
        raise HTTPException(422, str(exc)) from None
    if with_trace:
        scored["explain"] = _trace(questionnaire, responses)
    return scored


def _trace(questionnaire: Any, responses: list[Any]) -> dict[str, Any]:
    table = table_from_chunks(questionnaire, chunks_of(responses, questionnaire), keep_items=True)
    return explain(questionnaire, responses, respondent_scores(questionnaire, table)).to_dict()


@router.get(
    "/assessments/{assessment_id}/results",
    tags=["results"],
    responses=declared(NOT_FOUND, TOO_FEW),
)
def results(
    assessment: AssessmentDep,
    session: SessionDep,
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
) -> dict[str, Any]:
    """Scores of the submitted responses, as in the format document's score output. In a
    study, by any profile question, with every group of fewer than k respondents (and any
    that would let fewer than k be worked out) suppressed."""
    if assessment.kind == AssessmentKind.study:
        return _study_score(session, request, assessment, group_by or [], filter, explain)
    return score_of(session, assessment, group_by, filter, with_trace=explain)


def _study_score(
    session: SessionDep,
    request: Request,
    assessment: Assessment,
    group_by: list[str],
    filters: list[str],
    with_trace: bool,
) -> dict[str, Any]:
    questionnaire = questionnaire_of(version_of(session, assessment))
    responses = repository.submitted_responses(session, assessment_id=assessment.id)
    k = request.app.state.settings.benchmark_k
    scored, described = study_results(questionnaire, responses, group_by, filters, k)
    if with_trace:
        scored["explain"] = _trace(questionnaire, described)
    return scored


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
    refuse_unless_assessment(assessment, "single respondents' scores")
    questionnaire = questionnaire_of(version_of(session, assessment))
    responses = repository.submitted_responses(session, assessment_id=assessment.id)
    table = table_from_chunks(questionnaire, chunks_of(responses, questionnaire), keep_items=True)
    scores = respondent_scores(questionnaire, table)
    return [vars(s) for s in page_from(scores, request, response, page)]


@router.post(
    "/assessments/{assessment_id}/import",
    tags=["results"],
    status_code=201,
    responses=declared(
        MANAGED, NOT_FOR_STUDIES, {409: {"description": "The assessment is closed."}}
    ),
)
def import_answers(
    assessment: ManagedAssessmentDep,
    session: SessionDep,
    source: Annotated[str, Body(media_type="text/csv", description="CSV or JSON answers.")],
) -> JSONResponse:
    """Add answers collected offline (CSV or JSON of the format document), all or none."""
    refuse_unless_assessment(assessment, "imports (labels of imported answers could name people)")
    if assessment.status == AssessmentStatus.closed:
        raise HTTPException(409, "This assessment is closed and keeps the answers it has.")
    questionnaire = questionnaire_of(version_of(session, assessment))
    try:
        responses = read_answers(source.encode(), questionnaire, file="import")
    except AnswersError as exc:
        raise HTTPException(422, {"problems": exc.problems}) from None
    count = repository.import_responses(
        session,
        assessment=assessment,
        responses=responses,
        stored=[to_stored(r) for r in responses],
    )
    return JSONResponse({"imported": count}, status_code=201)
