"""ICC and alpha across a pool for researchers: the figures the database adds up equal
the domain's computation on the same respondents, and only current entries of
organisations that take part count."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from assess.cli.main import app as cli
from assess.config import get_settings
from assess.domain.icc import GroupSums, agreement, anova_sums
from assess.domain.itemstats import item_statistics_by_organisation
from assess.domain.respondent_levels import respondent_levels
from assess.persistence.models.benchmarks import BenchmarkEntry
from assess.persistence.models.organisations import Organisation
from assess.persistence.repository.benchmarks import set_opt_in
from assess.persistence.repository.questionnaires import get_questionnaire_version, questionnaire_of
from assess.persistence.repository.responses import submitted_with_ids
from assess.results.agreement import level_agreement
from tests.conftest import QUESTIONNAIRES, Caller
from tests.research.exporting import researcher

URL = "/api/v1/research/questionnaires/cx-maturity/versions/1/benchmarks"
VERSION_1 = ["--questionnaire", str(QUESTIONNAIRES / "cx-maturity.yaml")]


@pytest.fixture
def pool(
    session: Session, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[list[BenchmarkEntry]]:
    """Forty synthetic organisations that opted in, each with a closed assessment of a few
    respondents."""
    monkeypatch.setenv("ASSESS_DATABASE_URL", database_url)
    get_settings.cache_clear()
    options = ["--organisations", "40", "--respondents", "4", "--seed", "5", "--opt-in-share", "1"]
    result = CliRunner().invoke(
        cli, ["demo", "generate", "--into-this-database", *options, *VERSION_1]
    )
    assert result.exit_code == 0, result.output
    yield list(session.exec(select(BenchmarkEntry).where(col(BenchmarkEntry.current))).all())
    get_settings.cache_clear()


def expected(session: Session, entries: list[BenchmarkEntry]) -> dict[str, dict[str, object]]:
    """Per level, ICC and alpha computed in Python from the entries' stored responses."""
    version = get_questionnaire_version(session, questionnaire_id="cx-maturity", version=1)
    assert version is not None
    questionnaire = questionnaire_of(version)
    organisations = [
        [r for _, r in submitted_with_ids(session, assessment_id=e.assessment_id)] for e in entries
    ]
    levels = [respondent_levels(questionnaire, responses) for responses in organisations]
    statistics = item_statistics_by_organisation(questionnaire, organisations)
    found: dict[str, dict[str, object]] = {}
    for dimension, reliability in zip(questionnaire.dimensions, statistics.dimensions, strict=True):
        groups = [
            GroupSums(len(s), sum(s), sum(x * x for x in s))
            for s in (kept.scores[dimension.id] for kept in levels)
        ]
        found[dimension.id] = {
            "agreement": agreement(anova_sums(groups)),
            "alpha": reliability.alpha,
            "alpha_n": reliability.n,
            "alpha_standardised": reliability.standardised,
        }
    return found


def test_iccs_added_up_in_the_database_equal_the_domain_on_the_same_respondents(
    client: TestClient, admin: Caller, session: Session, pool: list[BenchmarkEntry]
) -> None:
    body = client.get(URL, headers=researcher(client, admin)).json()
    wanted = expected(session, pool)
    assert set(body["levels"]) == set(wanted)
    for level, figures in body["levels"].items():
        icc = wanted[level]["agreement"]
        assert figures["organisations"] == icc.organisations == len(pool)  # type: ignore[attr-defined]
        assert figures["respondents"] == icc.respondents  # type: ignore[attr-defined]
        assert figures["icc1"] == pytest.approx(icc.icc1, abs=1e-9)  # type: ignore[attr-defined]
        assert figures["icc2"] == pytest.approx(icc.icc2, abs=1e-9)  # type: ignore[attr-defined]
        low, high = figures["icc2_ci95"]
        assert low == pytest.approx(icc.icc2_ci95.low, abs=1e-9)  # type: ignore[attr-defined]
        assert high == pytest.approx(icc.icc2_ci95.high, abs=1e-9)  # type: ignore[attr-defined]
        assert figures["icc1_ci95"][0] <= figures["icc1"] <= figures["icc1_ci95"][1]
        assert figures["alpha"] == pytest.approx(wanted[level]["alpha"], abs=1e-9)
        assert figures["alpha_n"] == wanted[level]["alpha_n"]
        assert figures["alpha_standardised"] == wanted[level]["alpha_standardised"]


def test_one_score_asked_for_gives_that_levels_figures_only(
    client: TestClient, admin: Caller, pool: list[BenchmarkEntry]
) -> None:
    body = client.get(URL, params={"score": "strategy"}, headers=researcher(client, admin))
    assert list(body.json()["levels"]) == ["strategy"]


def test_an_organisation_that_opts_out_leaves_icc_and_alpha(
    client: TestClient, admin: Caller, session: Session, pool: list[BenchmarkEntry]
) -> None:
    leaving = session.get(Organisation, pool[0].organisation_id)
    assert leaving is not None
    set_opt_in(session, organisation=leaving, opt_in=False, k=5)
    body = client.get(URL, headers=researcher(client, admin)).json()
    wanted = expected(session, pool[1:])
    for level, figures in body["levels"].items():
        assert figures["organisations"] == len(pool) - 1
        assert figures["icc1"] == pytest.approx(wanted[level]["agreement"].icc1, abs=1e-9)  # type: ignore[attr-defined]
        assert figures["alpha_n"] == wanted[level]["alpha_n"]


def test_a_pool_of_fewer_than_k_organisations_gives_no_figure(
    session: Session, pool: list[BenchmarkEntry]
) -> None:
    version = get_questionnaire_version(session, questionnaire_id="cx-maturity", version=1)
    assert version is not None
    questionnaire = questionnaire_of(version)
    levels = [d.id for d in questionnaire.dimensions]
    shown = level_agreement(session, questionnaire, len(pool), levels)
    assert all(f["icc1"] is not None for f in shown.values())
    withheld = level_agreement(session, questionnaire, len(pool) + 1, levels)
    for figures in withheld.values():
        assert {k: v for k, v in figures.items() if k != "alpha_standardised"} == dict.fromkeys(
            figures.keys() - {"alpha_standardised"}
        )
