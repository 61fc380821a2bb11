"""The PDF report from the pages: asked for in German or English, made by the report jobs
in the background, followed on a page that refreshes itself until the file is there,
then downloaded (by those who may see the results, as the page is)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from assess.persistence.models.assessments import Assessment, AssessmentKind
from assess.persistence.models.jobs import JobKind, JobStatus, ReportJob
from assess.persistence.repository.accounts import organisation_for
from assess.persistence.repository.assessments import counts_of
from assess.persistence.repository.audit import audit_now
from assess.persistence.repository.questionnaires import (
    questionnaire_of_assessment,
)
from assess.persistence.repository.reports import create_report_job, report_job
from assess.reporting.i18n import LANGUAGES
from assess.web.console.access import (
    ConsoleProblem,
    FormDep,
    Staff,
    StaffDep,
    assessment_of,
    see_other,
    text_field,
)
from assess.web.console.branding import saved_branding
from assess.web.deps import queued
from assess.web.pages.visit import HEADERS

router = APIRouter(include_in_schema=False)
REFRESH_SECONDS = 3


def _reports_of(staff: Staff, assessment_id: uuid.UUID) -> Assessment:
    """An assessment whose results the person sees; studies have no report."""
    assessment = assessment_of(staff, assessment_id)
    if assessment.kind == AssessmentKind.study:
        raise ConsoleProblem(404, "not_found")
    return assessment


@router.post("/assessments/{assessment_id}/reports", response_model=None)
def ask_for_report(assessment_id: uuid.UUID, staff: StaffDep, form: FormDep) -> Response:
    """Start making the PDF in the chosen language; then follow it on its own page."""
    assessment = _reports_of(staff, assessment_id)
    languages = questionnaire_of_assessment(staff.session, assessment=assessment).languages
    language = text_field(form, "language")
    results = f"/assessments/{assessment.id}/results"
    if language not in languages or language not in LANGUAGES:
        return see_other(results, problem="language")
    if counts_of(staff.session, assessment_id=assessment.id).submitted == 0:
        return see_other(results, problem="no_responses")
    branding = saved_branding(staff)  # the consultant's, if they saved one
    job = create_report_job(
        staff.session,
        user=staff.user,
        kind=JobKind.report,
        assessment_id=assessment.id,
        language=language,
        accent=branding.accent if branding else None,
        logo=branding.logo if branding else None,
        view="workshop" if text_field(form, "view") == "workshop" else "answered",
    )
    audit_now(
        staff.session,
        staff.user,
        "report.requested",
        ("assessment", assessment.id),
        {"report_id": str(job.id), "language": language},
    )
    queued(staff.request, staff.session, "report", job.id)  # if not, its page says so
    return see_other(f"/assessments/{assessment.id}/reports/{job.id}")


def _job(staff: Staff, assessment: Assessment, job_id: uuid.UUID, *, with_file: bool) -> ReportJob:
    job = report_job(staff.session, job_id=job_id, assessment_id=assessment.id, with_file=with_file)
    if job is None:
        raise ConsoleProblem(404, "not_found")
    return job


@router.get("/assessments/{assessment_id}/reports/{job_id}")
def report_page(assessment_id: uuid.UUID, job_id: uuid.UUID, staff: StaffDep) -> HTMLResponse:
    """Where a report stands: being prepared (the page looks again by itself), ready to
    download, or why it could not be made."""
    assessment = _reports_of(staff, assessment_id)
    job = _job(staff, assessment, job_id, with_file=False)
    waiting = job.status in (JobStatus.queued, JobStatus.running)
    return staff.render(
        "console/report.html.j2",
        assessment=assessment,
        organisation=organisation_for(
            staff.session, user=staff.user, organisation_id=assessment.organisation_id
        ),
        job=job,
        waiting=waiting,
        refresh=REFRESH_SECONDS if waiting else None,
    )


@router.get("/assessments/{assessment_id}/reports/{job_id}/pdf", response_model=None)
def report_file(assessment_id: uuid.UUID, job_id: uuid.UUID, staff: StaffDep) -> Response:
    """The PDF once it is made; before that, its page."""
    assessment = _reports_of(staff, assessment_id)
    job = _job(staff, assessment, job_id, with_file=True)
    if job.status != JobStatus.done or job.content is None:
        return see_other(f"/assessments/{assessment.id}/reports/{job.id}")
    return Response(
        job.content,
        media_type=job.media_type or "application/pdf",
        headers={
            **HEADERS,
            "Content-Disposition": f'attachment; filename="{job.filename or "report.pdf"}"',
        },
    )
