"""What an anonymous study has and has not: no invitations, e-mails, departments,
reports or single respondents' scores, only aggregates of at least k respondents."""

from __future__ import annotations

from typing import Any

from assess.persistence.models.assessments import Assessment, AssessmentKind
from assess.results.errors import NotForStudies
from assess.results.service import Figures, scored


def refuse_unless_assessment(assessment: Assessment, what: str) -> None:
    """NotForStudies for a study, where `what` does not exist (invitations, single
    respondents' scores...)."""
    if assessment.kind == AssessmentKind.study:
        raise NotForStudies(
            f"This is an anonymous study: it has no {what}. Respondents answer through its "
            "public link, and its results are shown as aggregates of at least k respondents."
        )


def groups_of_study(figures: Figures) -> dict[str, dict[str, Any]]:
    """Per profile question with fixed answers (what a study aggregates by), each of its
    possible groups: its figures, or that it is suppressed and why, as the API shows
    them."""
    asked = [p.id for p in figures.questionnaire.profile if p.type != "text"]
    groups: dict[str, dict[str, Any]] = scored(figures, asked, [])["groups"]
    return groups
