"""Peer figures for researchers: every group that may be shown, equal to numpy on the
pool's scores; withheld groups only counted, and asked for by name, refused alike."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select
from typer.testing import CliRunner

from assess.cli.main import app as cli
from assess.config import get_settings
from assess.persistence.models.benchmarks import BenchmarkEntry
from assess.persistence.repository.questionnaires import get_questionnaire_version
from assess.persistence.repository.research import exportable_count
from tests.clients import real_clients
from tests.conftest import QUESTIONNAIRES, Caller, make_caller
from tests.research.exporting import researcher

URL = "/api/v1/research/questionnaires/cx-maturity/versions/1/benchmarks"

# Version 1, which the real organisations of these tests answer (the newest is the default).
VERSION_1 = ["--questionnaire", str(QUESTIONNAIRES / "cx-maturity.yaml")]


@pytest.fixture
def pool(
    session: Session, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[list[BenchmarkEntry]]:
    """Sixty synthetic organisations that opted in, each with one closed assessment."""
    monkeypatch.setenv("ASSESS_DATABASE_URL", database_url)
    get_settings.cache_clear()
    options = ["--organisations", "60", "--respondents", "3", "--seed", "11", "--opt-in-share", "1"]
    result = CliRunner().invoke(
        cli, ["demo", "generate", "--into-this-database", *options, *VERSION_1]
    )
    assert result.exit_code == 0, result.output
    yield list(session.exec(select(BenchmarkEntry)).all())
    get_settings.cache_clear()


def test_the_all_group_equals_numpy_on_the_pool(
    client: TestClient, admin: Caller, pool: list[BenchmarkEntry]
) -> None:
    body = client.get(URL, params={"kind": "all"}, headers=researcher(client, admin)).json()
    (everyone,) = body["groups"]
    overall = np.array([e.scores[0] for e in pool])  # overall comes first in a pool
    assert everyone["n"] == len(pool)
    figures = everyone["scores"]["overall"]
    assert figures["median"] == pytest.approx(float(np.median(overall)))
    assert figures["q1"] == pytest.approx(float(np.quantile(overall, 0.25)))
    assert figures["q3"] == pytest.approx(float(np.quantile(overall, 0.75)))
    assert figures["percentile"] is None  # no organisation of one's own here


def test_only_groups_of_at_least_k_are_listed_and_the_rest_are_counted(
    client: TestClient, admin: Caller, pool: list[BenchmarkEntry]
) -> None:
    body = client.get(URL, headers=researcher(client, admin)).json()
    assert body["k"] == 5
    assert all(g["n"] >= 5 for g in body["groups"])
    industries = {e.industry for e in pool}
    shown = {tuple(g["values"]) for g in body["groups"] if g["kind"] == "industry"}
    assert len(shown) < len(industries)  # some industries have fewer than five here
    assert body["withheld_groups"] > 0
    assert "organisation_id" not in str(body)


def test_asking_for_a_small_group_by_name_is_refused_like_one_that_does_not_exist(
    client: TestClient, admin: Caller, pool: list[BenchmarkEntry]
) -> None:
    headers = researcher(client, admin)
    counts: dict[str, int] = {}
    for e in pool:
        counts[e.industry or ""] = counts.get(e.industry or "", 0) + 1
    small = min(counts, key=lambda i: counts[i])
    assert counts[small] < 5
    refused = client.get(URL, params={"kind": "industry", "value": small}, headers=headers)
    missing = client.get(URL, params={"kind": "industry", "value": "no-such"}, headers=headers)
    assert refused.status_code == missing.status_code == 404
    assert refused.json()["detail"].replace(small, "X") == missing.json()["detail"].replace(
        "no-such", "X"
    )


def test_bad_requests_say_what_to_change(
    client: TestClient, admin: Caller, session: Session, pool: list[BenchmarkEntry]
) -> None:
    headers = researcher(client, admin)
    unknown = client.get(URL, params={"score": "nonsense"}, headers=headers)
    assert unknown.status_code == 422
    assert "strategy" in unknown.json()["detail"]
    assert client.get(URL, params={"value": "retail"}, headers=headers).status_code == 422
    plain = make_caller(session, "someone@example.org")
    assert client.get(URL, headers=plain.headers).status_code == 403


def test_a_version_without_a_pool_is_a_clear_404(
    client: TestClient, admin: Caller, published: object
) -> None:
    response = client.get(URL, headers=researcher(client, admin))
    assert response.status_code == 404
    assert "at least 5 organisations" in response.json()["detail"]


def test_beside_real_organisations_researchers_see_and_export_only_the_real_ones(
    client: TestClient,
    admin: Caller,
    session: Session,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = real_clients(session, *(f"Kunde{i} GmbH" for i in range(5)))
    monkeypatch.setenv("ASSESS_DATABASE_URL", database_url)
    get_settings.cache_clear()
    options = ["--organisations", "30", "--respondents", "3", "--seed", "2", "--opt-in-share", "1"]
    result = CliRunner().invoke(
        cli, ["demo", "generate", "--into-this-database", *options, *VERSION_1]
    )
    get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    body = client.get(URL, params={"kind": "all"}, headers=researcher(client, admin)).json()
    assert [g["n"] for g in body["groups"]] == [len(real)]
    version = get_questionnaire_version(session, questionnaire_id="cx-maturity")
    assert version is not None
    exported = exportable_count(session.connection(), version_id=version.id)
    assert exported == 5 * len(real)  # five responses each; none of the demo ones
