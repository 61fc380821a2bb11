"""What a report job makes: a report's inputs gathered from the database and handed to
a rendering process (`assess.reporting.workers`), or a portfolio of reports. The job
itself (claiming, retries, keeping the file) is `assess.jobs.tasks.render_report`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date

from sqlmodel import Session

from assess.config import get_settings
from assess.domain.questionnaire import Questionnaire, localized
from assess.domain.scoring import score_assessment
from assess.persistence.models.accounts import Role, User
from assess.persistence.models.assessments import Assessment
from assess.persistence.models.jobs import JobKind, ReportJob
from assess.persistence.models.organisations import Organisation
from assess.persistence.models.questionnaires import QuestionnaireVersion
from assess.persistence.repository.accounts import role_in
from assess.persistence.repository.assessments import counts_of
from assess.persistence.repository.peer_groups import comparison_of_organisation
from assess.persistence.repository.questionnaires import questionnaire_of
from assess.persistence.repository.reports import earlier_waves, portfolio_of
from assess.reporting import workers
from assess.reporting.branding import Branding, make_branding
from assess.reporting.i18n import translator
from assess.reporting.inputs import Inputs, Meta, ReportError
from assess.reporting.overview import ClientRow, NotShown, Overview, Table
from assess.reporting.portfolio import Entry, portfolio_zip
from assess.results.service import Figures, figures_for, k_of


def render(processes: workers.Processes, inputs: Inputs) -> tuple[bytes, str]:
    """A report's PDF and file name, made in a rendering process."""
    return workers.submit(processes, workers.render_pdf, inputs).result()


def make_file(
    session: Session, job: ReportJob, processes: workers.Processes
) -> tuple[bytes, str, str]:
    """A job's file, its media type and name; ReportError or BrandingError if the request
    cannot be met."""
    branding = make_branding(job.logo, job.accent)
    if job.kind == JobKind.portfolio:
        user = session.get(User, job.user_id)
        assert user is not None  # jobs go with their user
        # The clients chosen that the user still runs: the job may run long after.
        chosen = None
        if job.organisations is not None:
            chosen = {o for o in map(uuid.UUID, job.organisations) if _runs(session, user, o)}
        closed = [
            row for row in portfolio_of(session, user=user) if chosen is None or row[0].id in chosen
        ]
        overview = overview_of(session, closed, chosen, job.language or "en", branding)
        first = workers.submit(processes, workers.render_overview, overview).result()
        entries = _portfolio_entries(session, closed, job.language, branding, processes)
        zipped = portfolio_zip(entries, job.language, overview=first)
        return zipped, "application/zip", "portfolio.zip"
    assessment = session.get(Assessment, job.assessment_id)
    if assessment is None:
        raise ReportError("the assessment of this report no longer exists")
    pdf, filename = render(processes, inputs_of(session, assessment, job.language, branding))
    return pdf, "application/pdf", filename


def _runs(session: Session, user: User, organisation_id: uuid.UUID) -> bool:
    """Whether the user runs the organisation now: its consultant, or an admin."""
    role = role_in(session, user=user, organisation_id=organisation_id)
    return user.is_admin or role == Role.consultant


def _portfolio_entries(
    session: Session,
    closed: list[tuple[Organisation, Assessment, QuestionnaireVersion]],
    language: str,
    branding: Branding,
    processes: workers.Processes,
) -> Iterator[Entry]:
    """One entry per closed assessment of the portfolio, rendered one after another so
    that only one PDF is held at a time."""
    for organisation, assessment, version in closed:
        languages = questionnaire_of(version).languages
        used = language if language in languages else languages[0]
        entry = Entry(organisation.name, assessment.name, assessment.wave, used)
        try:
            pdf, filename = render(processes, inputs_of(session, assessment, used, branding))
        except ReportError as exc:
            yield entry.skipped(str(exc))
            continue
        yield entry.rendered(filename, pdf)


