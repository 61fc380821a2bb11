"""An assessment's page: its status, who was invited and how far each got, their links
(copied, downloaded or renewed), adding respondents, opening and closing it."""

from __future__ import annotations

import csv
import io
import uuid

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData, UploadFile

from assess.domain.export_text import defused
from assess.domain.formatting import moment_text
from assess.domain.questionnaire import localized
from assess.persistence.models.assessments import Assessment, AssessmentKind, AssessmentStatus
from assess.persistence.models.common import aware
from assess.persistence.repository.accounts import organisation_for
from assess.persistence.repository.assessments import counts_of
from assess.persistence.repository.audit import audit_now
from assess.persistence.repository.common import Conflict
from assess.persistence.repository.invitations import (
    LeadTaken,
    Respondent,
    count_invitations,
    create_invitations,
    invitation_in,
    link_of,
    renew_link,
    respondents_of,
)
from assess.persistence.repository.outbox import mails_of
from assess.persistence.repository.questionnaires import (
    questionnaire_of,
    questionnaire_of_assessment,
)
from assess.persistence.repository.studies import set_public_link
from assess.web.actions import lifecycle
from assess.web.api.mail import next_reminder_round
from assess.web.console.access import (
    FormDep,
    Staff,
    StaffDep,
    assessment_of,
    see_other,
    text_field,
)
from assess.web.console.departments import department_warnings
from assess.web.console.respondent_list import ListProblem, department_options, read_respondents
from assess.web.deps import server_key, version_of
from assess.web.pages.visit import HEADERS

router = APIRouter(include_in_schema=False)
MAX_LIST_BYTES = 500_000

# Respondents listed on one page of an assessment (with their links and e-mails).
RESPONDENTS_PER_PAGE = 200


@router.get("/assessments/{assessment_id}")
def assessment_page(assessment_id: uuid.UUID, staff: StaffDep) -> HTMLResponse:
    """An assessment: status, respondents and their links, and what can be done next."""
    return assessment_view(staff, assessment_of(staff, assessment_id))


def assessment_view(
    staff: Staff,
    assessment: Assessment,
    status: int = 200,
    *,
    entered: str = "",
    problems: list[ListProblem] | None = None,
    public_link: str | None = None,
    setting_problems: list[ListProblem] | None = None,
    chosen_targets: dict[str, str] | None = None,
) -> HTMLResponse:
    """The assessment's page, with what was entered and its problems when a list, the
    targets or the choice of the lead failed."""
    version = version_of(staff.session, assessment)
    questionnaire = questionnaire_of(version)
    runs = staff.may_run(assessment.organisation_id)
    key, base = server_key(staff.request), str(staff.request.base_url)
    respondents, number, pages = _respondents_page(staff, assessment)
    links = {
        r.invitation.id: f"{base}r/{token}"
        for r in respondents
        if runs and (token := link_of(r.invitation, key=key))
    }
    organisation = organisation_for(
        staff.session, user=staff.user, organisation_id=assessment.organisation_id
    )
    departments = dict(department_options(questionnaire, staff.language))
    count = staff.request.query_params.get("n", "")
    skipped = staff.request.query_params.get("s", "")
    return staff.render(
        "console/assessment.html.j2",
        status,
        assessment=assessment,
        organisation=organisation,
        questionnaire=questionnaire,
        counts=counts_of(staff.session, assessment_id=assessment.id),
        respondents=respondents,
        page_number=number,
        pages=pages,
        links=links,
        runs=runs,
        study=assessment.kind == AssessmentKind.study,
        departments=list(departments.values()),
        department_label=lambda value: departments.get(value, value),
        localized=lambda text: localized(text, staff.language),
        request_count=int(count) if count.isdigit() else 0,
        skipped_count=int(skipped) if skipped.isdigit() else 0,
        mail_on=staff.request.app.state.mail_sender is not None,
        mails=mails_of(staff.session, assessment_id=assessment.id) if runs else {},
        next_round=next_reminder_round(staff.session, assessment),
        when=lambda moment: moment_text(aware(moment), staff.language),
        done=staff.request.query_params.get("done"),
        entered=entered,
        problems=problems or [],
        public_link=public_link,
        setting_problems=setting_problems or [],
        targets=(assessment.targets or {}) if chosen_targets is None else chosen_targets,
        warnings=department_warnings(staff, assessment, questionnaire) if runs else [],
    )


