"""The dashboard (every organisation a person serves, with its assessments and response
rates), an organisation's page, and making organisations and assessments."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from assess.domain.attributes import ATTRIBUTES
from assess.domain.catalogue import UnknownReference, parse_reference
from assess.domain.questionnaire import localized
from assess.persistence.models.assessments import AssessmentKind
from assess.persistence.models.questionnaires import QuestionnaireVersion
from assess.persistence.repository import accounts, assessments, organisation_attributes
from assess.persistence.repository.accounts import count_organisations_for, organisations_for
from assess.persistence.repository.assessments import assessments_of
from assess.persistence.repository.audit import audit, audit_now
from assess.persistence.repository.benchmarks import set_opt_in
from assess.persistence.repository.demo import demo_organisations, real_organisations
from assess.persistence.repository.membership_invitations import pending_invitations_for
from assess.persistence.repository.organisation_attributes import with_unmatched_attributes
from assess.persistence.repository.questionnaires import (
    get_questionnaire_version,
    published_questionnaires,
    questionnaire_of,
)
from assess.web.console.access import (
    FormDep,
    StaffDep,
    organisation_of,
    see_other,
    text_field,
)
from assess.web.console.attributes import attribute_labels, attribute_options, entered_attributes
from assess.web.schemas.assessments import AssessmentCreate
from assess.web.schemas.organisations import OrganisationCreate

router = APIRouter(include_in_schema=False)
PER_PAGE = 20  # organisations on one page of the dashboard


@router.get("/dashboard", response_model=None)
def dashboard(staff: StaffDep) -> Response:
    """Every organisation the person serves or belongs to, with its assessments; a
    researcher who serves none starts at the research page instead."""
    if (
        staff.user.is_researcher
        and not staff.user.is_admin
        and not staff.request.query_params.get("q")
        and not count_organisations_for(staff.session, user=staff.user, search="")
    ):
        return see_other("/research")
    return _dashboard(staff)


@router.post("/organisations", response_model=None)
def create_organisation(staff: StaffDep, form: FormDep) -> Response:
    """A new organisation, served by the person who made it."""
    fields = {name: text_field(form, name) for name in ("name", *ATTRIBUTES)}
    try:
        body = OrganisationCreate(**{k: v or None for k, v in fields.items()})
    except ValidationError as exc:
        return _dashboard(staff, 422, entered=fields, problems=field_problems(exc))
    organisation = accounts.create_organisation(
        staff.session, creator=staff.user, **body.model_dump()
    )
    audit_now(
        staff.session,
        staff.user,
        "organisation.created",
        ("organisation", organisation.id),
        {"via": "console"},
    )
    return see_other(f"/organisations/{organisation.id}", done="created")


def _dashboard(
    staff: StaffDep,
    status: int = 200,
    entered: dict[str, str] | None = None,
    problems: dict[str, str] | None = None,
) -> HTMLResponse:
    query = staff.request.query_params
    search = query.get("q", "").strip()[:200]
    total = count_organisations_for(staff.session, user=staff.user, search=search)
    pages = max(1, -(-total // PER_PAGE))
    number = min(int(query["page"]), pages) if query.get("page", "").isdecimal() else 1
    shown = organisations_for(
        staff.session,
        user=staff.user,
        search=search,
        offset=(max(number, 1) - 1) * PER_PAGE,
        limit=PER_PAGE,
    )
    organisations = [
        (o, assessments_of(staff.session, organisation_id=o.id), staff.may_run(o.id)) for o in shown
    ]
    # An admin's list leaves out demo organisations put beside real ones: say how many.
    beside_real = staff.user.is_admin and real_organisations(staff.session) > 0
    demo_left_out = demo_organisations(staff.session) if beside_real else 0
    return staff.render(
        "console/dashboard.html.j2",
        status,
        organisations=organisations,
        search=search,
        total=total,
        page_number=max(number, 1),
        pages=pages,
        done=staff.request.query_params.get("done"),
        entered=entered or {},
        problems=problems or {},
        invitations=len(pending_invitations_for(staff.session, user=staff.user)),
        demo_left_out=demo_left_out,
        attribute_options=attribute_options(staff.language),
        unmatched=with_unmatched_attributes(staff.session, user=staff.user),
    )


@router.get("/organisations/{organisation_id}")
def organisation_page(organisation_id: uuid.UUID, staff: StaffDep) -> HTMLResponse:
    """An organisation: its assessments, and a new one for those who run it."""
    return organisation_page_for(staff, organisation_id)


def organisation_page_for(
    staff: StaffDep,
    organisation_id: uuid.UUID,
    status: int = 200,
    entered: dict[str, str] | None = None,
    problems: dict[str, str] | None = None,
) -> HTMLResponse:
    """An organisation's page, with what was entered in a form and its problems."""
    organisation = organisation_of(staff, organisation_id)
    published = published_questionnaires(staff.session)
    # Every published version may be chosen (a new wave comparable with an earlier
    # one); the newest comes first and is chosen unless someone picks another.
    titles = {p.newest.id: questionnaire_of(p.newest).title for p in published}
    questionnaires = [
        (p.newest.questionnaire_id, version, localized(titles[p.newest.id], staff.language))
        for p in published
        for version in reversed(p.versions)
    ]
    newest = (
        f"{published[0].newest.questionnaire_id}@{published[0].newest.version}"
        if len(published) == 1
        else ""
    )
    return staff.render(
        "console/organisation.html.j2",
        status,
        organisation=organisation,
        assessments=assessments_of(staff.session, organisation_id=organisation.id),
        runs=staff.may_run(organisation.id),
        questionnaires=questionnaires,
        newest_questionnaire=newest,
        default_name=_default_name(organisation.name, questionnaires),
        done=staff.request.query_params.get("done"),
        entered=entered or {},
        problems=problems or {},
        benchmark_k=staff.request.app.state.settings.benchmark_k,
        attribute_options=attribute_options(staff.language),
        attributes=attribute_labels(organisation, staff.language),
    )


