"""What a report says, made once from a questionnaire and the scores it is given (see
assess.domain.report_scores): the figures, the stages, the roadmap of the
recommendations the organisation's figures chose (rule 12; exactly those, no other
list), importance against performance, the departments, the trace of every score and
the charts. The template only lays it out."""

from __future__ import annotations

from dataclasses import dataclass, field

from assess.domain.certainty import Strength, strength
from assess.domain.questionnaire import Questionnaire, Stage, localized
from assess.domain.report_scores import ReportScores
from assess.domain.results import AssessmentResult
from assess.reporting import charts
from assess.reporting.branding import Branding
from assess.reporting.consensus import Agreed, agreed_answers
from assess.reporting.i18n import Translator
from assess.reporting.importance import ImportanceView, importance_view
from assess.reporting.inputs import Meta, ReportError
from assess.reporting.levels import Level, level_of
from assess.reporting.missing import why_no_comparison
from assess.reporting.peers import PeerSection, peer_section
from assess.reporting.roadmap import Horizon, Step, horizons_of, steps_of
from assess.reporting.workshop import AgendaSection, agenda_section

FIRST_STEPS = 3  # the roadmap's steps the executive summary names

__all__ = ["Meta", "Report", "ReportError", "build"]


@dataclass(frozen=True)
class Divergent:
    """One level's spread between groups, with each group's mean, and how sure it is:
    "clear", "possible" or None (not flagged; see domain/certainty.py)."""

    level: Level
    spread: float | None
    flagged: bool
    means: dict[str, float | None]
    strength: Strength | None = None


@dataclass(frozen=True)
class GroupView:
    """Divergence by one profile question (department, …)."""

    question: str
    groups: dict[str, int]  # group label -> respondents
    levels: list[Divergent]
    chart_svg: str
    hidden: list[str]  # labels of groups withheld for anonymity


@dataclass(frozen=True)
class Report:
    """Everything the template needs."""

    language: str
    questionnaire: Questionnaire
    meta: Meta
    branding: Branding
    result: AssessmentResult
    overall_stage: Stage | None
    levels: list[Level]
    strongest: Level | None
    weakest: Level | None
    top: list[Step]  # the roadmap's first steps
    roadmap: list[Horizon]  # now, next, later
    steps: list[Step]  # every chosen recommendation, in roadmap order
    importance: ImportanceView | None  # only where every level has an importance
    dont_know_asked: bool  # whether any item offers "can't judge"
    groups: list[GroupView]
    radar_svg: str
    bars_svg: str
    progress_svg: str | None
    peers: PeerSection | None  # only when a peer group may be shown
    respondents: int
    response_rate: float | None
    not_applicable: int
    extremes: bool = True  # whether the lowest and highest scores are shown
    agreed: list[Agreed] = field(default_factory=list)  # after the workshop: its answers
    missing_comparison: str | None = None  # why departments are not compared, if not
    agenda: AgendaSection | None = None  # a consensus workshop's, where there is one


def build(
    questionnaire: Questionnaire,
    scores: ReportScores,
    *,
    language: str,
    meta: Meta,
    branding: Branding | None = None,
    translator: Translator,
    extremes: bool = True,
) -> Report:
    """The report of `scores` in `language`; ReportError if it cannot be made."""
    _refuse_unless_reportable(questionnaire, scores, language)
    branding = branding or Branding()
    _ = translator.gettext
    result, explanation = scores.result, scores.explanation
    steps = steps_of(questionnaire, result, translator)
    levels = [
        level_of(
            questionnaire,
            dimension,
            trace,
            result,
            steps,
            meta,
            translator,
            branding,
        )
        for dimension, trace in zip(questionnaire.dimensions, explanation.dimensions, strict=True)
    ]
    scored = [level for level in levels if level.score is not None]
    names = [level.name for level in levels]
    return Report(
        language=language,
        questionnaire=questionnaire,
        meta=meta,
        branding=branding,
        result=result,
        overall_stage=questionnaire.stage_for_id(result.total.overall.stage),
        levels=levels,
        strongest=max(scored, key=lambda lv: lv.score or 0.0) if scored else None,
        weakest=min(scored, key=lambda lv: lv.score or 0.0) if scored else None,
        top=steps[:FIRST_STEPS],
        roadmap=horizons_of(steps, translator),
        steps=steps,
        importance=importance_view(questionnaire, result, translator, branding.accent),
        dont_know_asked=any(item.allow_dont_know for _d, item in questionnaire.items()),
        groups=_groups(questionnaire, result, levels, translator, branding.accent),
        radar_svg=charts.radar(
            names,
            {meta.organisation: [lv.score for lv in levels]},
            _("Scores per level"),
            accent=branding.accent,
        ),
        bars_svg=_bars(questionnaire, levels, language, translator, branding.accent),
        progress_svg=_progress(levels, meta, branding.accent),
        peers=peer_section(
            questionnaire,
            meta.benchmark,
            language=language,
            organisation=meta.organisation,
            translator=translator,
            accent=branding.accent,
        ),
        respondents=scores.respondents,
        response_rate=scores.respondents / meta.invited if meta.invited else None,
        not_applicable=sum(i.not_applicable for t in explanation.dimensions for i in t.items),
        extremes=extremes,
        missing_comparison=why_no_comparison(questionnaire, scores, translator),
        agenda=agenda_section(questionnaire, scores.agenda, scores.k, language),
        agreed=agreed_answers(questionnaire, meta.consensus, language),
    )


