"""An assessment whose departments disagree, for the tests of consensus answers: a
questionnaire with a statement of each kind of item and a fact asked of the lead, and
four respondents (two in sales, two in service) who answer it far apart."""

from __future__ import annotations

import yaml
from fastapi.testclient import TestClient
from httpx import Response

from tests.conftest import Caller
from tests.factories import boolean_item, choice_item, dimension, questionnaire_data, scale_item
from tests.web.assessments import open_assessment_of

API = "/api/v1"
QUESTIONNAIRE = questionnaire_data(
    dimension("d1", scale_item("s1", allow_dont_know=True), scale_item("s2")),
    dimension(
        "d2",
        choice_item("c1", {"none": 0, "project": 50, "board": 100}),
        boolean_item("b1"),
        boolean_item("f1", informant="lead"),
    ),
    id="workshop-test",
)
# Sales says s1 is fully true, service not at all: d1 is 75 in sales, 25 in service.
ANSWERS = (
    "respondent,lead,department,s1,s2,c1,b1,f1\n"
    "r1,yes,sales,5,3,board,yes,yes\n"
    "r2,,sales,5,3,board,yes,\n"
    "r3,,service,1,3,none,no,\n"
    "r4,,service,1,3,none,no,\n"
)


def workshop_assessment(
    client: TestClient, consultant: Caller, admin: Caller, answers: str = ANSWERS
) -> dict:
    """An open assessment of the workshop questionnaire with the respondents' `answers`
    (the four of ANSWERS unless others are given); the API's answer."""
    source = yaml.safe_dump(QUESTIONNAIRE).encode()
    made = open_assessment_of(client, consultant, admin, source, "Workshop")
    imported = client.post(
        f"{API}/assessments/{made['id']}/import",
        content=answers.encode(),
        headers={**consultant.headers, "Content-Type": "text/csv"},
    )
    assert imported.status_code == 201, imported.text
    return made


def put_consensus(
    client: TestClient, caller: Caller, assessment: dict, item: str, answer: object, why: str
) -> Response:
    """PUT an item's consensus answer; the response."""
    return client.put(
        f"{API}/assessments/{assessment['id']}/consensus/{item}",
        json={"answer": answer, "rationale": why},
        headers=caller.headers,
    )
