"""A researcher's home: the questionnaire versions whose responses researchers may read
(how many organisations and responses, as far as the disclosure rule lets them be told),
the peer groups of each pool that may be shown, and their export files: asked for,
followed while they are made, downloaded. The same services as the research API."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from sqlalchemy import Engine
from sqlmodel import Session

from assess.domain.benchmarking import ATTRIBUTES, GroupKind, score_ids
from assess.domain.catalogue import UnknownReference, parse_reference
from assess.domain.pooling import pool_key
from assess.domain.questionnaire import Questionnaire, localized
from assess.persistence.models.jobs import ExportJob, JobStatus
from assess.persistence.models.questionnaires import QuestionnaireVersion
from assess.persistence.repository import exports
from assess.persistence.repository import research as readable
from assess.persistence.repository.exports import create_export_job, export_job, export_jobs_of
from assess.persistence.repository.questionnaires import (
    get_questionnaire_version,
    published_questionnaires,
    questionnaire_of,
)
from assess.reporting.i18n import template_helpers, translator
from assess.research.export import ExportFormat, NothingToExport, ResearchExport
from assess.results.peers import group_scores, pool_groups
from assess.web.console.access import ConsoleProblem, FormDep, Staff, StaffDep, see_other
from assess.web.console.access import text_field as field
from assess.web.deps import queued
from assess.web.pages.language import LANGUAGES, translations
from assess.web.pages.visit import HEADERS

router = APIRouter(include_in_schema=False)
REFRESH_SECONDS = 3


@dataclass(frozen=True)
class PoolVersion:
    """A published questionnaire version and what researchers may read of it."""

    row: QuestionnaireVersion
    questionnaire: Questionnaire
    organisations: int
    responses: int


@dataclass(frozen=True)
class Benchmark:
    """The peer groups of one pool that may be shown, and how many are withheld."""

    title: str
    versions: list[int]
    levels: list[tuple[str, str]]  # (score id, name) of each level
    groups: list[tuple[str, int, dict[str, dict[str, Any]]]]  # label, organisations, scores
    withheld: int


def researcher_of(staff: Staff) -> Staff:
    """The person, who must be a researcher or an admin; else a problem page."""
    if not (staff.user.is_researcher or staff.user.is_admin):
        raise ConsoleProblem(403, "researchers_only")
    return staff


@router.get("/research")
def research_home(staff: StaffDep) -> HTMLResponse:
    """The pool's questionnaire versions, their benchmarks and the person's exports."""
    return _home(researcher_of(staff))


def _home(
    staff: Staff, status: int = 200, entered: dict[str, str] | None = None, problem: str = ""
) -> HTMLResponse:
    versions = _pool(staff)
    jobs = export_jobs_of(staff.session, user_id=staff.user.id)
    names = {
        v.row.id: f"{localized(v.questionnaire.title, staff.language)} {v.row.version}"
        for v in versions
    }
    references = {v.row.id: f"{v.row.questionnaire_id}@{v.row.version}" for v in versions}
    waiting = any(job.status in (JobStatus.queued, JobStatus.running) for job in jobs)
    return staff.render(
        "console/research.html.j2",
        status,
        nav="research",
        versions=versions,
        benchmarks=_benchmarks(staff, versions),
        jobs=[(job, names.get(job.questionnaire_version_id, "")) for job in jobs],
        sidecars=_sidecars(jobs, references),
        version_choices=[
            (f"{v.row.questionnaire_id}@{v.row.version}", names[v.row.id])
            for v in versions
            if v.responses
        ],
        format_choices=[(f.value, _format_name(staff, f.value)) for f in ExportFormat],
        k=staff.request.app.state.settings.benchmark_k,
        entered=entered or {},
        problem=problem,
        done=staff.request.query_params.get("done"),
        refresh=REFRESH_SECONDS if waiting else None,
        **template_helpers(translator(staff.language), staff.language),
    )


def _sidecars(jobs: list[ExportJob], references: dict[uuid.UUID, str]) -> dict[uuid.UUID, Any]:
    """Per Parquet file made, the codebook.json to go with it: the newest one made of
    the same version in the same language, or else the version (id@version) to ask for
    one; the file's metadata holds the codebook without the item statistics."""
    made = {
        (job.questionnaire_version_id, job.language): job
        for job in reversed(jobs)  # newest last, so it wins
        if job.format == ExportFormat.codebook_json and job.status == JobStatus.done
    }
    return {
        job.id: made.get((job.questionnaire_version_id, job.language))
        or references.get(job.questionnaire_version_id)
        for job in jobs
        if job.format == ExportFormat.parquet and job.status == JobStatus.done
    }


def _format_name(staff: Staff, value: str) -> str:
    _ = translations(staff.language).gettext
    names = {
        "csv": _("CSV: one row per response"),
        "xlsx": _("Excel workbook (XLSX)"),
        "sav": _("SPSS file (SAV)"),
        "parquet": _("Parquet, for DuckDB, Spark or R (arrow)"),
        "codebook.md": _("Codebook (Markdown)"),
        "codebook.json": _("Codebook (JSON)"),
    }
    return names.get(value, value)