def _refuse_unless_reportable(
    questionnaire: Questionnaire, scores: ReportScores, language: str
) -> None:
    """ReportError unless the questionnaire is in `language` and someone has submitted."""
    if language not in questionnaire.languages:
        raise ReportError(
            f"the questionnaire is in {', '.join(questionnaire.languages)}, not '{language}'"
        )
    if not scores.respondents:
        raise ReportError("there are no submitted responses to report on yet")


def _bars(
    questionnaire: Questionnaire,
    levels: list[Level],
    language: str,
    translator: Translator,
    accent: str,
) -> str:
    """Each level's score as a bar, with the stages behind them."""
    _ = translator.gettext
    return charts.level_bars(
        [level.name for level in levels],
        [lv.score for lv in levels],
        [charts.Band(localized(s.name, language), s.min_score) for s in questionnaire.stages],
        _("Scores per level with the stages behind them"),
        accent=accent,
        formatted=[translator.number(lv.score) for lv in levels],
        intervals=[lv.interval for lv in levels],
    )


def _groups(
    questionnaire: Questionnaire,
    result: AssessmentResult,
    levels: list[Level],
    translator: Translator,
    accent: str,
) -> list[GroupView]:
    _ = translator.gettext
    language = translator.language
    views = []
    for question, spreads in result.divergence.items():
        groups = result.groups.get(question, {})
        if len(groups) < 2:
            continue
        profile = questionnaire.profile_question(question)
        labels = {o.value: localized(o.label, language) for o in getattr(profile, "options", [])}
        names = {value: labels.get(value, value) for value in groups}  # as readers see them
        hidden = [labels.get(value, value) for value in result.hidden.get(question, [])]
        heading = localized(profile.text, language) if profile else question
        divergent = [
            Divergent(
                level,
                spreads[level.dimension.id].spread,
                spreads[level.dimension.id].flagged,
                {names[v]: g.dimensions[level.dimension.id].score for v, g in groups.items()},
                strength(spreads[level.dimension.id]),
            )
            for level in levels
        ]
        # Clear divergences first, then possible ones, then the rest; each by its spread.
        order = {"clear": 0, "possible": 1, None: 2}
        divergent.sort(key=lambda d: (order[d.strength], -(d.spread or 0.0)))
        chart = charts.divergence(
            [d.level.name for d in divergent],
            {name: [d.means[name] for d in divergent] for name in names.values()},
            [d.strength for d in divergent],
            heading,
            accent=accent,
            words={"clear": _("Clear divergence"), "possible": _("Possible divergence")},
        )
        views.append(
            GroupView(
                heading,
                {names[v]: g.respondents for v, g in groups.items()},
                divergent,
                chart,
                hidden,
            )
        )
    return views


def _progress(levels: list[Level], meta: Meta, accent: str) -> str | None:
    if not meta.previous or all(lv.change is None for lv in levels):
        return None
    return charts.progress(
        [lv.name for lv in levels],
        [(meta.previous or {}).get(lv.dimension.id) for lv in levels],
        [lv.score for lv in levels],
        (meta.previous_label or "", meta.wave or meta.assessment),
        meta.previous_label or "",
        accent=accent,
    )