def overview_of(
    session: Session,
    closed: list[tuple[Organisation, Assessment, QuestionnaireVersion]],
    chosen: set[uuid.UUID] | None,
    language: str,
    branding: Branding,
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
            figures = released_figures(session, assessment, questionnaire)
        except ReportError:
            submitted = counts_of(session, assessment_id=assessment.id).submitted
            k = k_of(assessment, get_settings().benchmark_k)
            reason = translator(language).ngettext(
                "%(assessment)s: %(submitted)s response submitted; results are shown only "
                "from %(k)s responses on, so that no one can be recognised.",
                "%(assessment)s: %(submitted)s responses submitted; results are shown only "
                "from %(k)s responses on, so that no one can be recognised.",
                submitted,
            ) % {"assessment": assessment.name, "submitted": submitted, "k": k}
            not_shown.append(NotShown(organisation.name, reason))
            continue
        total = score_assessment(questionnaire, figures.responses).total
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
        client = session.get(Organisation, organisation_id)
        if client is not None and organisation_id not in latest:
            not_shown.append(NotShown(client.name, _("No closed assessment yet.")))
    return Overview(language, date.today(), branding, list(tables.values()), not_shown)


def released_figures(
    session: Session, assessment: Assessment, questionnaire: Questionnaire
) -> Figures:
    """The figures a report of the assessment shows, its latest release; ReportError
    while there is none to show."""
    k = k_of(assessment, get_settings().benchmark_k)
    figures = figures_for(session, assessment, questionnaire, live=False, k=k)
    if not figures.step.submitted:
        raise ReportError("there are no submitted responses to report on yet")
    if not figures.verdicts.whole:
        raise ReportError(
            f"reports show results from {figures.verdicts.k} submitted responses on, so "
            f"that no one can be recognised; {figures.step.submitted} are submitted so far"
        )
    return figures


def inputs_of(
    session: Session,
    assessment: Assessment,
    language: str | None,
    branding: Branding | None = None,
    *,
    figures: Figures | None = None,
) -> Inputs:
    """What the report of an assessment is made from (in the questionnaire's first
    language unless `language` is given), with its earlier wave if one is comparable,
    and its peer benchmark. A report leaves the hands of those who run the assessment,
    so it shows the latest release (see assess/results) unless `figures` are given."""
    version = session.get(QuestionnaireVersion, assessment.questionnaire_version_id)
    organisation = session.get(Organisation, assessment.organisation_id)
    assert version is not None
    assert organisation is not None
    questionnaire = questionnaire_of(version)
    if figures is None:
        figures = released_figures(session, assessment, questionnaire)
    responses = figures.responses
    counts = counts_of(session, assessment_id=assessment.id)
    previous, previous_label = _earlier_wave(session, assessment, questionnaire)
    benchmark = comparison_of_organisation(
        session,
        questionnaire=questionnaire,
        organisation=organisation,
        responses=responses,
        k=get_settings().benchmark_k,
    )
    meta = Meta(
        organisation.name,
        assessment.name,
        assessment.wave,
        day=assessment.closed_at.date() if assessment.closed_at else date.today(),
        # Answers imported from files have no invitation: no response rate then.
        invited=counts.invited if counts.invited >= counts.submitted else None,
        sha256=version.sha256,
        previous=previous,
        previous_label=previous_label,
        benchmark=benchmark,
    )
    return Inputs(
        figures.questionnaire,  # with the departments its figures merge
        responses,
        language or questionnaire.languages[0],
        meta,
        branding or make_branding(),
        figures.verdicts if figures.verdicts.whole else None,
        extremes=figures.live,
    )


def _earlier_wave(
    session: Session, assessment: Assessment, questionnaire: Questionnaire
) -> tuple[dict[str, float | None] | None, str | None]:
    """Scores per level of the newest earlier closed wave whose questionnaire has the same
    levels (dimension ids), and its label."""
    levels = {d.id for d in questionnaire.dimensions}
    for earlier, result in earlier_waves(session, assessment=assessment):
        if result.get("released") is False:
            continue  # too few responses to be shown as that wave's figures
        dimensions = result.get("dimensions") or {}
        if set(dimensions) == levels:
            scores = {d: dimensions[d].get("score") for d in levels}
            return scores, earlier.wave or earlier.name
    return None, None
