"""How the web answers the results service's errors: each kind with its status, as a
problem document (the same answers the routes gave when they raised HTTP errors)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from assess.persistence.models.accounts import Role
from assess.persistence.models.assessments import AssessmentKind
from assess.persistence.models.questionnaires import QuestionnaireVersion
from assess.persistence.repository.accounts import set_membership
from tests.conftest import Caller
from tests.results.stored import stored_assessment


def test_a_studys_respondents_scores_answer_409(
    client: TestClient, session: Session, consultant: Caller
) -> None:
    study = stored_assessment(session, ["sales"] * 5, AssessmentKind.study)
    set_membership(
        session, organisation_id=study.organisation_id, user=consultant.user, role=Role.consultant
    )
    url = f"/api/v1/assessments/{study.id}/results/respondents"
    answer = client.get(url, headers=consultant.headers)
    assert answer.status_code == 409
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json() == {
        "type": "about:blank",
        "title": "Conflict",
        "status": 409,
        "detail": "This is an anonymous study: it has no single respondents' scores. "
        "Respondents answer through its public link, and its results are shown as "
        "aggregates of at least k respondents.",
    }


def test_peer_figures_of_an_empty_pool_answer_404(
    client: TestClient, session: Session, admin: Caller
) -> None:
    assessment = stored_assessment(session, [])
    row = session.get_one(QuestionnaireVersion, assessment.questionnaire_version_id)
    url = f"/api/v1/research/questionnaires/{row.questionnaire_id}/versions/1/benchmarks"
    answer = client.get(url, headers=admin.headers)
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["detail"].startswith(f"No peer group of {row.questionnaire_id} version 1")
    unknown = client.get(f"{url}?score=nope", headers=admin.headers)
    assert unknown.status_code == 422
    assert unknown.json()["detail"] == "score 'nope': use one of overall, d1."