def _pool(staff: Staff) -> list[PoolVersion]:
    """Every published version with the organisations and responses researchers may read."""
    connection = staff.session.connection()
    found: list[PoolVersion] = []
    for published in published_questionnaires(staff.session):
        for number in reversed(published.versions):
            row = get_questionnaire_version(
                staff.session, questionnaire_id=published.newest.questionnaire_id, version=number
            )
            assert row is not None  # listed just now
            organisations = readable.exportable_organisations(connection, version_id=row.id)
            responses = readable.exportable_count(connection, version_id=row.id)
            found.append(PoolVersion(row, questionnaire_of(row), organisations, responses))
    return found


def _benchmarks(staff: Staff, versions: list[PoolVersion]) -> list[Benchmark]:
    """Per pool (a questionnaire's versions that compute scores the same way), the
    groups shown."""
    k = staff.request.app.state.settings.benchmark_k
    pools: dict[str, list[PoolVersion]] = {}
    for version in versions:
        pools.setdefault(pool_key(version.questionnaire), []).append(version)
    found = []
    for members in pools.values():
        questionnaire = members[0].questionnaire
        ids = score_ids(d.id for d in questionnaire.dimensions)
        groups, withheld = pool_groups(staff.session, questionnaire, k)
        if not groups and not withheld:
            continue
        names = {d.id: localized(d.name, staff.language) for d in questionnaire.dimensions}
        found.append(
            Benchmark(
                title=localized(questionnaire.title, staff.language),
                versions=sorted(m.row.version for m in members),
                levels=[(i, names[i]) for i in ids if i in names],
                groups=[
                    (
                        _group_label(staff, questionnaire, g.group.kind, g.group.values),
                        g.verdict.organisations,
                        group_scores(g, ids),
                    )
                    for g in groups
                ],
                withheld=withheld,
            )
        )
    return found


def _group_label(
    staff: Staff, questionnaire: Questionnaire, kind: GroupKind, values: tuple[str, ...]
) -> str:
    """A peer group in words: the attributes' option labels where the profile has them."""
    _ = translations(staff.language).gettext
    if kind == GroupKind.all:
        return _("All organisations in the pool")
    attributes = {
        "industry": _("Industry"),
        "size": _("Number of employees"),
        "country": _("Country of headquarters"),
    }
    parts = []
    for attribute, value in zip(ATTRIBUTES[kind], values, strict=True):
        question = questionnaire.profile_question(attribute)
        options = {o.value: o.label for o in getattr(question, "options", None) or []}
        parts.append(
            f"{attributes[attribute]}: {localized(options.get(value), staff.language) or value}"
        )
    return " · ".join(parts)


@router.post("/research/exports", response_model=None)
def ask_for_export(staff: StaffDep, form: FormDep) -> Response:
    """Start making an export file; the home page follows it."""
    researcher_of(staff)
    entered = {name: field(form, name) for name in ("version", "format", "language")}
    try:
        questionnaire_id, number = parse_reference(entered["version"])
    except UnknownReference:
        questionnaire_id, number = "", None
    row = (
        get_questionnaire_version(staff.session, questionnaire_id=questionnaire_id, version=number)
        if number is not None  # an export is of one version, named as id@version
        else None
    )
    if row is None:
        return _home(staff, 422, entered, "version")
    questionnaire = questionnaire_of(row)
    if entered["format"] not in {f.value for f in ExportFormat}:
        return _home(staff, 422, entered, "format")
    if entered["language"] not in questionnaire.languages or entered["language"] not in LANGUAGES:
        return _home(staff, 422, entered, "language")
    try:  # refused now rather than by the job, as the API does
        ResearchExport(staff.request.app.state.engine, questionnaire, row.id).close()
    except NothingToExport:
        return _home(staff, 422, entered, "nothing")
    job = create_export_job(
        staff.session,
        user=staff.user,
        version_id=row.id,
        format=entered["format"],
        language=entered["language"],
    )
    queued(staff.request, staff.session, "export", job.id)  # if not, the list says so
    return see_other("/research", done="export")


@router.get("/research/exports/{job_id}/file", response_model=None)
def export_file(job_id: uuid.UUID, staff: StaffDep) -> Response:
    """The export's file once it is made; before that, the home page."""
    researcher_of(staff)
    job = export_job(staff.session, job_id=job_id, user_id=staff.user.id)
    if job is None:
        raise ConsoleProblem(404, "not_found")
    if job.status != JobStatus.done:
        return see_other("/research")
    return _download(staff.request.app.state.engine, job)


def _download(engine: Engine, job: ExportJob) -> StreamingResponse:
    headers = {**HEADERS, "Content-Disposition": f'attachment; filename="{job.filename}"'}
    if job.size is not None:
        headers["Content-Length"] = str(job.size)
    return StreamingResponse(_chunks(engine, job.id), media_type=job.media_type, headers=headers)


def _chunks(engine: Engine, job_id: uuid.UUID) -> Iterator[bytes]:
    """The file's chunks, read on a session of their own that lasts as long as the
    download (the request's ends when the response starts)."""
    with Session(engine) as session:
        yield from exports.export_file(session, job_id=job_id)
