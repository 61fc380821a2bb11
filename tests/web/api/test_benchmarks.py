"""Benchmarks through the API: who may opt in or out, and what an assessment's benchmark
shows and hides."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from assess.persistence.repository import peer_group_figures
from assess.persistence.repository.benchmarks import refresh_pending_groups
from tests.conftest import Caller, add_member, make_caller
from tests.web.assessments import closed_assessment, opt_in, organisation

API = "/api/v1"


@pytest.fixture
def peers(client: TestClient, session: Session, published: object) -> list[tuple[Caller, str]]:
    """Six organisations that take part: five retailers of 1-49 employees and a bank."""
    made = []
    for i, (industry, size) in enumerate(
        [("retail", "1-49")] * 5 + [("financial-services", "50-249")]
    ):
        caller = make_caller(session, f"peer{i}@example.org")
        org = organisation(client, caller, industry, size)
        opt_in(client, caller, org)
        closed_assessment(client, caller, org, 2 * i)
        made.append((caller, org))
    return made


def test_opting_in_shows_in_the_organisation(
    client: TestClient, consultant: Caller, published: object
) -> None:
    org = organisation(client, consultant)
    assert (
        client.get(f"{API}/organisations/{org}", headers=consultant.headers).json()[
            "benchmark_opt_in"
        ]
        is False
    )
    assert opt_in(client, consultant, org)["benchmark_opt_in"] is True
    out = client.post(f"{API}/organisations/{org}/benchmark/opt-out", headers=consultant.headers)
    assert out.json()["benchmark_opt_in"] is False


def test_members_may_not_opt_in_but_see_the_benchmark(
    client: TestClient, session: Session, consultant: Caller, published: object
) -> None:
    org = organisation(client, consultant)
    assessment = closed_assessment(client, consultant, org, 5)
    member = make_caller(session, "member@example.org")
    add_member(client, org, consultant, member)
    refused = client.post(f"{API}/organisations/{org}/benchmark/opt-in", headers=member.headers)
    assert refused.status_code == 403
    seen = client.get(f"{API}/assessments/{assessment}/benchmark", headers=member.headers)
    assert seen.status_code == 200


def test_without_a_pool_the_answer_says_so(
    client: TestClient, consultant: Caller, published: object
) -> None:
    org = organisation(client, consultant)
    assessment = closed_assessment(client, consultant, org, 5)
    body = client.get(f"{API}/assessments/{assessment}/benchmark", headers=consultant.headers)
    assert body.json()["status"] == "no_pool"
    assert "No organisation has shared" in body.json()["message"]


def test_a_pool_below_k_shows_no_figure(
    client: TestClient, consultant: Caller, published: object
) -> None:
    assessments = []
    for level in range(4):
        org = organisation(client, consultant)
        opt_in(client, consultant, org)
        assessments.append(closed_assessment(client, consultant, org, level))
    body = client.get(
        f"{API}/assessments/{assessments[0]}/benchmark", headers=consultant.headers
    ).json()
    assert body["status"] == "too_small"
    assert body["report_group"] is None
    assert all(not level["peers"] for level in body["scores"].values())
    assert all("n" not in group for group in body["groups"])


def test_benchmark_shows_groups_that_may_be_shown_and_names_the_others(
    client: TestClient, peers: list[tuple[Caller, str]]
) -> None:
    caller, org = peers[0]
    assessment = client.get(f"{API}/organisations/{org}/assessments", headers=caller.headers)
    body = client.get(
        f"{API}/assessments/{assessment.json()[0]['id']}/benchmark", headers=caller.headers
    ).json()
    assert body["status"] == "shown"
    groups = {g["label"]: g for g in body["groups"]}
    assert groups["all"] == {"kind": "all", "values": [], "label": "all", "shown": True, "n": 6}
    # retail (5) differs from all (6) by one organisation: never both shown
    assert groups["industry: retail"]["shown"] is False
    assert set(groups["industry: retail"]) == {"kind", "values", "label", "shown", "reason"}
    assert body["report_group"]["kind"] == "all"
    assert [s["kind"] for s in body["report_group_fallback"]] == ["industry_size", "industry"]
    overall = body["scores"]["overall"]
    # every organisation is in country de: the same set as all, the same figures
    assert set(overall["peers"]) == {"all", "country"}
    assert overall["peers"]["country"]["median"] == overall["peers"]["all"]["median"]
    figures = overall["peers"]["all"]
    assert figures["n"] == 6
    assert figures["q1"] <= figures["median"] <= figures["q3"]
    assert figures["percentile"] == pytest.approx(100 * 0.5 / 6)  # lowest of six
    assert overall["own"]["n"] == 3
    low, high = overall["own"]["interval"]
    assert low <= overall["own"]["score"] <= high


def test_opting_out_takes_the_organisation_out_of_every_figure(
    client: TestClient, peers: list[tuple[Caller, str]]
) -> None:
    caller, org = peers[5]
    client.post(f"{API}/organisations/{org}/benchmark/opt-out", headers=caller.headers)
    first, first_org = peers[0]
    assessment = client.get(f"{API}/organisations/{first_org}/assessments", headers=first.headers)
    body = client.get(
        f"{API}/assessments/{assessment.json()[0]['id']}/benchmark", headers=first.headers
    ).json()
    assert body["scores"]["overall"]["peers"]["industry_size"]["n"] == 5
    assert body["report_group"]["kind"] == "industry_size"


@pytest.mark.slow
def test_a_report_of_an_organisation_with_peers_has_the_benchmark_section(
    client: TestClient, peers: list[tuple[Caller, str]]
) -> None:
    from tests.web.assessments import finished, words_of

    caller, org = peers[0]
    assessment = client.get(f"{API}/organisations/{org}/assessments", headers=caller.headers)
    asked = client.post(
        f"{API}/assessments/{assessment.json()[0]['id']}/reports",
        json={"language": "en"},
        headers=caller.headers,
    )
    state = finished(client, asked.json()["status_url"], caller.headers)
    words = words_of(client.get(state["download_url"], headers=caller.headers).content)
    assert "Compared with peers" in words
    assert "Peer group: all organisations in the pool (6 organisations)" in words
    assert (
        "same industry and size band (Retail, 1–49): differs from the group “all organisations "
        "in the pool” by fewer than 5 organisations" in words
    )
    assert "Student-t" in words


def test_no_benchmark_section_without_a_pool(
    client: TestClient, consultant: Caller, published: object
) -> None:
    from tests.web.assessments import finished, words_of

    org = organisation(client, consultant)
    assessment = closed_assessment(client, consultant, org, 4)
    asked = client.post(
        f"{API}/assessments/{assessment}/reports",
        json={"language": "de"},
        headers=consultant.headers,
    )
    state = finished(client, asked.json()["status_url"], consultant.headers)
    words = words_of(client.get(state["download_url"], headers=consultant.headers).content)
    assert "Handeln" in words  # the report itself is there
    assert "Im Vergleich mit anderen Organisationen" not in words


def test_a_close_that_leaves_large_groups_pending_hands_them_to_one_job(
    client: TestClient,
    app: FastAPI,
    peers: list[tuple[Caller, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    deferred: list[tuple[str, dict[str, Any]]] = []

    class Recorder:
        def defer(self, task: str, **arguments: Any) -> None:
            deferred.append((task, arguments))

    monkeypatch.setattr(peer_group_figures, "INLINE_LIMIT", 3)  # the six: a large group
    monkeypatch.setattr(app.state, "jobs", Recorder())
    caller, org = peers[0]
    closed_assessment(client, caller, org, 9)  # a new wave
    assert [task for task, _ in deferred] == ["peer_groups"]
    pool_key = deferred[0][1]["pool_key"]
    with Session(app.state.engine) as session:
        assert refresh_pending_groups(session, pool_key=pool_key) == 5  # each of its groups
