"""What a report job makes: a report's inputs gathered from the database and handed to
a rendering process (`assess.reporting.workers`), or a portfolio of reports. The job
itself (claiming, retries, keeping the file) is `assess.jobs.tasks.render_report`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from sqlmodel import Session

from assess import repository
from assess.config import get_settings
from assess.domain.questionnaire import Questionnaire
from assess.models import Assessment, JobKind, Organisation, QuestionnaireVersion, ReportJob, User
from assess.reporting import workers
from assess.reporting.branding import Branding, make_branding
from assess.reporting.inputs import Inputs, Meta, ReportError
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
        entries = _portfolio_entries(session, user, job.language, branding, processes)
        return portfolio_zip(entries, job.language), "application/zip", "portfolio.zip"
    assessment = session.get(Assessment, job.assessment_id)
    if assessment is None:
        raise ReportError("the assessment of this report no longer exists")
    pdf, filename = render(processes, inputs_of(session, assessment, job.language, branding))
    return pdf, "application/pdf", filename


def _portfolio_entries(
    session: Session, user: User, language: str, branding: Branding, processes: workers.Processes
) -> Iterator[Entry]:
    """One entry per closed assessment the user serves, rendered one after another so
    that only one PDF is held at a time."""
    for organisation, assessment, version in repository.portfolio_of(session, user=user):
        languages = repository.questionnaire_of(version).languages
        used = language if language in languages else languages[0]
        entry = Entry(organisation.name, assessment.name, assessment.wave, used)
        try:
            pdf, filename = render(processes, inputs_of(session, assessment, used, branding))
        except ReportError as exc:
            yield entry.skipped(str(exc))
            continue
        yield entry.rendered(filename, pdf)


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
    questionnaire = repository.questionnaire_of(version)
    if figures is None:
        figures = released_figures(session, assessment, questionnaire)
    responses = figures.responses
    counts = repository.counts_of(session, assessment_id=assessment.id)
    previous, previous_label = _earlier_wave(session, assessment, questionnaire)
    benchmark = repository.comparison_of_organisation(
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
    for earlier, result in repository.earlier_waves(session, assessment=assessment):
        if result.get("released") is False:
            continue  # too few responses to be shown as that wave's figures
        dimensions = result.get("dimensions") or {}
        if set(dimensions) == levels:
            scores = {d: dimensions[d].get("score") for d in levels}
            return scores, earlier.wave or earlier.name
    return None, None
