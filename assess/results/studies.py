"""What an anonymous study has and has not: no invitations, e-mails, departments,
reports or single respondents' scores, only aggregates of at least k respondents."""

from __future__ import annotations

from assess.persistence.models.assessments import Assessment, AssessmentKind
from assess.results.errors import NotForStudies


def refuse_unless_assessment(assessment: Assessment, what: str) -> None:
    """NotForStudies for a study, where `what` does not exist (invitations, single
    respondents' scores...)."""
    if assessment.kind == AssessmentKind.study:
        raise NotForStudies(
            f"This is an anonymous study: it has no {what}. Respondents answer through its "
            "public link, and its results are shown as aggregates of at least k respondents."
        )
