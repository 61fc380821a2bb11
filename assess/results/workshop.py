"""The agenda of a consensus workshop on an assessment, for those who run it: live
figures (they may see single respondents anyway), grouped as asked, else by department,
with what the disclosure rules allow (see assess/domain/workshop.py). Never in a study,
whose respondents each stand for their own organisation."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from assess.domain.questionnaire import Questionnaire
from assess.domain.workshop import AGENDA_LENGTH, Agenda, agenda_of, workshop_groupings
from assess.persistence.models.assessments import Assessment
from assess.results.assessments import figures_of
from assess.results.errors import Refused
from assess.results.studies import refuse_unless_assessment


@dataclass(frozen=True)
class Workshop:
    """An agenda with the questionnaire it speaks of and the smallest group it shows."""

    agenda: Agenda
    questionnaire: Questionnaire  # with the departments the figures merge
    groupings: list[str]  # the questions it may group by
    k: int


def workshop_of(
    session: Session,
    assessment: Assessment,
    *,
    benchmark_k: int,
    group_by: str | None = None,
    length: int = AGENDA_LENGTH,
) -> Workshop:
    """The agenda of an assessment's live figures; NotForStudies in a study, Refused for a
    grouping that is not a respondent-scope profile question with fixed answers."""
    refuse_unless_assessment(assessment, "consensus workshop")
    figures = figures_of(session, assessment, live=True, benchmark_k=benchmark_k)
    questionnaire = figures.questionnaire
    groupings = workshop_groupings(questionnaire)
    question = grouping(questionnaire, group_by, groupings)
    agenda = agenda_of(questionnaire, figures.responses, figures.verdicts, question, length=length)
    return Workshop(agenda, questionnaire, groupings, figures.verdicts.k)


def grouping(
    questionnaire: Questionnaire, group_by: str | None, groupings: list[str]
) -> str | None:
    """The question an agenda groups by: as asked, else `department` where the
    questionnaire asks it of each respondent (rule 12's default); Refused for any other."""
    if group_by is None:
        default = questionnaire.default_group_by()
        return default[0] if default else None
    if group_by not in groupings:
        known = ", ".join(groupings) or "none in this questionnaire"
        raise Refused(
            f"group_by '{group_by}': a workshop compares groups of respondents; choose a "
            f"profile question asked of each respondent with fixed answers ({known})"
        )
    return group_by
