"""CWE-202 differencing through merged departments: a consultant merges departments into
a named group after members have seen a release. Members set the new group against the
departments shown before; nothing they can work out may describe fewer than k."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.adversarial import departments
from tests.adversarial.departments import (
    API,
    K,
    Tenant,
    organisation_with_member,
    results,
)
from tests.conftest import Caller
from tests.differencing import Attacker


@pytest.fixture(autouse=True)
def four_departments(monkeypatch: pytest.MonkeyPatch) -> None:
    """Questionnaires published here ask for one of four departments, a to d."""
    monkeypatch.setattr(departments, "OPTIONS", ("a", "b", "c", "d"))


def invite_and_answer(client: TestClient, org: Tenant, *departments: str) -> list[str]:
    """Respondents invited with these departments, each submitting through their link;
    the department of each, in the order they submitted."""
    start = len(org.rows)
    people = [{"label": f"r{start + i}", "department": d} for i, d in enumerate(departments)]
    made = client.post(
        f"{API}/assessments/{org.assessment}/invitations",
        json={"invitations": people},
        headers=org.consultant.headers,
    )
    assert made.status_code == 201, made.text
    for n, invitation in enumerate(made.json()):
        answers = {"i1": 1 + (start + n) % 5, "i2": 1 + (3 * (start + n)) % 5}
        token = invitation["token"]
        assert client.put(f"{API}/respond/{token}", json={"answers": answers}).is_success
        assert client.post(f"{API}/respond/{token}/submit").is_success
    org.rows += departments
    return list(org.rows)


def merge(client: TestClient, org: Tenant, *groups: tuple[str, list[str]]) -> Any:
    body = {"groups": [{"name": name, "departments": d} for name, d in groups]}
    response = client.put(
        f"{API}/assessments/{org.assessment}/departments", json=body, headers=org.consultant.headers
    )
    assert response.status_code == 200, response.text
    return response.json()


def watch(attacker: Attacker, output: dict[str, Any], departments: list[str]) -> None:
    """What a member saw, as the sets of respondents each figure sums over: a merged
    group's key names its departments."""
    people = [f"p{i}" for i in range(output["respondents"])]
    attacker.saw(people)
    for value in output["groups"].get("department", {}):
        members = set(value.split("."))
        attacker.saw(p for p, d in zip(people, departments, strict=False) if d in members)


def test_merging_departments_after_a_release_lets_no_member_isolate_anyone(
    client: TestClient, session: Session, admin: Caller
) -> None:
    """Release 1: a 3, b 3, c 2 shows the whole and a (b would give c away). Then a and
    d are merged; one more each in d, c and b answer. Release 2's group a+d (4), set
    against release 1's a (3), would be the one person in d: it must not be shown."""
    org = organisation_with_member(client, session, admin, "diff-merge", (4,))
    attacker = Attacker()
    departments = invite_and_answer(client, org, "a", "a", "a", "b", "b", "b", "c", "c")
    first = results(client, org.member, org.assessment).json()
    assert first["release"]["number"] == 1
    assert list(first["groups"]["department"]) == ["a"]
    watch(attacker, first, departments)
    merge(client, org, ("A und D", ["a", "d"]))
    departments = invite_and_answer(client, org, "d", "c", "b")
    second = results(client, org.member, org.assessment).json()
    assert second["release"]["number"] == 2
    assert second["respondents"] == 11
    assert "a.d" not in second["groups"]["department"]
    watch(attacker, second, departments)
    for filtered in ("department:a.d", "department:b"):
        response = results(client, org.member, org.assessment, filter=filtered)
        if response.status_code == 200:
            chosen = set(filtered.partition(":")[2].split("."))
            people = [f"p{i}" for i, d in enumerate(departments) if d in chosen]
            attacker.saw(people)
    assert attacker.isolated(K) is None


def test_departments_merged_before_the_first_release_are_compared_as_one_group(
    client: TestClient, session: Session, admin: Caller
) -> None:
    """3 in a, 3 in b, 1 in c: c alone would be the whole less a and b, so one of them
    stays hidden; with c merged into a, both groups are shown."""
    org = organisation_with_member(client, session, admin, "diff-merged-first", (4,))
    settings = merge(client, org, ("A und C", ["c", "a"]))
    assert settings["groups"] == [{"name": "A und C", "departments": ["a", "c"], "key": "a.c"}]
    invite_and_answer(client, org, "a", "a", "a", "b", "b", "b", "c")
    for caller in (org.member, org.consultant):
        output = results(client, caller, org.assessment).json()
        groups = output["groups"]["department"]
        assert {value: g["respondents"] for value, g in groups.items()} == {"a.c": 4, "b": 3}
