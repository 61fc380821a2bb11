"""A respondent's link opens in one query with what its response holds, exactly as the
two separate lookups give them, before the first save, after it and once submitted."""

from __future__ import annotations

from fastapi import FastAPI
from sqlmodel import Session

from assess.persistence.models.assessments import AssessmentStatus
from assess.persistence.models.responses import ResponseStatus
from assess.persistence.repository.accounts import create_organisation
from assess.persistence.repository.assessments import create_assessment, set_status
from assess.persistence.repository.invitations import create_invitations
from assess.persistence.repository.questionnaires import publish_questionnaire
from assess.persistence.repository.responses import (
    link_and_state_by_token,
    link_by_token,
    save_answers,
    state_of,
    submit,
)
from tests.conftest import SERVICE_CHECK, make_caller


def _invited(session: Session) -> str:
    version, _ = publish_questionnaire(
        session, questionnaire_id="service-check", version=2, source=SERVICE_CHECK.read_text()
    )
    creator = make_caller(session, "c@example.org").user
    organisation = create_organisation(session, name="Us", creator=creator)
    assessment = create_assessment(session, organisation=organisation, version=version, name="Wave")
    set_status(session, assessment=assessment, status=AssessmentStatus.open)
    [(_, token)] = create_invitations(
        session, assessment=assessment, entries=[("Anna", "sales")], key="k" * 32
    )
    return token


def _both_ways(app: FastAPI, token: str) -> tuple[object, object]:
    with app.state.engine.connect() as connection:
        combined = link_and_state_by_token(connection, token=token)
        link = link_by_token(connection, token=token)
        assert link is not None
        separate = (link, state_of(connection, invitation_id=link.invitation_id))
        connection.commit()
    return combined, separate


def test_link_and_state_in_one_query_equal_the_two_lookups(app: FastAPI, session: Session) -> None:
    token = _invited(session)
    combined, separate = _both_ways(app, token)
    assert combined == separate
    assert separate[1] is None  # nothing saved yet

    with app.state.engine.connect() as connection:
        link = link_by_token(connection, token=token)
        assert link is not None
        save_answers(
            connection, link=link, answers={"listen-feedback": 7.0}, profile={"team": "back"}
        )
    combined, separate = _both_ways(app, token)
    assert combined == separate
    assert separate[1]["answers"] == {"listen-feedback": 7.0}  # type: ignore[index]

    with app.state.engine.connect() as connection:
        link = link_by_token(connection, token=token)
        assert link is not None
        submit(connection, link=link, idempotency_key="form-1")
    combined, separate = _both_ways(app, token)
    assert combined == separate
    assert separate[1]["status"] == ResponseStatus.submitted  # type: ignore[index]
    assert separate[1]["idempotency_key"] == "form-1"  # type: ignore[index]


def test_a_string_that_is_no_token_opens_nothing(app: FastAPI, session: Session) -> None:
    _invited(session)
    with app.state.engine.connect() as connection:
        assert link_and_state_by_token(connection, token="x" * 43) is None
