"""`assess demo generate` fills the database: organisations, closed assessments, submitted
responses and score snapshots that equal the scoring engine's on the stored answers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from assess import repository
from assess.cli import app
from assess.config import get_settings
from assess.domain.columns import columns_of, read_entry
from assess.domain.scoring import score_assessment
from assess.models import (
    Assessment,
    AssessmentStatus,
    Organisation,
    Response,
    ResponseStatus,
    ScoreSnapshot,
)

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
    result = runner.invoke(app, ["demo", "generate", *options])
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
    version = repository.get_questionnaire_version(database, questionnaire_id="cx-maturity")
    assert version is not None
    questionnaire = repository.questionnaire_of(version)
    columns = columns_of(questionnaire)
    for response in responses:
        assert read_entry({**response.answers, **response.profile}, columns) == (
            response.answers,
            response.profile,
        )
    for assessment in assessments:
        stored = repository.submitted_responses(database, assessment_id=assessment.id)
        snapshot = database.exec(
            select(ScoreSnapshot).where(ScoreSnapshot.assessment_id == assessment.id)
        ).one()
        assert snapshot.result == score_assessment(questionnaire, stored).to_dict()


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
        ["demo", "generate", "--organisations", "2", "--respondents", "2", "-q", "nothing"],
    )
    assert result.exit_code == 1
    assert "nothing: no such file, and no bundled questionnaire has this id" in result.output
    assert database.exec(select(Organisation)).all() == []


def test_generated_organisations_that_opted_in_form_a_benchmark_pool(database: Session) -> None:
    from assess.models import BenchmarkEntry, PeerGroupFigures

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
