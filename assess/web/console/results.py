"""An assessment's results page: the report's figures and charts (made by the report's own
code, in a rendering process), the groups withheld for anonymity by name and reason,
the recommendations, the peer benchmark, and the PDF reports asked for so far. A study's
results follow its k rule."""

from __future__ import annotations

import uuid
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from assess.domain.disclosure import Disclosure, few
from assess.domain.questionnaire import Questionnaire, localized
from assess.jobs import reports as report_jobs
from assess.persistence.models.assessments import AssessmentKind
from assess.persistence.repository.accounts import organisation_for
from assess.persistence.repository.questionnaires import questionnaire_of_assessment
from assess.persistence.repository.reports import report_jobs_of
from assess.reporting import workers
from assess.reporting.branding import make_branding
from assess.reporting.content import Report
from assess.reporting.i18n import template_helpers, translator
from assess.reporting.inputs import Inputs, Meta
from assess.results.assessments import figures_of
from assess.results.releases import members_see
from assess.results.reports import scores_of
from assess.results.service import Figures
from assess.results.studies import groups_of_study
from assess.results.views import ANSWERED, WORKSHOP, has_consensus
from assess.web.console.access import ConsoleProblem, Staff, StaffDep, assessment_of
from assess.web.console.roadmap import level_advice, roadmap_steps
from assess.web.pages.language import translations
from assess.web.pages.visit import HEADERS

router = APIRouter(include_in_schema=False)

# matplotlib's SVG styles its shapes in style attributes, which a policy of
# `style-src 'self'` would drop; every text in the charts and on the page is escaped.
CHART_POLICY = HEADERS["Content-Security-Policy"].replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
)


@dataclass(frozen=True)
class Withheld:
    """A group not shown, to keep respondents anonymous: whose answers, and why."""

    question: str
    label: str
    few: bool  # fewer than k respondents; else shown, it would let fewer be worked out


@dataclass(frozen=True)
class StudyGroup:
    """One group of a study by a profile question: its figures, or why it is withheld."""

    label: str
    figures: dict[str, Any] | None
    withheld: Withheld | None


@router.get("/assessments/{assessment_id}/results")
def results_page(assessment_id: uuid.UUID, staff: StaffDep) -> HTMLResponse:
    """The results: charts with their figures, groups, recommendations and peers. Those
    who run the assessment see every submitted response; members, and everyone in a
    study, see the latest release (see assess/results)."""
    assessment = assessment_of(staff, assessment_id)
    questionnaire = questionnaire_of_assessment(staff.session, assessment=assessment)
    language = staff.language if staff.language in questionnaire.languages else None
    language = language or questionnaire.languages[0]
    study = assessment.kind == AssessmentKind.study
    benchmark_k = staff.request.app.state.settings.benchmark_k
    live = staff.may_run(assessment.organisation_id)  # never in a study (see figures_of)
    two_views = has_consensus(staff.session, assessment)
    asked = staff.request.query_params.get("view")
    view = WORKSHOP if two_views and asked == WORKSHOP else ANSWERED
    figures = figures_of(staff.session, assessment, live=live, benchmark_k=benchmark_k, view=view)
    report: Report | None = None
    withheld: list[Withheld] = []
    study_groups: dict[str, list[StudyGroup]] = {}
    organisation = organisation_for(
        staff.session, user=staff.user, organisation_id=assessment.organisation_id
    )
    assert organisation is not None  # the assessment was found through it
    if study and figures.shown:
        meta = Meta(organisation.name, assessment.name, assessment.wave)
        scores = scores_of(figures)
        inputs = Inputs(questionnaire, scores, language, meta, make_branding())
        report = _content(staff, inputs)  # a study's figures: no peers, no earlier wave
        study_groups = _study_groups(figures, language)
    elif figures.shown:
        settings = staff.request.app.state.settings
        inputs = report_jobs.inputs_of(
            staff.session, assessment, language, settings=settings, figures=figures
        )
        report = _content(staff, inputs)
        withheld = _withheld(figures.questionnaire, figures.verdicts, report, language)
    helpers = _helpers(staff.language, language)
    words = translations(staff.language)
    num = helpers["num"]
    roadmap = roadmap_steps(questionnaire, report.result, language, words, num) if report else []
    advice = level_advice(questionnaire, report.result, language) if report else []
    response = staff.render(
        "console/results.html.j2",
        assessment=assessment,
        organisation=organisation,
        questionnaire=questionnaire,
        study=study,
        k=figures.verdicts.k,
        submitted=figures.step.submitted,
        step=figures.step,
        live=figures.live,
        members_see=members_see(staff.session, assessment.id) if figures.live else None,
        r=report,
        withheld=withheld,
        study_groups=study_groups,
        report_jobs=[] if study else report_jobs_of(staff.session, assessment_id=assessment.id),
        report_languages=[lang for lang in questionnaire.languages if lang in ("de", "en")],
        roadmap=roadmap,
        advice=advice,
        two_views=two_views,
        view=view,
        **helpers,
    )
    response.headers["Content-Security-Policy"] = CHART_POLICY
    return response


def _content(staff: Staff, inputs: Inputs) -> Report:
    """The report's content, made in a rendering process like the PDF: charts are CPU
    work, and matplotlib's settings are the process's, not a thread's."""
    processes = workers.Processes.of(staff.request.app.state.settings)
    try:
        return workers.submit(processes, workers.report_content, inputs).result()
    except BrokenProcessPool:
        raise ConsoleProblem(503, "busy") from None


def _withheld(
    questionnaire: Questionnaire, verdicts: Disclosure, report: Report, language: str
) -> list[Withheld]:
    """The groups the report left out, with the disclosure rule's reason for each (the
    same verdicts as the report's)."""
    return [
        Withheld(heading, labels.get(value, value), verdicts.reason(question, value) == few(k))
        for question, values in report.result.hidden.items()
        for heading, labels in [_question_words(questionnaire, question, language)]
        for k in [verdicts.k]
        for value in values
    ]


def _question_words(
    questionnaire: Questionnaire, question: str, language: str
) -> tuple[str, dict[str, str]]:
    """A profile question's text and its options' labels in `language`."""
    profile = questionnaire.profile_question(question)
    if profile is None:
        return question, {}
    labels = {o.value: localized(o.label, language) for o in getattr(profile, "options", [])}
    if profile.type == "boolean":
        words = translations(language)
        labels = {"yes": words.gettext("Yes"), "no": words.gettext("No")}
    return localized(profile.text, language), labels


def _study_groups(figures: Figures, language: str) -> dict[str, list[StudyGroup]]:
    """Per profile question with fixed answers, each group's figures or why not, by the
    same rule as the study's API results."""
    questionnaire = figures.questionnaire
    views: dict[str, list[StudyGroup]] = {}
    for question, groups in groups_of_study(figures).items():
        heading, labels = _question_words(questionnaire, question, language)
        views[heading] = []
        for value, group in groups.items():
            label = labels.get(value, value)
            if group.get("suppressed"):
                hidden = Withheld(heading, label, group["reason"] == few(figures.verdicts.k))
                views[heading].append(StudyGroup(label, None, hidden))
            else:
                views[heading].append(StudyGroup(label, group, None))
    return views


def _helpers(page_language: str, report_language: str) -> dict[str, Any]:
    """Numbers in the page's language, questionnaire texts in the report's."""
    helpers = template_helpers(translator(page_language), report_language)
    stage_name = helpers["stage_name"]
    return {**helpers, "stage_of": lambda q, stage_id: stage_name(q.stage_for_id(stage_id))}
