"""`assess demo generate` fills a database of its own (or, when told, one beside real
organisations): organisations, closed assessments, submitted responses and score
snapshots that equal the scoring engine's on the stored answers; demo organisations never
count among real ones."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, update
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from assess.cli.demo_database import DEMO_ADMIN, prepare_to_serve
from assess.cli.main import app
from assess.config import get_settings
from assess.domain.benchmarking import OVERALL, Attributes, Group, GroupKind
from assess.domain.columns import columns_of, read_entry
from assess.domain.pooling import pool_key
from assess.domain.questionnaire import Questionnaire
from assess.domain.scoring import score_assessment
from assess.persistence.models.assessments import Assessment, AssessmentStatus
from assess.persistence.models.benchmarks import BenchmarkEntry, PeerGroupFigures
from assess.persistence.models.organisations import Organisation
from assess.persistence.models.responses import Response, ResponseStatus, ScoreSnapshot
from assess.persistence.repository.accounts import (
    count_organisations_for,
    get_user_by_email,
    organisations_for,
)
from assess.persistence.repository.benchmarks import refresh_pool
from assess.persistence.repository.peer_groups import comparison_for
from assess.persistence.repository.questionnaires import get_questionnaire_version, questionnaire_of
from assess.persistence.repository.responses import submitted_responses
from assess.persistence.repository.signin import user_for_password
from tests.clients import real_clients
from tests.conftest import make_caller

runner = CliRunner()


@pytest.fixture
def database(
    session: Session, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Session]:
    """The test database as ASSESS_DATABASE_URL (emptied after the test)."""
    monkeypatch.setenv("ASSESS_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield session
    get_settings.cache_clear()


def generate(*options: str) -> str:
    """Demo data into the test database (ASSESS_DATABASE_URL)."""
    result = runner.invoke(app, ["demo", "generate", "--into-this-database", *options])
    assert result.exit_code == 0, result.output
    return result.output


def snapshots_by_name(session: Session) -> dict[str, dict]:
    rows = session.exec(
        select(Organisation.name, ScoreSnapshot.result)
        .join(Assessment, col(Assessment.organisation_id) == col(Organisation.id))
        .join(ScoreSnapshot, col(ScoreSnapshot.assessment_id) == col(Assessment.id))
    ).all()
    return dict(rows)


def test_generate_fills_the_database_and_snapshots_match_the_stored_answers(
    database: Session,
) -> None:
    output = generate("--organisations", "30", "--respondents", "4", "--seed", "3")
    assert "30 organisations" in output
    assert "120 responses" in output
    assert "seed 3" in output
    organisations = database.exec(select(Organisation)).all()
    assessments = database.exec(select(Assessment)).all()
    assert len(organisations) == 30
    assert {a.status for a in assessments} == {AssessmentStatus.closed}
    responses = database.exec(select(Response)).all()
    assert len(responses) == 120
    assert {r.status for r in responses} == {ResponseStatus.submitted}
    version = get_questionnaire_version(database, questionnaire_id="cx-maturity")
    assert version is not None
    questionnaire = questionnaire_of(version)
    columns = columns_of(questionnaire)
    for response in responses:
        assert read_entry({**response.answers, **response.profile}, columns) == (
            response.answers,
            response.profile,
        )
    for assessment in assessments:
        stored = submitted_responses(database, assessment_id=assessment.id)
        snapshot = database.exec(
            select(ScoreSnapshot).where(ScoreSnapshot.assessment_id == assessment.id)
        ).one()
        assert snapshot.result == score_assessment(questionnaire, stored).to_dict()


def test_generate_answers_the_newest_version_with_one_lead_per_organisation(
    database: Session,
) -> None:
    generate("--organisations", "12", "--respondents", "4", "--seed", "8")
    version = get_questionnaire_version(database, questionnaire_id="cx-maturity")
    assert version is not None
    assert version.version == 2
    questionnaire = questionnaire_of(version)
    facts = [item.id for _, item in questionnaire.items() if item.informant == "lead"]
    assert facts
    for assessment in database.exec(select(Assessment)).all():
        stored = submitted_responses(database, assessment_id=assessment.id)
        (lead,) = [r for r in stored if r.lead]
        assert lead.profile["business-model"] in {"b2b", "b2c", "both"}
        assert all(r.importance for r in stored)
        snapshot = database.exec(
            select(ScoreSnapshot).where(ScoreSnapshot.assessment_id == assessment.id)
        ).one()
        # The lead's facts count once, for the organisation (rule 7: n = 1 where scored).
        assert {snapshot.result["items"][f]["n"] for f in facts} <= {0, 1}
        assert any(snapshot.result["items"][f]["n"] == 1 for f in facts)


def test_demo_stats_prints_alpha_per_level_of_synthetic_answers_the_same_for_a_seed() -> None:
    options = ["demo", "stats", "--organisations", "20", "--respondents", "4", "--seed", "3"]
    first = runner.invoke(app, [*options, "--json"])
    again = runner.invoke(app, [*options, "--json"])
    assert first.exit_code == 0, first.output
    assert first.stdout == again.stdout
    figures = json.loads(first.stdout)
    assert figures["seed"] == 3
    assert figures["respondents"] == 80
    for dimension in figures["dimensions"].values():
        assert 0 < dimension["alpha"] <= 1
        assert all("alpha_if_deleted" in item for item in dimension["items"].values())
    tables = runner.invoke(app, [*options, "--lang", "de"])
    assert tables.exit_code == 0, tables.output
    strategy = figures["dimensions"]["strategy"]["alpha"]
    assert f"alpha {strategy:.3f}".replace(".", ",") in tables.output
    assert "strategy-anchoring (Fakt)" in tables.output
    assert "20 synthetische Organisationen mit je 4 Befragten, Seed 3" in tables.output


def test_the_same_seed_gives_the_same_scores_and_a_share_opts_in(database: Session) -> None:
    options = ["--organisations", "40", "--respondents", "3", "--seed", "9"]
    generate(*options, "--opt-in-share", "0.5")
    first = snapshots_by_name(database)
    opted_in = database.exec(select(Organisation).where(col(Organisation.benchmark_opt_in))).all()
    assert 10 < len(opted_in) < 30
    for table in (ScoreSnapshot, Response, Assessment, Organisation):
        for row in database.exec(select(table)).all():
            database.delete(row)
        database.commit()
    generate(*options, "--opt-in-share", "0.5")
    assert snapshots_by_name(database) == first
    assert len(first) == 40


def test_an_unknown_questionnaire_is_refused_and_nothing_is_written(database: Session) -> None:
    result = runner.invoke(
        app,
        [
            *("demo", "generate", "--into-this-database", "--organisations", "2"),
            *("--respondents", "2", "-q", "nothing"),
        ],
    )
    assert result.exit_code == 1
    assert "nothing: no such file, and no bundled questionnaire has the id 'nothing'" in (
        result.output
    )
    assert database.exec(select(Organisation)).all() == []


def test_generated_organisations_that_opted_in_form_a_benchmark_pool(database: Session) -> None:

    generate("--organisations", "40", "--respondents", "3", "--seed", "5", "--opt-in-share", "1")
    entries = database.exec(select(BenchmarkEntry)).all()
    complete = [
        s
        for s in database.exec(select(ScoreSnapshot.result)).all()
        if s["overall"]["score"] is not None
    ]
    assert len(entries) == len(complete)  # every organisation with all level scores
    everyone = database.exec(select(PeerGroupFigures).where(PeerGroupFigures.kind == "all")).one()
    assert everyone.organisations == len(entries)
    assert everyone.shown


def test_demo_data_goes_to_a_database_of_its_own_beside_the_configured_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSESS_DATABASE_URL", f"sqlite:///{tmp_path / 'assess.db'}")
    get_settings.cache_clear()
    try:
        result = runner.invoke(
            app, ["demo", "generate", "--organisations", "6", "--respondents", "2"]
        )
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert f"into sqlite:///{tmp_path / 'assess-demo.db'}" in result.output
    assert not (tmp_path / "assess.db").exists()
    engine = create_engine(f"sqlite:///{tmp_path / 'assess-demo.db'}")
    try:
        with Session(engine) as demo:
            marked = demo.exec(select(Organisation.is_demo)).all()
    finally:
        engine.dispose()
    assert marked == [True] * 6


def everyone_compared(session: Session, questionnaire: Questionnaire, *, demo: bool) -> int:
    """How many organisations the peer group of all counts, in the real or the demo pool."""
    comparison = comparison_for(
        session,
        questionnaire=questionnaire,
        attributes=Attributes("retail", "250-999", "de"),
        own={},
        k=5,
        demo=demo,
    )
    return comparison.peers[OVERALL][Group(GroupKind.all)].n


def test_a_database_with_real_organisations_is_refused_and_says_what_to_do(
    database: Session, database_url: str
) -> None:
    real_clients(database, "Muster GmbH")
    result = runner.invoke(
        app,
        [
            *("demo", "generate", "--organisations", "3", "--respondents", "2"),
            *("--database-url", database_url),
        ],
    )
    assert result.exit_code == 1
    assert "holds 1 real organisation: demo data goes to a database of its own" in result.output
    assert "add --into-this-database" in result.output
    assert [o.name for o in database.exec(select(Organisation)).all()] == ["Muster GmbH"]


def test_a_demo_database_in_a_folder_that_does_not_exist_is_refused_with_what_to_do(
    tmp_path: Path,
) -> None:
    missing = tmp_path / "no-such-folder" / "demo.db"
    result = runner.invoke(
        app,
        [
            *("demo", "generate", "--organisations", "3", "--respondents", "2"),
            *("--database-url", f"sqlite:///{missing}"),
        ],
    )
    assert result.exit_code == 1
    assert f"The folder {missing.parent} for the demo database does not exist" in result.output
    assert not missing.parent.exists()


def test_beside_real_organisations_demo_ones_never_count_in_their_peer_groups_or_lists(
    database: Session,
) -> None:
    real = real_clients(database, *(f"Kunde{i} GmbH" for i in range(5)))
    # the real clients answered version 1, and benchmarks keep versions apart
    generate(
        "--organisations",
        "30",
        "--respondents",
        "3",
        "--seed",
        "4",
        "--opt-in-share",
        "1",
        "--questionnaire",
        "cx-maturity@1",
    )
    demo = database.exec(select(Organisation).where(col(Organisation.is_demo))).all()
    assert len(demo) == 30
    version = get_questionnaire_version(database, questionnaire_id="cx-maturity")
    assert version is not None
    questionnaire = questionnaire_of(version)

    # the real clients, and none of the 30 demo ones
    assert everyone_compared(database, questionnaire, demo=False) == 5
    demo_entries = database.exec(
        select(BenchmarkEntry).where(col(BenchmarkEntry.organisation_id).in_([o.id for o in demo]))
    ).all()
    assert everyone_compared(database, questionnaire, demo=True) == len(demo_entries) > 20
    admin = make_caller(database, "admin@example.org", admin=True).user
    listed = organisations_for(database, user=admin)
    assert [o.name for o in listed] == [o.name for o in real]
    assert count_organisations_for(database, user=admin) == 5


def test_serving_a_demo_database_gives_its_admin_a_new_password_each_time(
    database: Session, database_url: str
) -> None:
    generate("--organisations", "3", "--respondents", "2")
    first = prepare_to_serve(database_url)
    second = prepare_to_serve(database_url)
    assert first != second
    database.expire_all()
    admin = user_for_password(database, email=DEMO_ADMIN, password=second)
    assert admin is not None
    assert (admin.is_admin, admin.is_researcher) == (True, True)
    assert user_for_password(database, email=DEMO_ADMIN, password=first) is None


def test_serving_refuses_a_database_with_real_organisations_or_without_demo_ones(
    database: Session, database_url: str
) -> None:
    empty = runner.invoke(app, ["demo", "serve", "--database-url", database_url])
    assert empty.exit_code == 1
    assert "holds no demo organisations yet: fill it first" in empty.output
    real_clients(database, "Muster GmbH")
    refused = runner.invoke(app, ["demo", "serve", "--database-url", database_url])
    assert refused.exit_code == 1
    assert "serves demo databases only" in refused.output
    assert get_user_by_email(database, email=DEMO_ADMIN) is None


def test_separate_marks_demo_organisations_an_earlier_version_put_among_real_ones(
    database: Session,
) -> None:
    real = real_clients(database, *(f"Kunde{i} GmbH" for i in range(5)))
    generate("--organisations", "20", "--respondents", "3", "--seed", "6", "--opt-in-share", "1")
    # As an earlier `demo generate` left them: unmarked, in the real organisations' pool.
    version = get_questionnaire_version(database, questionnaire_id="cx-maturity")
    assert version is not None
    questionnaire = questionnaire_of(version)
    real_pool = pool_key(questionnaire)
    demo_pool = pool_key(questionnaire, demo=True)
    database.execute(update(Organisation).values(is_demo=False))
    database.execute(update(BenchmarkEntry).values(pool_key=real_pool))
    database.commit()
    refresh_pool(database, pool_key=real_pool, k=5)
    refresh_pool(database, pool_key=demo_pool, k=5)
    assert everyone_compared(database, questionnaire, demo=False) > 20

    result = runner.invoke(app, ["demo", "separate"])
    assert result.exit_code == 0, result.output
    assert "20 demo organisations of" in result.output
    assert everyone_compared(database, questionnaire, demo=False) == len(real)
    assert everyone_compared(database, questionnaire, demo=True) > 15
    admin = make_caller(database, "admin@example.org", admin=True).user
    listed = organisations_for(database, user=admin)
    assert [o.name for o in listed] == [o.name for o in real]
    again = runner.invoke(app, ["demo", "separate"])
    assert "holds no unmarked demo organisations" in again.output
