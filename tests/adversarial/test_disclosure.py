"""k-anonymity and differencing: no figure the results show describes fewer than k = 3
respondents, and no two figures of one state of an assessment differ by fewer than k
respondents (or subtracting one from the other would describe those few)."""

from __future__ import annotations

import itertools
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from tests.conftest import Caller
from tests.factories import csv_bytes

K = 3
ITEMS = ["listen-feedback", "act-speed", "share-silo"]


def assessment_with(client: TestClient, caller: Caller, people: list[dict[str, object]]) -> str:
    """An assessment of service-check with one imported response per person (their
    profile as given, answers that differ per person)."""
    org = client.post("/api/v1/organisations", json={"name": "Us"}, headers=caller.headers)
    made = client.post(
        f"/api/v1/organisations/{org.json()['id']}/assessments",
        json={"questionnaire_id": "service-check", "name": "Wave"},
        headers=caller.headers,
    ).json()["id"]
    rows = [
        [f"p{n}", p.get("team"), p.get("tenure"), n % 11, 1 + n % 4, 1 + n % 5]
        for n, p in enumerate(people)
    ]
    body = csv_bytes(["respondent", "team", "tenure", *ITEMS], *rows)
    imported = client.post(
        f"/api/v1/assessments/{made}/import",
        content=body,
        headers={**caller.headers, "Content-Type": "text/csv"},
    )
    assert imported.status_code == 201, imported.text
    return str(made)


def shown_figures(
    client: TestClient, caller: Caller, assessment: str, people: list[dict[str, object]]
) -> dict[str, frozenset[int]]:
    """Every figure the results API shows for the assessment in its current state, by
    what it is, with the people it describes: the whole, each group of each group-by,
    each filter that is answered, and each group within each filter."""
    url = f"/api/v1/assessments/{assessment}/results"
    questions = ["team", "tenure"]
    values = {q: sorted({str(p[q]) for p in people if p.get(q) is not None}) for q in questions}

    def members(question: str, value: str) -> set[int]:
        return {n for n, p in enumerate(people) if str(p.get(question)) == value}

    figures = {"all": frozenset(range(len(people)))}
    for question in questions:
        result = client.get(f"{url}?group_by={question}", headers=caller.headers).json()
        for value in result["groups"].get(question, {}):
            figures[f"{question}={value}"] = frozenset(members(question, value))
        for value in values[question]:
            asked = f"{question}:{quote(value)}"
            filtered = client.get(f"{url}?filter={asked}", headers=caller.headers)
            if filtered.status_code == 200:
                figures[f"filter {asked}"] = frozenset(members(question, value))
            for other in questions:
                if other == question:
                    continue
                within = client.get(
                    f"{url}?filter={asked}&group_by={other}", headers=caller.headers
                )
                if within.status_code != 200:
                    continue
                for shown in within.json()["groups"].get(other, {}):
                    cell = members(question, value) & members(other, shown)
                    figures[f"filter {asked}, {other}={shown}"] = frozenset(cell)
    return figures


def differencing_pairs(figures: dict[str, frozenset[int]]) -> list[tuple[str, str, int]]:
    """Pairs of shown figures whose people differ by 1 to k - 1."""
    return [
        (a, b, len(figures[a] ^ figures[b]))
        for a, b in itertools.combinations(figures, 2)
        if 0 < len(figures[a] ^ figures[b]) < K
    ]


def test_groups_below_k_are_withheld_and_so_is_the_group_that_would_give_them_away(
    client: TestClient, consultant: Caller, published: object
) -> None:
    """CWE-359 Exposure of private personal information to an unauthorized actor: a team
    of two is withheld, and so is the team that would give it away as the whole minus
    the rest; filtering on either is refused. (The report and the results page group by
    department with the same verdicts: tests/reporting, tests/web/console/test_results.)"""
    people = [{"team": "front", "tenure": 1}] * 4 + [{"team": "back", "tenure": 1}] * 2
    assessment = assessment_with(client, consultant, people)
    url = f"/api/v1/assessments/{assessment}/results"
    result = client.get(f"{url}?group_by=team", headers=consultant.headers).json()
    assert result["groups"]["team"] == {}
    assert sorted(result["hidden_groups"]["team"]) == ["back", "front"]
    for value in ("back", "front"):
        assert (
            client.get(f"{url}?filter=team:{value}", headers=consultant.headers).status_code == 422
        )


@pytest.mark.slow
def test_no_two_figures_of_one_state_differ_by_fewer_than_k_respondents(
    client: TestClient, consultant: Caller, published: object
) -> None:
    """CWE-202 Exposure of sensitive information through data queries (differencing):
    teams and tenures that overlap all but one person. Every figure the results show
    (group-bys, filters, groups within filters) is collected; no two of them describe
    sets of people that differ by one or two, or subtracting them would reveal those."""
    people = (
        [{"team": "front", "tenure": 1}] * 3
        + [{"team": "front", "tenure": 2}]
        + [{"team": "back", "tenure": 2}] * 3
        + [{"team": "back", "tenure": 3}] * 3
    )
    assessment = assessment_with(client, consultant, people)
    figures = shown_figures(client, consultant, assessment, people)
    assert all(len(people_of) >= K for people_of in figures.values()), figures
    assert differencing_pairs(figures) == []
    assert len(figures) >= 3  # the whole and some groups are shown: the test has teeth


def test_one_more_submission_never_shows_a_group_of_k_and_k_plus_one_side_by_side(
    client: TestClient, consultant: Caller, published: object
) -> None:
    """CWE-202 Exposure of sensitive information through data queries (differencing): in
    one state, a group of k and a group of k + 1 that hold the same k people (a filter
    and a group of another question) are never both shown."""
    people = [{"team": "front", "tenure": 1}] * 3 + [{"team": "front", "tenure": 2}]
    people += [{"team": "back", "tenure": 3}] * 4
    assessment = assessment_with(client, consultant, people)
    figures = shown_figures(client, consultant, assessment, people)
    shown = set(figures.values())
    front, first_tenure = frozenset(range(4)), frozenset(range(3))
    assert not (front in shown and first_tenure in shown), figures
    assert differencing_pairs(figures) == []
