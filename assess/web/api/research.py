"""Research routes: anonymous exports and item statistics across the organisations that
opted in to benchmarks (researchers and admins), and one assessment's item statistics."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import StreamingResponse

from assess.domain.questionnaire import Questionnaire
from assess.persistence.models.accounts import User
from assess.persistence.models.questionnaires import QuestionnaireVersion
from assess.persistence.repository.questionnaires import get_questionnaire_version, questionnaire_of
from assess.research.export import (
    MEDIA_TYPES,
    ExportFormat,
    NothingToExport,
    ResearchExport,
    export_file_name,
)
from assess.results.service import item_figures
from assess.web.api.openapi import download, header
from assess.web.api.results import viewer_figures
from assess.web.api.studies import TOO_FEW
from assess.web.deps import NOT_FOUND, AssessmentDep, SessionDep, UserDep, declared
from assess.web.schemas.fields import VersionInPath, WrittenLanguage

router = APIRouter(prefix="/api/v1")
RESEARCH: dict[int | str, dict[str, Any]] = {
    403: {"description": "Neither a researcher nor an admin."},
    404: {"description": "No such questionnaire version, or nothing of it may be exported."},
}

EXPORTED = download(*dict.fromkeys(kind.split(";")[0] for kind in MEDIA_TYPES.values()))
EXPORTED[200]["headers"]["Link"] = header(
    'With parquet: the codebook.json to go with the file (its sidecar), rel="describedby".'
)
FORMAT_HELP = (
    "The file to make: the data as csv, xlsx (sheets data, labels and codebook), sav "
    "(SPSS, with variable and value labels and user-missing codes) or parquet (for DuckDB, "
    "Spark, arrow: numbers as float64, coded text as dictionary columns, the codebook JSON "
    "without item statistics in the file metadata under `assess.codebook`; codebook.json "
    "is its sidecar), or the codebook as codebook.md, codebook.json or codebook.csv (one "
    "row per variable and value, then the stages and the scoring rules)."
)
LANGUAGE_HELP = "The language of labels (with labels=true), the codebook and the SPSS labels."
LABELS_HELP = (
    "csv, xlsx and parquet: each option, yes/no and answer status as its label in "
    "`language` instead of its code. Numbers stay numbers; sav and the codebook always "
    "hold both."
)


def researcher(user: UserDep) -> User:
    """The current user, who must be a researcher or an admin; else 403."""
    if not (user.is_researcher or user.is_admin):
        raise HTTPException(403, "Only researchers and admins may read research data.")
    return user


ResearcherDep = Annotated[User, Depends(researcher)]


def published_version(
    session: SessionDep, questionnaire_id: str, version: int
) -> QuestionnaireVersion:
    """A published questionnaire version, or 404 naming it."""
    row = get_questionnaire_version(session, questionnaire_id=questionnaire_id, version=version)
    if row is None:
        raise HTTPException(
            404, f"No questionnaire '{questionnaire_id}' version {version} is published."
        )
    return row


def language_of(questionnaire: Questionnaire, language: str) -> str:
    """The language asked for, which the questionnaire must have; else 422."""
    if language not in questionnaire.languages:
        known = ", ".join(questionnaire.languages)
        raise HTTPException(422, f"language '{language}': use one of {known}.")
    return language


def _open(request: Request, row: QuestionnaireVersion) -> ResearchExport:
    try:
        return ResearchExport(request.app.state.engine, questionnaire_of(row), row.id)
    except NothingToExport as exc:
        raise HTTPException(404, str(exc)) from None


@router.get(
    "/research/questionnaires/{questionnaire_id}/versions/{version}/export",
    tags=["research"],
    responses=declared(RESEARCH, EXPORTED),
    response_class=StreamingResponse,
)
def export(
    questionnaire_id: str,
    version: VersionInPath,
    request: Request,
    session: SessionDep,
    _user: ResearcherDep,
    format: Annotated[ExportFormat, Query(description=FORMAT_HELP)] = ExportFormat.csv,
    language: Annotated[WrittenLanguage, Query(description=LANGUAGE_HELP)] = "en",
    labels: Annotated[bool, Query(description=LABELS_HELP)] = False,
) -> StreamingResponse:
    """One row per submitted response of closed assessments of opted-in organisations:
    pseudonyms (new in every export), attributes, profile answers, item answers with their
    status (answered, na, dk or skipped) and scores. Streamed from one snapshot of the
    database taken at its start."""
    row = published_version(session, questionnaire_id, version)
    language_of(questionnaire_of(row), language)
    opened = _open(request, row)
    name = export_file_name(questionnaire_id, version, format)
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    if format == ExportFormat.parquet:  # the sidecar: the codebook with item statistics
        sidecar = request.url.include_query_params(format=ExportFormat.codebook_json.value)
        headers["Link"] = f'<{sidecar.path}?{sidecar.query}>; rel="describedby"'
    return StreamingResponse(
        opened.blocks(format, language, labels=labels),
        media_type=MEDIA_TYPES[format],
        headers=headers,
    )


@router.get(
    "/research/questionnaires/{questionnaire_id}/versions/{version}/item-statistics",
    tags=["research"],
    responses=RESEARCH,
)
def research_item_statistics(
    questionnaire_id: str,
    version: VersionInPath,
    request: Request,
    session: SessionDep,
    _user: ResearcherDep,
) -> dict[str, Any]:
    """Item statistics (n, mean, sd, item-total r, Cronbach's alpha, alpha if deleted)
    over the data researchers may read of a questionnaire version."""
    opened = _open(request, published_version(session, questionnaire_id, version))
    try:
        return opened.statistics().to_dict()
    finally:
        opened.close()


@router.get(
    "/assessments/{assessment_id}/item-statistics",
    tags=["results"],
    responses=declared(NOT_FOUND, TOO_FEW),
)
def assessment_item_statistics(
    assessment: AssessmentDep, session: SessionDep, user: UserDep, request: Request
) -> dict[str, Any]:
    """Item statistics of the responses the user's results count: every submitted one
    for the assessment's consultants and admins, the latest release for everyone else."""
    return item_figures(viewer_figures(session, request, user, assessment))
