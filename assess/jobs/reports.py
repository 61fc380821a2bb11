"""What a report job makes: a report's inputs gathered through the results service
(`assess.results.reports`) and handed to a rendering process (`assess.reporting.workers`),
or a portfolio of reports. The job itself (claiming, retries, keeping the file) is
`assess.jobs.tasks.render_report`; the settings are those of the process that runs it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date

from sqlmodel import Session

from assess.config import Settings
from assess.domain.questionnaire import localized
from assess.persistence.models.accounts import Role, User
from assess.persistence.models.assessments import Assessment
from assess.persistence.models.jobs import JobKind, ReportJob
from assess.persistence.models.organisations import Organisation
from assess.persistence.models.questionnaires import QuestionnaireVersion
from assess.persistence.repository.accounts import role_in, user_by_id
from assess.persistence.repository.assessments import (
    assessment_by_id,
    counts_of,
    organisation_by_id,
)
from assess.persistence.repository.questionnaires import questionnaire_of
from assess.persistence.repository.reports import portfolio_of
from assess.reporting import workers
from assess.reporting.branding import Branding, make_branding
from assess.reporting.i18n import translator
from assess.reporting.inputs import Inputs, Meta, ReportError
from assess.reporting.overview import ClientRow, NotShown, Overview, Table
from assess.reporting.portfolio import Entry, portfolio_zip
from assess.results import errors
from assess.results.reports import ReportFacts, released_total, report_facts
from assess.results.service import Figures, k_of
from assess.results.views import ANSWERED, WORKSHOP, View


def make_file(session: Session, job: ReportJob, settings: Settings) -> tuple[bytes, str, str]:
    """A job's file, its media type and name; ReportError, NotShown or BrandingError if
    the request cannot be met."""
    branding = make_branding(job.logo, job.accent)
    if job.kind == JobKind.portfolio:
        user = user_by_id(session, user_id=job.user_id) if job.user_id else None
        assert user is not None  # jobs go with their user
        # The clients chosen that the user still runs: the job may run long after.
        chosen = None
        if job.organisations is not None:
            chosen = {o for o in map(uuid.UUID, job.organisations) if _runs(session, user, o)}
        closed = [
            row for row in portfolio_of(session, user=user) if chosen is None or row[0].id in chosen
        ]
        overview = overview_of(session, closed, chosen, job.language or "en", branding, settings)
        templates = settings.report_templates_dir
        processes = workers.Processes.of(settings)
        first = workers.submit(processes, workers.render_overview, overview, templates).result()
        entries = _portfolio_entries(session, closed, job.language, branding, settings)
        zipped = portfolio_zip(entries, job.language, overview=first)
        return zipped, "application/zip", "portfolio.zip"
    assessment = (
        assessment_by_id(session, assessment_id=job.assessment_id) if job.assessment_id else None
    )
    if assessment is None:
        raise ReportError("the assessment of this report no longer exists")
    view = WORKSHOP if job.view == WORKSHOP else ANSWERED
    inputs = inputs_of(session, assessment, job.language, branding, settings=settings, view=view)
    pdf, filename = render(inputs, settings)
    return pdf, "application/pdf", filename


def render(inputs: Inputs, settings: Settings) -> tuple[bytes, str]:
    """A report's PDF and file name, made in a rendering process."""
    processes = workers.Processes.of(settings)
    templates = settings.report_templates_dir
    return workers.submit(processes, workers.render_pdf, inputs, templates).result()


def inputs_of(
    session: Session,
    assessment: Assessment,
    language: str | None,
    branding: Branding | None = None,
    *,
    settings: Settings,
    figures: Figures | None = None,
    view: View = ANSWERED,
) -> Inputs:
    """What the report of an assessment is made from (in the questionnaire's first
    language unless `language` is given): its latest release unless `figures` are
    given, as answered or after the workshop; NotShown while there is none to show."""
    k = settings.benchmark_k
    facts = report_facts(session, assessment, benchmark_k=k, figures=figures, view=view)
    return inputs_from(facts, language, branding)


