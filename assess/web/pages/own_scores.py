"""A respondent's own scores, for the thank-you page of assessments that show them:
the same rules as the organisation's result, applied to one response."""

from __future__ import annotations

from dataclasses import dataclass

from assess.domain.answers import from_stored
from assess.domain.questionnaire import localized
from assess.domain.scoring import score_assessment, stage_id
from assess.formatting import score_text
from assess.web.pages.visit import Visit


@dataclass(frozen=True)
class OwnScore:
    """One line of the preview: a level (or the overall score), its score and stage."""

    name: str
    score: str
    stage: str


def own_scores(visit: Visit) -> list[OwnScore]:
    """The submitted response's score per level and overall, in the visit's language."""
    questionnaire = visit.asked.questionnaire
    response = from_stored("you", visit.answers, visit.profile)
    result = score_assessment(questionnaire, [response])
    language = visit.language

    def line(name: str, score: float | None) -> OwnScore:
        stage = questionnaire.stage_for_id(stage_id(questionnaire, score))
        return OwnScore(
            name,
            score_text(score, language),
            localized(stage.name, language) if stage else "",
        )

    lines = [
        line(localized(d.name, language), result.total.dimensions[d.id].score)
        for d in questionnaire.dimensions
    ]
    lines.append(line(visit.gettext("Overall"), result.total.overall.score))
    return lines
