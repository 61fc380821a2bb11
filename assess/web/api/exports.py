"""Research exports as jobs: ask for an export file (the same formats and rules as the
streamed export), follow its status, download it once it is made. The file is kept in
the database, so any web process serves it, streamed a chunk at a time."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, Field
from sqlalchemy import Engine
from sqlmodel import Session

from assess.persistence.models.jobs import ExportJob, JobStatus
from assess.persistence.repository.exports import create_export_job, export_file, export_job
from assess.persistence.repository.questionnaires import questionnaire_of
from assess.research.export import ExportFormat, NothingToExport, ResearchExport
from assess.web.api.research import (
    FORMAT_HELP,
    LABELS_HELP,
    LANGUAGE_HELP,
    RESEARCH,
    ResearcherDep,
    language_of,
    published_version,
)
from assess.web.deps import SessionDep, queued_or_503
from assess.web.schemas.fields import Moment, VersionInPath, WrittenLanguage

router = APIRouter(prefix="/api/v1/research", tags=["research"])
NOT_YOURS: dict[int | str, dict[str, Any]] = {
    403: RESEARCH[403],
    404: {"description": "No such export of yours."},
}


class ExportJobPublic(BaseModel):
    """A research export being made; `download_url` once it is done."""

    id: uuid.UUID
    status: JobStatus
    format: str
    language: str
    labels: bool = Field(
        description="Whether csv, xlsx and parquet cells hold labels instead of codes."
    )
    created_at: Moment
    started_at: Moment | None
    finished_at: Moment | None
    size: int | None = Field(description="Bytes of the file, once it is made.")
    error: str | None = Field(description="Why it failed, when it did.")
    status_url: str
    download_url: str | None


def _public(job: ExportJob) -> ExportJobPublic:
    status_url = f"/api/v1/research/exports/{job.id}"
    shown = set(ExportJobPublic.model_fields) - {"status_url", "download_url"}
    return ExportJobPublic(
        **{name: getattr(job, name) for name in shown},
        status_url=status_url,
        download_url=f"{status_url}/file" if job.status == JobStatus.done else None,
    )


@router.post(
    "/questionnaires/{questionnaire_id}/versions/{version}/exports",
    status_code=202,
    responses={**RESEARCH, 202: {"model": ExportJobPublic}},
    response_model=ExportJobPublic,
)
def request_export(
    questionnaire_id: str,
    version: VersionInPath,
    request: Request,
    session: SessionDep,
    user: ResearcherDep,
    format: Annotated[ExportFormat, Query(description=FORMAT_HELP)] = ExportFormat.csv,
    language: Annotated[WrittenLanguage, Query(description=LANGUAGE_HELP)] = "en",
    labels: Annotated[bool, Query(description=LABELS_HELP)] = False,
) -> Response:
    """Start making the file of `…/export` in the background; follow `status_url`, then
    fetch `download_url`. Its rows are those exportable when the job runs."""
    row = published_version(session, questionnaire_id, version)
    language_of(questionnaire_of(row), language)
    try:  # refused now rather than by the job: the same 404 as the streamed export
        ResearchExport(request.app.state.engine, questionnaire_of(row), row.id).close()
    except NothingToExport as exc:
        raise HTTPException(404, str(exc)) from None
    job = create_export_job(
        session,
        user=user,
        version_id=row.id,
        format=format.value,
        language=language,
        labels=labels,
    )
    queued_or_503(request, session, "export", job.id)
    public = _public(job)
    return Response(
        public.model_dump_json(),
        status_code=202,
        media_type="application/json",
        headers={"Location": public.status_url},
    )


def _job(session: Session, user: ResearcherDep, job_id: uuid.UUID) -> ExportJob:
    job = export_job(session, job_id=job_id, user_id=user.id)
    if job is None:
        raise HTTPException(404, "No such export of yours.")
    return job


@router.get("/exports/{job_id}", responses=NOT_YOURS)
def export_status(job_id: uuid.UUID, session: SessionDep, user: ResearcherDep) -> ExportJobPublic:
    """Where an export you asked for stands: queued, running, done (with `download_url`)
    or failed (with `error`)."""
    return _public(_job(session, user, job_id))


@router.get(
    "/exports/{job_id}/file",
    response_class=StreamingResponse,
    responses={
        **NOT_YOURS,
        409: {"description": "Not made yet (try again after Retry-After seconds), or it failed."},
    },
)
def export_download(
    job_id: uuid.UUID, request: Request, session: SessionDep, user: ResearcherDep
) -> StreamingResponse:
    """The export's file once it is done, streamed from the database."""
    job = _job(session, user, job_id)
    if job.status == JobStatus.failed:
        raise HTTPException(409, f"This could not be made: {job.error}.")
    if job.status != JobStatus.done:
        raise HTTPException(
            409, "Not made yet; try again in a few seconds.", headers={"Retry-After": "2"}
        )
    headers = {"Content-Disposition": f'attachment; filename="{job.filename}"'}
    if job.size is not None:
        headers["Content-Length"] = str(job.size)
    return StreamingResponse(
        _chunks(request.app.state.engine, job.id),
        media_type=job.media_type,
        headers=headers,
    )


def _chunks(engine: Engine, job_id: uuid.UUID) -> Iterator[bytes]:
    """The file's chunks, read on a session of their own that lasts as long as the
    download (the request's ends when the response starts)."""
    with Session(engine) as session:
        yield from export_file(session, job_id=job_id)
