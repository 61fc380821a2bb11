"""Opted-in and other organisations with closed assessments, stored directly."""

from __future__ import annotations

import random
import uuid
from typing import Any

import pytest
from sqlmodel import Session

from assess.persistence.models.assessments import Assessment, AssessmentStatus
from assess.persistence.models.organisations import Organisation
from assess.persistence.models.questionnaires import QuestionnaireVersion
from assess.persistence.models.responses import Response, ResponseStatus
from assess.persistence.repository.questionnaires import get_questionnaire_version

TEAMS = ["front", "back"]


def service_check(session: Session) -> QuestionnaireVersion:
    """The published service-check version 2."""
    row = get_questionnaire_version(session, questionnaire_id="service-check", version=2)
    assert row is not None
    return row


def random_answers(rng: random.Random) -> dict[str, Any]:
    """Stored answers of the service-check items, some skipped or not applicable."""
    answers: dict[str, Any] = {
        "listen-feedback": float(rng.randint(0, 10)),
        "listen-ignore": rng.choice([float(rng.randint(0, 10)), "na"]),
        "listen-nps": rng.random() < 0.5,
        "act-owner": rng.choice(["nobody", "team", "board", "na"]),
        "act-speed": float(rng.randint(1, 4)),
        "share-wiki": rng.choice([True, False, "na"]),
        "share-silo": float(rng.randint(1, 5)),
    }
    for item in list(answers):
        if rng.random() < 0.1:
            del answers[item]
    return answers


def add_organisation(
    session: Session,
    version: QuestionnaireVersion,
    *,
    respondents: int,
    opt_in: bool = True,
    status: AssessmentStatus = AssessmentStatus.closed,
    seed: int = 0,
    name: str = "Muster GmbH",
    industry: str | None = "retail",
    teams: list[str] | None = None,
) -> Organisation:
    """An organisation with one assessment of `version` and its submitted responses."""
    rng = random.Random(seed)
    organisation = Organisation(
        name=name, industry=industry, size="50-249", country="de", benchmark_opt_in=opt_in
    )
    session.add(organisation)
    session.flush()
    assessment = Assessment(
        organisation_id=organisation.id,
        questionnaire_version_id=version.id,
        name="Wave",
        status=status,
    )
    session.add(assessment)
    session.flush()
    for r in range(respondents):
        team = teams[r] if teams else rng.choice(TEAMS)
        profile = {"team": team, "tenure": float(rng.randint(1, 3)), "remark": f"secret remark {r}"}
        session.add(
            Response(
                assessment_id=assessment.id,
                respondent=f"person{r}@{name.split()[0].lower()}.example",
                answers=random_answers(rng),
                profile=profile,
                status=ResponseStatus.submitted,
            )
        )
    session.add(
        Response(  # started, never submitted: never exported
            assessment_id=assessment.id,
            respondent=f"unsent-{uuid.uuid4().hex[:6]}",
            answers={"listen-feedback": 3.0},
            status=ResponseStatus.in_progress,
        )
    )
    session.commit()
    return organisation


@pytest.fixture
def version(session: Session, published: object) -> QuestionnaireVersion:
    return service_check(session)