def _respondents_page(staff: Staff, assessment: Assessment) -> tuple[list[Respondent], int, int]:
    """The respondents on the page asked for (the last if past it), its number, the pages."""
    total = count_invitations(staff.session, assessment_id=assessment.id)
    pages = max(1, -(-total // RESPONDENTS_PER_PAGE))
    asked = staff.request.query_params.get("page", "")
    number = min(max(int(asked), 1), pages) if asked.isdecimal() else 1
    respondents = respondents_of(
        staff.session,
        assessment_id=assessment.id,
        offset=(number - 1) * RESPONDENTS_PER_PAGE,
        limit=RESPONDENTS_PER_PAGE,
    )
    return respondents, number, pages


@router.post("/assessments/{assessment_id}/respondents", response_model=None)
def add_respondents(assessment_id: uuid.UUID, staff: StaffDep, form: FormDep) -> Response:
    """Invite the respondents of a pasted or uploaded list, all or none."""
    assessment = assessment_of(staff, assessment_id, run=True)
    if assessment.kind == AssessmentKind.study:
        return assessment_view(staff, assessment, 409, problems=[ListProblem(0, "study")])
    if assessment.status == AssessmentStatus.closed:  # a page left open while it closed
        return assessment_view(staff, assessment, 409, problems=[ListProblem(0, "closed")])
    text, problem = _list_text(form)
    if problem:
        return assessment_view(staff, assessment, 422, problems=[problem])
    questionnaire = questionnaire_of_assessment(staff.session, assessment=assessment)
    entries, problems = read_respondents(text, questionnaire)
    if not problems:
        try:
            create_invitations(
                staff.session, assessment=assessment, entries=entries, key=server_key(staff.request)
            )
            audit_now(
                staff.session,
                staff.user,
                "respondents.added",
                ("assessment", assessment.id),
                {"count": len(entries), "via": "console"},
            )
        except Conflict as exc:
            problems = [ListProblem(0, "taken", str(exc))]
        except LeadTaken as exc:
            problems = [ListProblem(0, "lead_taken", exc.label)]
    if problems:
        return assessment_view(staff, assessment, 422, entered=text, problems=problems)
    return see_other(f"/assessments/{assessment.id}", done="invited", n=str(len(entries)))


def _list_text(form: FormData) -> tuple[str, ListProblem | None]:
    """The list, from the uploaded file if there is one, else from the text field."""
    upload = form.get("file")
    if not (isinstance(upload, UploadFile) and upload.filename):
        text = text_field(form, "respondents", MAX_LIST_BYTES)
        too_big = len(text) > MAX_LIST_BYTES
        return text, ListProblem(0, "too_big") if too_big else None
    raw = upload.file.read(MAX_LIST_BYTES + 1)
    if len(raw) > MAX_LIST_BYTES:
        return "", ListProblem(0, "too_big")
    for encoding in ("utf-8-sig", "cp1252"):  # spreadsheets on Windows save CSV in cp1252
        try:
            return raw.decode(encoding), None
        except UnicodeDecodeError:
            continue
    return "", ListProblem(0, "encoding")


@router.get("/assessments/{assessment_id}/links.csv")
def download_links(assessment_id: uuid.UUID, staff: StaffDep) -> Response:
    """Every respondent's link as CSV (label, department, status, link), for a mail merge."""
    assessment = assessment_of(staff, assessment_id, run=True)
    key, base = server_key(staff.request), str(staff.request.base_url)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["label", "department", "status", "link"])
    for r in respondents_of(staff.session, assessment_id=assessment.id):
        token = link_of(r.invitation, key=key)
        writer.writerow(
            [
                defused(r.invitation.label),
                defused(r.invitation.department or ""),
                r.status.value if r.status else "not_started",
                f"{base}r/{token}" if token else "",
            ]
        )
    name = f"links-{assessment.id}.csv"
    return Response(
        "\ufeff" + out.getvalue(),  # a BOM, so spreadsheets read it as UTF-8
        media_type="text/csv; charset=utf-8",
        headers={**HEADERS, "Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post(
    "/assessments/{assessment_id}/respondents/{invitation_id}/new-link", response_model=None
)
def new_link(
    assessment_id: uuid.UUID, invitation_id: uuid.UUID, staff: StaffDep, form: FormDep
) -> Response:
    """A new link for one respondent; the old one stops working, answers stay."""
    assessment = assessment_of(staff, assessment_id, run=True)
    invitation = invitation_in(
        staff.session, assessment_id=assessment.id, invitation_id=invitation_id
    )
    if invitation is None:
        return assessment_view(staff, assessment, 404, problems=[ListProblem(0, "no_respondent")])
    renew_link(staff.session, invitation=invitation, key=server_key(staff.request))
    return see_other(f"/assessments/{assessment.id}", done="new_link")


@router.post("/assessments/{assessment_id}/open", response_model=None)
def open_assessment(assessment_id: uuid.UUID, staff: StaffDep, form: FormDep) -> Response:
    """Start collecting answers."""
    assessment = assessment_of(staff, assessment_id, run=True)
    if assessment.status == AssessmentStatus.closed:
        return see_other(f"/assessments/{assessment.id}", done="already_closed")
    lifecycle.open_assessment(staff.session, assessment, staff.user)
    return see_other(f"/assessments/{assessment.id}", done="opened")


@router.post("/assessments/{assessment_id}/close", response_model=None)
def close_assessment(assessment_id: uuid.UUID, staff: StaffDep, form: FormDep) -> Response:
    """Stop collecting answers; the scores are kept (and enter benchmarks if agreed)."""
    assessment = assessment_of(staff, assessment_id, run=True)
    if text_field(form, "confirm") != "yes":
        return see_other(f"/assessments/{assessment.id}", done="confirm_close")
    k = staff.request.app.state.settings.benchmark_k
    lifecycle.close_assessment(staff.session, assessment, staff.user, k=k)
    return see_other(f"/assessments/{assessment.id}", done="closed")


@router.post("/assessments/{assessment_id}/public-link", response_model=None)
def make_public_link(assessment_id: uuid.UUID, staff: StaffDep, form: FormDep) -> Response:
    """A study's public link, shown on the page this once (only its hash is kept)."""
    assessment = assessment_of(staff, assessment_id, run=True)
    if assessment.kind != AssessmentKind.study:
        return assessment_view(staff, assessment, 409, problems=[ListProblem(0, "not_study")])
    token = set_public_link(staff.session, assessment=assessment)
    return assessment_view(staff, assessment, public_link=f"{staff.request.base_url}s/{token}")