def _default_name(organisation: str, questionnaires: list[tuple[str, int, str]]) -> str:
    """A name for a new assessment that tells one client's from another's: the
    organisation, the questionnaire's title (when there is one to choose) and this year."""
    one = len({questionnaire_id for questionnaire_id, _, _ in questionnaires}) == 1
    title = f"{questionnaires[0][2]} " if one else ""
    return f"{organisation} – {title}{datetime.now(UTC).year}"[:200]


def _published(staff: StaffDep, reference: str) -> tuple[str, QuestionnaireVersion | None]:
    """The id a form's `id@version` (or `id`: its newest version) names, and that
    published version, if there is one."""
    try:
        questionnaire_id, number = parse_reference(reference)
    except UnknownReference:
        return reference.partition("@")[0], None
    found = get_questionnaire_version(
        staff.session, questionnaire_id=questionnaire_id, version=number
    )
    return questionnaire_id, found


@router.post("/organisations/{organisation_id}/assessments", response_model=None)
def create_assessment(organisation_id: uuid.UUID, staff: StaffDep, form: FormDep) -> Response:
    """A new draft assessment (or study) of the organisation."""
    organisation = organisation_of(staff, organisation_id, run=True)
    fields = {
        name: text_field(form, name)
        for name in ("questionnaire", "name", "wave", "closes_on", "kind", "show_own_scores")
    }
    problems: dict[str, str] = {}
    closes_at = None
    if fields["closes_on"]:
        try:
            day = datetime.strptime(fields["closes_on"], "%Y-%m-%d").date()
            closes_at = datetime.combine(day, time(23, 59, 59), tzinfo=UTC)
        except ValueError:
            problems["closes_on"] = "date"
    questionnaire_id, version = _published(staff, fields["questionnaire"])
    if version is None:
        problems["questionnaire"] = "choose"
    try:
        body = AssessmentCreate(
            questionnaire_id=questionnaire_id or "-",
            name=fields["name"],
            wave=fields["wave"] or None,
            kind=AssessmentKind.study if fields["kind"] == "study" else AssessmentKind.assessment,
        )
    except ValidationError as exc:
        problems = field_problems(exc) | problems
    if problems or version is None:
        return organisation_page_for(staff, organisation.id, 422, fields, problems)
    assessment = assessments.create_assessment(
        staff.session,
        organisation=organisation,
        version=version,
        name=body.name,
        wave=body.wave,
        closes_at=closes_at,
        kind=body.kind,
        show_own_scores=text_field(form, "show_own_scores") == "yes",
    )
    audit_now(
        staff.session,
        staff.user,
        "assessment.created",
        ("assessment", assessment.id),
        {"organisation_id": str(organisation.id), "kind": assessment.kind.value},
    )
    return see_other(f"/assessments/{assessment.id}", done="created")


@router.post("/organisations/{organisation_id}/attributes", response_model=None)
def set_attributes(organisation_id: uuid.UUID, staff: StaffDep, form: FormDep) -> Response:
    """Choose the organisation's industry, size band and country anew."""
    organisation = organisation_of(staff, organisation_id, run=True)
    fields = {a: text_field(form, a) for a in ATTRIBUTES}
    try:
        chosen = entered_attributes(fields)
    except ValidationError as exc:
        return organisation_page_for(staff, organisation.id, 422, fields, field_problems(exc))
    before = {a: getattr(organisation, a) for a in ATTRIBUTES}
    detail = {"before": before, "after": chosen.model_dump()}
    audit(
        staff.session,
        staff.user,
        "organisation.attributes_changed",
        ("organisation", organisation.id),
        detail,
    )
    organisation_attributes.set_attributes(
        staff.session,
        organisation=organisation,
        k=staff.request.app.state.settings.benchmark_k,
        **chosen.model_dump(),
    )
    return see_other(f"/organisations/{organisation.id}", done="attributes_changed")


@router.post("/organisations/{organisation_id}/benchmark", response_model=None)
def set_benchmark(organisation_id: uuid.UUID, staff: StaffDep, form: FormDep) -> Response:
    """Take part in peer benchmarks, or stop."""
    organisation = organisation_of(staff, organisation_id, run=True)
    opt_in = text_field(form, "opt_in") == "yes"
    action = "benchmark.opted_in" if opt_in else "benchmark.opted_out"
    audit(staff.session, staff.user, action, ("organisation", organisation.id))
    set_opt_in(
        staff.session,
        organisation=organisation,
        opt_in=opt_in,
        k=staff.request.app.state.settings.benchmark_k,
    )
    return see_other(
        f"/organisations/{organisation.id}", done="opted_in" if opt_in else "opted_out"
    )


def field_problems(exc: ValidationError) -> dict[str, str]:
    """What is wrong with each field, as a kind the templates put in words: empty,
    too_long or invalid."""
    problems: dict[str, str] = {}
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else ""
        kind = {"string_too_short": "empty", "string_too_long": "too_long"}.get(
            error["type"], "invalid"
        )
        problems.setdefault(field, kind)
    return problems
