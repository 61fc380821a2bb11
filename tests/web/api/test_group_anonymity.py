"""Results through the API never describe fewer than three respondents of a breakdown:
small groups are withheld and named, and a filter that would single out one or two
respondents (or leave one or two out) is refused with what to change."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import Caller
from tests.web.assessments import DEMO, make_assessment

# The demo without two of its three service respondents: service keeps one.
SMALL_SERVICE = "\n".join(
    line for line in DEMO.splitlines() if not line.startswith(("r08,", "r09,"))
)


def results(client: TestClient, caller: Caller, assessment: str, **params: object):
    return client.get(
        f"/api/v1/assessments/{assessment}/results", params=params, headers=caller.headers
    )


def test_a_department_of_one_is_withheld_with_the_group_that_would_reveal_it(
    client: TestClient, consultant: Caller, published: object
) -> None:
    assessment = make_assessment(client, consultant, "Muster", answers=SMALL_SERVICE)
    body = results(client, consultant, assessment).json()
    assert body["respondents"] == 10
    # service (1) is hidden; the rest minus marketing, sales and management would be that
    # one person, so of the groups of three the last admitted (by name) goes too;
    # hidden groups are listed in the order of the question's options
    assert body["hidden_groups"] == {"department": ["sales", "service"]}
    assert set(body["groups"]["department"]) == {"marketing", "management"}


def test_results_of_groups_of_three_are_complete(
    client: TestClient, consultant: Caller, published: object
) -> None:
    assessment = make_assessment(client, consultant, "Muster")
    body = results(client, consultant, assessment).json()
    assert set(body["groups"]["department"]) == {"marketing", "sales", "service", "management"}
    assert "hidden_groups" not in body


def test_a_filter_matching_one_respondent_is_refused(
    client: TestClient, consultant: Caller, published: object
) -> None:
    assessment = make_assessment(client, consultant, "Muster", answers=SMALL_SERVICE)
    refused = results(client, consultant, assessment, filter="department:service")
    assert refused.status_code == 422
    assert "fewer than 3 respondents" in refused.json()["detail"]


def test_a_filter_leaving_out_two_respondents_is_refused(
    client: TestClient, consultant: Caller, published: object
) -> None:
    # ten in sales, two in management: sales' figures beside the whole organisation's
    # would give away the two others' answers
    rows = DEMO.splitlines()
    moved = [rows[0]] + [
        r if r.startswith(("r11,", "r12,")) else r.replace(r.split(",")[1], "sales", 1)
        for r in rows[1:]
    ]
    assessment = make_assessment(client, consultant, "Muster", answers="\n".join(moved))
    assert results(client, consultant, assessment, filter="department:sales").status_code == 422
    assert (
        results(client, consultant, assessment, filter="department:management").status_code == 422
    )
    assert results(client, consultant, assessment).json()["respondents"] == 12


def test_a_filter_matching_nobody_gives_empty_figures(
    client: TestClient, consultant: Caller, published: object
) -> None:
    assessment = make_assessment(client, consultant, "Muster")
    body = results(client, consultant, assessment, filter="department:it").json()
    assert body["respondents"] == 0