def inputs_from(facts: ReportFacts, language: str | None, branding: Branding | None) -> Inputs:
    """A report's inputs from what the results service says it shows."""
    meta = Meta(
        facts.organisation,
        facts.assessment,
        facts.wave,
        day=facts.day,
        invited=facts.invited,
        sha256=facts.sha256,
        previous=facts.previous,
        previous_label=facts.previous_label,
        benchmark=facts.benchmark,
        view=facts.view,
        consensus=facts.consensus,
    )
    return Inputs(
        facts.questionnaire,
        facts.scores,
        language or facts.languages[0],
        meta,
        branding or make_branding(),
        extremes=facts.extremes,
    )


def _runs(session: Session, user: User, organisation_id: uuid.UUID) -> bool:
    """Whether the user runs the organisation now: its consultant, or an admin."""
    role = role_in(session, user=user, organisation_id=organisation_id)
    return user.is_admin or role == Role.consultant


def _portfolio_entries(
    session: Session,
    closed: list[tuple[Organisation, Assessment, QuestionnaireVersion]],
    language: str,
    branding: Branding,
    settings: Settings,
) -> Iterator[Entry]:
    """One entry per closed assessment of the portfolio, rendered one after another so
    that only one PDF is held at a time."""
    for organisation, assessment, version in closed:
        languages = questionnaire_of(version).languages
        used = language if language in languages else languages[0]
        entry = Entry(organisation.name, assessment.name, assessment.wave, used)
        try:
            inputs = inputs_of(session, assessment, used, branding, settings=settings)
            pdf, filename = render(inputs, settings)
        except (ReportError, errors.NotShown) as exc:
            yield entry.skipped(str(exc))
            continue
        yield entry.rendered(filename, pdf)


def overview_of(
    session: Session,
    closed: list[tuple[Organisation, Assessment, QuestionnaireVersion]],
    chosen: set[uuid.UUID] | None,
    language: str,
    branding: Branding,
    settings: Settings,
) -> Overview:
    """The portfolio's overview: each client's latest closed assessment as released to
    the client, grouped by questionnaire; chosen clients without one, and those whose
    figures may not be shown yet, with the reason."""
    _ = translator(language).gettext
    latest: dict[uuid.UUID, tuple[Organisation, Assessment, QuestionnaireVersion]] = {}
    for row in closed:  # by closing time: the last one stays
        latest[row[0].id] = row
    tables: dict[uuid.UUID, Table] = {}
    not_shown: list[NotShown] = []
    for organisation, assessment, version in latest.values():
        questionnaire = questionnaire_of(version)
        try:
            total = released_total(
                session, assessment, questionnaire, benchmark_k=settings.benchmark_k
            )
        except errors.NotShown:
            submitted = counts_of(session, assessment_id=assessment.id).submitted
            k = k_of(assessment, settings.benchmark_k)
            reason = translator(language).ngettext(
                "%(assessment)s: %(submitted)s response submitted; results are shown only "
                "from %(k)s responses on, so that no one can be recognised.",
                "%(assessment)s: %(submitted)s responses submitted; results are shown only "
                "from %(k)s responses on, so that no one can be recognised.",
                submitted,
            ) % {"assessment": assessment.name, "submitted": submitted, "k": k}
            not_shown.append(NotShown(organisation.name, reason))
            continue
        stage = questionnaire.stage_for_id(total.overall.stage)
        table = tables.setdefault(
            version.id,
            Table(
                f"{localized(questionnaire.title, language)} ({_('version')} {version.version})",
                [(d.id, localized(d.name, language)) for d in questionnaire.dimensions],
            ),
        )
        table.rows.append(
            ClientRow(
                organisation.name,
                f"{assessment.name} · {assessment.wave}" if assessment.wave else assessment.name,
                total.respondents,
                total.overall.score,
                localized(stage.name, language) if stage else "–",
                {d: figures.score for d, figures in total.dimensions.items()},
            )
        )
    for organisation_id in sorted(chosen or set(), key=str):
        client = organisation_by_id(session, organisation_id=organisation_id)
        if client is not None and organisation_id not in latest:
            not_shown.append(NotShown(client.name, _("No closed assessment yet.")))
    return Overview(language, date.today(), branding, list(tables.values()), not_shown)
