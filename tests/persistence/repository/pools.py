"""A benchmark pool for repository tests: organisations that take part and their closed
assessments of the service-check questionnaire."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session

from assess.domain.benchmarking import Attributes
from assess.domain.questionnaire import Questionnaire
from assess.persistence.models.assessments import Assessment, AssessmentStatus
from assess.persistence.models.common import utcnow
from assess.persistence.models.organisations import Organisation
from assess.persistence.repository.accounts import create_organisation
from assess.persistence.repository.assessments import create_assessment, save_snapshot, set_status
from assess.persistence.repository.benchmarks import set_opt_in
from assess.persistence.repository.peer_groups import comparison_for
from assess.persistence.repository.questionnaires import (
    get_questionnaire_version,
    questionnaire_of,
)
from tests.conftest import make_caller

LEVELS = ["acting", "listening", "sharing"]


@dataclass
class Pool:
    """The benchmark pool of the service-check questionnaire, with organisations added to it."""

    session: Session
    version_id: object
    made: int = 0

    def organisation(
        self, industry: str = "retail", size: str = "s", opt_in: bool = True, country: str = "de"
    ):
        """A new organisation with these attributes, taking part unless `opt_in` is False."""
        self.made += 1
        creator = make_caller(self.session, f"c{self.made}@example.org").user
        organisation = create_organisation(
            self.session,
            name=f"Org {self.made}",
            creator=creator,
            industry=industry,
            size=size,
            country=country,
        )
        if opt_in:
            set_opt_in(self.session, organisation=organisation, opt_in=True, k=5)
        return organisation

    def close(self, organisation: Organisation, score: float, days_ago: int = 0) -> Assessment:
        """A closed assessment of `organisation` scoring `score`, closed `days_ago` days ago."""
        version = get_questionnaire_version(
            self.session, questionnaire_id="service-check", version=None
        )
        assert version is not None
        assessment = create_assessment(
            self.session, organisation=organisation, version=version, name="wave"
        )
        set_status(self.session, assessment=assessment, status=AssessmentStatus.closed)
        assessment.closed_at = utcnow() - timedelta(days=days_ago)
        self.session.add(assessment)
        self.session.commit()
        save_snapshot(self.session, assessment_id=assessment.id, result=result(score), k=5)
        return assessment

    def questionnaire(self) -> Questionnaire:
        """The service-check questionnaire as published."""
        version = get_questionnaire_version(self.session, questionnaire_id="service-check")
        assert version is not None
        return questionnaire_of(version)

    def figures(self, attributes: Attributes, k: int = 5):
        """The comparison an organisation with these attributes is shown."""
        return comparison_for(
            self.session, questionnaire=self.questionnaire(), attributes=attributes, own={}, k=k
        )


def result(score: float) -> dict[str, object]:
    """A score output whose levels score `score`, +1 and +2, and overall their mean."""
    levels = {d: {"score": score + i} for i, d in enumerate(LEVELS)}
    return {"overall": {"score": score + 1}, "dimensions": levels}
