"""Anonymous studies: one public link, anonymous respondents who answer once per browser,
and results that never describe fewer than k respondents."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import inspect
from sqlmodel import Session, select

from assess.persistence.models.assessments import Invitation
from assess.persistence.models.responses import Response
from tests.conftest import Caller, add_member, make_caller
from tests.web.assessments import STUDY_ANSWERS, answer


def create(client: TestClient, caller: Caller, org_id: str, **body: Any) -> dict[str, Any]:
    response = client.post(
        f"/api/v1/organisations/{org_id}/assessments",
        json={"questionnaire_id": "service-check", "name": "Market study 2026", **body},
        headers=caller.headers,
    )
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture
def institute(client: TestClient, consultant: Caller, published: object) -> str:
    org = client.post(
        "/api/v1/organisations", json={"name": "CX Institute"}, headers=consultant.headers
    )
    return str(org.json()["id"])


@pytest.fixture
def study(client: TestClient, consultant: Caller, institute: str) -> dict[str, Any]:
    made = create(client, consultant, institute, kind="study")
    assert made["kind"] == "study"
    assert made["public_link"] is False
    opened = client.post(f"/api/v1/assessments/{made['id']}/open", headers=consultant.headers)
    assert opened.status_code == 200
    return made


@pytest.fixture
def public_token(client: TestClient, consultant: Caller, study: dict[str, Any]) -> str:
    made = client.post(f"/api/v1/assessments/{study['id']}/public-link", headers=consultant.headers)
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["link"].endswith(f"/s/{body['token']}")
    return str(body["token"])


def results(client: TestClient, caller: Caller, study: dict[str, Any], query: str = "") -> Any:
    return client.get(f"/api/v1/assessments/{study['id']}/results?{query}", headers=caller.headers)


def test_study_is_answered_end_to_end_through_its_public_link(
    app: FastAPI, client: TestClient, consultant: Caller, study: dict, public_token: str
) -> None:
    form = client.get(f"/api/v1/studies/{public_token}?lang=de").json()
    asked = {p["id"] for p in form["questionnaire"]["profile"]}
    assert {"team", "tenure", "remote"} <= asked  # remote: about the organisation
    assert form["questionnaire"]["dimensions"][0]["name"] == "Zuhören"
    english = client.get(f"/api/v1/studies/{public_token}?lang=en").json()
    assert english["questionnaire"]["dimensions"][0]["name"] == "Listening"

    browser = TestClient(app)
    token = browser.post(f"/api/v1/studies/{public_token}").json()["token"]
    saved = browser.put(
        f"/api/v1/respond/{token}",
        json={"answers": {"listen-feedback": 3}, "profile": {"remote": True, "team": "front"}},
    )
    assert saved.status_code == 200, saved.text
    resumed = browser.get(f"/api/v1/respond/{token}").json()
    assert resumed["response"]["answers"] == {"listen-feedback": 3.0}
    assert resumed["response"]["profile"] == {"remote": True, "team": "front"}
    assert resumed["assessment"]["kind"] == "study"
    assert "remote" in {p["id"] for p in resumed["questionnaire"]["profile"]}
    submit = browser.post(f"/api/v1/respond/{token}/submit", headers={"Idempotency-Key": "k"})
    assert submit.status_code == 200
    again = browser.post(f"/api/v1/respond/{token}/submit", headers={"Idempotency-Key": "k"})
    assert again.status_code == 200
    assert again.json() == submit.json()
    for _ in range(4):
        answer(app, public_token, {"remote": True, "team": "front"})

    shown = results(client, consultant, study).json()
    assert shown["respondents"] == 5
    assert shown["overall"]["score"] is not None
    summary = client.get(f"/api/v1/assessments/{study['id']}", headers=consultant.headers).json()
    assert summary["counts"]["submitted"] == 5
    assert summary["counts"]["invited"] == 0
    assert summary["counts"]["response_rate"] is None
    assert summary["public_link"] is True


def test_a_browser_that_submitted_cannot_start_again_and_another_can(
    app: FastAPI, study: dict, public_token: str
) -> None:
    browser = TestClient(app)
    first = browser.post(f"/api/v1/studies/{public_token}").json()["token"]
    second = browser.post(f"/api/v1/studies/{public_token}").json()["token"]  # another tab
    submitted = browser.post(f"/api/v1/respond/{first}/submit", json={"answers": STUDY_ANSWERS})
    cookie = submitted.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Path=/" in cookie
    again = browser.post(f"/api/v1/studies/{public_token}")
    assert again.status_code == 409
    assert "already submitted" in again.json()["detail"]
    other_tab = browser.post(f"/api/v1/respond/{second}/submit", json={"answers": STUDY_ANSWERS})
    assert other_tab.status_code == 409
    fresh = TestClient(app)
    assert fresh.post(f"/api/v1/studies/{public_token}").status_code == 201


def test_nothing_that_identifies_a_respondent_is_stored(
    app: FastAPI, session: Session, study: dict, public_token: str
) -> None:
    token = answer(app, public_token, {"team": "back", "remote": False})
    columns = {c["name"] for c in inspect(app.state.engine).get_columns("responses")}
    assert columns == {
        "id",
        "assessment_id",
        "invitation_id",
        "respondent",
        "answers",
        "profile",
        "status",
        "idempotency_key",
        "lead",  # whether an imported response is the lead: a study imports none
        "created_at",
        "updated_at",
        "submitted_at",
    }
    [row] = session.exec(select(Response)).all()
    [link] = session.exec(select(Invitation)).all()
    assert re.fullmatch(r"anonymous-[0-9a-f]{12}", row.respondent)
    assert link.label == row.respondent
    assert link.department is None
    assert token not in str(row.model_dump()) + str(link.model_dump())
    stored = str(row.model_dump()) + str(link.model_dump())
    for trace in ("testclient", "127.0.0.1", "assess_answered"):  # host, agent, cookie
        assert trace not in stored


def test_results_suppress_groups_below_k_and_what_would_reveal_them(
    app: FastAPI, client: TestClient, consultant: Caller, study: dict, public_token: str
) -> None:
    for team, remote, n in (("front", True, 5), ("back", True, 1), ("back", False, 4)):
        for _ in range(n):
            answer(app, public_token, {"team": team, "remote": remote})
    by_team = results(client, consultant, study, "group_by=team").json()
    assert by_team["k"] == 5
    assert by_team["groups"]["team"]["front"]["respondents"] == 5
    assert by_team["groups"]["team"]["back"]["respondents"] == 5
    by_remote = results(client, consultant, study, "group_by=remote").json()["groups"]["remote"]
    # no (4) is below k, and yes (6) would give it away as 10 - 6
    assert by_remote["no"] == {"suppressed": True, "reason": "fewer than 5 respondents"}
    assert by_remote["yes"]["suppressed"] is True
    assert set(by_remote["yes"]) == {"suppressed", "reason"}  # neither n nor scores
    by_tenure = results(client, consultant, study, "group_by=tenure").json()["groups"]["tenure"]
    assert set(by_tenure) == {"1", "2", "3"}  # every value listed, answered or not
    assert all(g["suppressed"] for g in by_tenure.values())


def test_a_filter_below_k_is_refused_and_so_is_a_combination_that_reveals_few(
    app: FastAPI, client: TestClient, consultant: Caller, study: dict, public_token: str
) -> None:
    for team, remote, n in (("front", True, 5), ("back", True, 1), ("back", False, 4)):
        for _ in range(n):
            answer(app, public_token, {"team": team, "remote": remote})
    filtered = results(client, consultant, study, "filter=team:front")
    assert filtered.status_code == 200
    assert filtered.json()["respondents"] == 5
    below = results(client, consultant, study, "filter=remote:no")
    assert below.status_code == 422
    assert "fewer than 5" in below.json()["detail"]
    # team x remote has a cell of 1 (back and remote): filtering by team and grouping
    # by remote would let it be worked out
    crossed = results(client, consultant, study, "filter=team:back&group_by=remote")
    assert crossed.status_code == 422
    assert "group by 'remote' without that filter" in crossed.json()["detail"]
    assert results(client, consultant, study, "filter=team:x&filter=remote:yes").status_code == 422
    assert results(client, consultant, study, "group_by=remark").status_code == 422


def test_filter_and_group_by_combine_when_every_cell_holds_k(
    app: FastAPI, client: TestClient, consultant: Caller, study: dict, public_token: str
) -> None:
    for team, remote in (("front", True), ("back", True), ("back", False)):
        for _ in range(5):
            answer(app, public_token, {"team": team, "remote": remote})
    crossed = results(client, consultant, study, "filter=team:back&group_by=remote").json()
    assert crossed["respondents"] == 10
    assert crossed["groups"]["remote"]["yes"]["respondents"] == 5
    assert crossed["groups"]["remote"]["no"]["respondents"] == 5
    front = results(client, consultant, study, "filter=team:front&group_by=remote").json()
    assert front["groups"]["remote"]["no"]["suppressed"] is True  # an empty cell
    assert set(front["divergence"]["remote"]) == {"listening", "acting", "sharing"}
    traced = results(client, consultant, study, "filter=team:front&explain=true").json()
    assert traced["explain"]["dimensions"][0]["respondents_counted"] == 5


def test_a_study_below_k_shows_no_results(
    app: FastAPI, client: TestClient, consultant: Caller, study: dict, public_token: str
) -> None:
    for _ in range(4):
        answer(app, public_token, {"team": "front"})
    refused = results(client, consultant, study)
    assert refused.status_code == 409
    assert "fewer than 5" in refused.json()["detail"]


def test_k_comes_from_the_settings(
    app: FastAPI, client: TestClient, consultant: Caller, study: dict, public_token: str
) -> None:
    app.state.settings = app.state.settings.model_copy(update={"benchmark_k": 3})
    for _ in range(3):
        answer(app, public_token, {"team": "front"})
    assert results(client, consultant, study).json()["k"] == 3


def test_unknown_public_links_are_404(client: TestClient, study: dict) -> None:
    for method in ("GET", "POST"):
        response = client.request(method, "/api/v1/studies/not-a-token")
        assert response.status_code == 404
        assert "not valid" in response.json()["detail"]


def test_replacing_the_public_link_retires_the_old_one(
    client: TestClient, consultant: Caller, study: dict, public_token: str
) -> None:
    made = client.post(f"/api/v1/assessments/{study['id']}/public-link", headers=consultant.headers)
    assert client.get(f"/api/v1/studies/{public_token}").status_code == 404
    assert client.get(f"/api/v1/studies/{made.json()['token']}").status_code == 200


def test_a_study_answers_only_while_open(
    client: TestClient, consultant: Caller, institute: str
) -> None:
    draft = create(client, consultant, institute, kind="study")
    token = client.post(
        f"/api/v1/assessments/{draft['id']}/public-link", headers=consultant.headers
    ).json()["token"]
    assert client.post(f"/api/v1/studies/{token}").status_code == 409
    client.post(f"/api/v1/assessments/{draft['id']}/open", headers=consultant.headers)
    assert client.post(f"/api/v1/studies/{token}").status_code == 201
    client.post(f"/api/v1/assessments/{draft['id']}/close", headers=consultant.headers)
    closed = client.get(f"/api/v1/studies/{token}")
    assert closed.status_code == 409
    assert "closed" in closed.json()["detail"]


def test_only_studies_get_a_public_link_and_studies_get_no_invitations(
    client: TestClient, consultant: Caller, institute: str, study: dict
) -> None:
    assessment = create(client, consultant, institute)
    link = client.post(
        f"/api/v1/assessments/{assessment['id']}/public-link", headers=consultant.headers
    )
    assert link.status_code == 409
    base = f"/api/v1/assessments/{study['id']}"
    invite = {"invitations": [{"label": "Anna"}]}
    for method, path, body in (
        ("POST", "/invitations", invite),
        ("GET", "/invitations", None),
        ("GET", "/results/respondents", None),
        ("POST", "/reports", {}),
        ("GET", "/reports/preview", None),
    ):
        response = client.request(method, base + path, json=body, headers=consultant.headers)
        assert response.status_code == 409, (method, path, response.text)
    imported = client.post(
        f"{base}/import",
        content=b"respondent,team\nAnna Berger,front\n",
        headers={**consultant.headers, "Content-Type": "text/csv"},
    )
    assert imported.status_code == 409


def test_members_may_not_make_a_public_link_and_other_tenants_do_not_see_it(
    client: TestClient, session: Session, consultant: Caller, institute: str, study: dict
) -> None:
    member = make_caller(session, "member@example.org")
    add_member(client, institute, consultant, member)
    url = f"/api/v1/assessments/{study['id']}/public-link"
    assert client.post(url, headers=member.headers).status_code == 403
    stranger = make_caller(session, "stranger@example.org")
    assert client.post(url, headers=stranger.headers).status_code == 404
    seen = client.get(f"/api/v1/assessments/{study['id']}/results", headers=stranger.headers)
    assert seen.status_code == 404
