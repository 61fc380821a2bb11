"""The privacy pages: a respondent's personal data downloaded or erased (after a page that
says what goes), an organisation erased by an admin who types its name, and the audit log."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta
from urllib.parse import urlencode

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from assess.domain.formatting import moment_text
from assess.persistence.models.assessments import Assessment, Invitation
from assess.persistence.models.common import aware
from assess.persistence.repository import assessments
from assess.persistence.repository.audit import AuditFilter, audit_actions, audit_entries
from assess.persistence.repository.invitations import invitation_in
from assess.persistence.repository.privacy import Erase
from assess.web.actions import erasure
from assess.web.console import audit_view
from assess.web.console.access import (
    ConsoleProblem,
    FormDep,
    Staff,
    StaffDep,
    assessment_of,
    organisation_of,
    see_other,
    text_field,
)
from assess.web.console.dashboard import organisation_page_for
from assess.web.pages.visit import HEADERS

router = APIRouter(include_in_schema=False)
RESPONDENT = "/assessments/{assessment_id}/respondents/{invitation_id}"
PER_PAGE = 50  # entries on one page of the audit log


@router.get(f"{RESPONDENT}/personal-data.json")
def download_personal_data(
    assessment_id: uuid.UUID, invitation_id: uuid.UUID, staff: StaffDep
) -> Response:
    """Everything held about one respondent, as the API exports it."""
    assessment, invitation = _respondent(staff, assessment_id, invitation_id)
    document, name = erasure.export_personal_data(
        staff.session, staff.user, assessment, invitation, via="console"
    )
    return Response(
        document,
        media_type="application/json",
        headers={**HEADERS, "Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get(f"{RESPONDENT}/erase")
def erase_page(assessment_id: uuid.UUID, invitation_id: uuid.UUID, staff: StaffDep) -> HTMLResponse:
    """What erasing the respondent removes, and the choice how much; nothing happens yet."""
    assessment, invitation = _respondent(staff, assessment_id, invitation_id)
    return _erase_page(staff, assessment, invitation)


def _erase_page(
    staff: Staff, assessment: Assessment, invitation: Invitation, status: int = 200, **extra: str
) -> HTMLResponse:
    organisation = assessments.organisation_of(staff.session, assessment=assessment)
    return staff.render(
        "console/erase_respondent.html.j2",
        status,
        assessment=assessment,
        organisation=organisation,
        invitation=invitation,
        problem=extra.get("problem", ""),
        chosen=extra.get("chosen", Erase.personal_data.value),
    )


@router.post(f"{RESPONDENT}/erase", response_model=None)
def erase_respondent(
    assessment_id: uuid.UUID, invitation_id: uuid.UUID, staff: StaffDep, form: FormDep
) -> Response:
    """Erase the respondent as chosen, once the box that confirms it is ticked."""
    assessment, invitation = _respondent(staff, assessment_id, invitation_id)
    chosen = text_field(form, "erase")
    if chosen not in Erase.__members__:
        return _erase_page(staff, assessment, invitation, 422, problem="choose")
    if text_field(form, "confirm") != "yes":
        return _erase_page(staff, assessment, invitation, 422, problem="confirm", chosen=chosen)
    k = staff.request.app.state.settings.benchmark_k
    erasure.erase_respondent(
        staff.session, staff.user, assessment, invitation, erase=Erase(chosen), k=k
    )
    return see_other(f"/assessments/{assessment.id}", done="erased")


def _respondent(
    staff: Staff, assessment_id: uuid.UUID, invitation_id: uuid.UUID
) -> tuple[Assessment, Invitation]:
    """An invitation of an assessment the person runs; else a problem page."""
    assessment = assessment_of(staff, assessment_id, run=True)
    invitation = invitation_in(
        staff.session, assessment_id=assessment.id, invitation_id=invitation_id
    )
    if invitation is None:
        raise ConsoleProblem(404, "not_found")
    return assessment, invitation


@router.post("/organisations/{organisation_id}/erase", response_model=None)
def erase_organisation(organisation_id: uuid.UUID, staff: StaffDep, form: FormDep) -> Response:
    """Erase an organisation with everything of it (admins), once its name is typed."""
    organisation = organisation_of(staff, organisation_id)
    if not staff.user.is_admin:
        raise ConsoleProblem(403, "admins_only", about="erase_organisation")
    if text_field(form, "confirm_name") != organisation.name:
        return organisation_page_for(staff, organisation.id, 422, problems={"erase": "name"})
    k = staff.request.app.state.settings.benchmark_k
    erasure.erase_organisation(staff.session, staff.user, organisation, k=k)
    return see_other("/dashboard", done="organisation_erased")


@router.get("/audit-log")
def audit_log_page(staff: StaffDep) -> HTMLResponse:
    """The audit log, newest first, a page at a time, filtered by action, person and days
    (admins)."""
    if not staff.user.is_admin:
        raise ConsoleProblem(403, "admins_only", about="audit_log")
    query = staff.request.query_params
    where = AuditFilter(
        action=query.get("action", "")[:64] or None,
        actor=query.get("actor", "").strip()[:320] or None,
        since=_day(query.get("from", "")),
        until=_day(query.get("to", ""), next_day=True),
    )
    number = int(query["page"]) if query.get("page", "").isdecimal() else 1
    number = max(1, min(number, 100_000))
    entries, total = audit_entries(
        staff.session, where=where, limit=PER_PAGE, offset=(number - 1) * PER_PAGE
    )
    filters = {k: query.get(k, "") for k in ("action", "actor", "from", "to")}
    return staff.render(
        "console/audit_log.html.j2",
        nav="audit-log",
        entries=audit_view.readable(staff.session, entries),
        total=total,
        page_number=number,
        pages=max(1, -(-total // PER_PAGE)),
        filters=filters,
        actions=audit_actions(staff.session),
        when=lambda moment: moment_text(aware(moment), staff.language, seconds=True),
        page_query=lambda n: urlencode({**{k: v for k, v in filters.items() if v}, "page": n}),
    )


def _day(text: str, *, next_day: bool = False) -> datetime | None:
    """The start of a day given as year-month-day (with `next_day`, of the day after)."""
    try:
        day = datetime.strptime(text.strip(), "%Y-%m-%d").date()
    except ValueError:
        return None
    start = datetime.combine(day, time(0), tzinfo=UTC)
    return start + timedelta(days=1) if next_day else start
