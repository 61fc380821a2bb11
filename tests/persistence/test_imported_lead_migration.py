"""The migration that keeps an imported answers file's lead: responses already stored
(through links and imported) are no one's imported lead, the invitation marked as the lead
stays the lead, and one imported lead per assessment is all the index takes. On SQLite,
and on PostgreSQL with ASSESS_TEST_DATABASE_URL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from assess.persistence.engine import alembic_config
from assess.persistence.repository.invitations import lead_label
from assess.persistence.repository.responses import submitted_with_ids

BEFORE = "20a1d0c5e7b3"
NOW = datetime(2026, 12, 1, tzinfo=UTC)
UUIDS = {"id", "organisation_id", "assessment_id", "questionnaire_version_id", "invitation_id"}


def table(name: str, *columns: str) -> sa.TableClause:
    """A table as the rows below need it: ids as UUIDs, times with their zone, JSON."""
    kinds = {"created_at": sa.DateTime(timezone=True), "updated_at": sa.DateTime(timezone=True)}
    kinds |= {
        "submitted_at": sa.DateTime(timezone=True),
        "answers": sa.JSON(),
        "profile": sa.JSON(),
    }
    return sa.table(
        name, *(sa.column(c, sa.Uuid() if c in UUIDS else kinds.get(c)) for c in columns)
    )


def fill(engine: sa.Engine) -> uuid.UUID:
    """An assessment with a response through the lead's link and two imported ones."""
    organisation, version, assessment, invitation = (uuid.uuid4() for _ in range(4))
    rows: list[tuple[sa.TableClause, dict]] = [
        (
            table("organisations", "id", "name", "benchmark_opt_in", "created_at"),
            {"id": organisation, "name": "Us", "benchmark_opt_in": False, "created_at": NOW},
        ),
        (
            table(
                "questionnaire_versions",
                *("id", "questionnaire_id", "version", "source", "sha256", "created_at"),
            ),
            {
                "id": version,
                "questionnaire_id": "q",
                "version": 1,
                "source": "",
                "sha256": "0" * 64,
                "created_at": NOW,
            },
        ),
        (
            table(
                "assessments",
                *("id", "organisation_id", "questionnaire_version_id", "name", "status"),
                *("kind", "show_own_scores", "created_at"),
            ),
            {
                "id": assessment,
                "organisation_id": organisation,
                "questionnaire_version_id": version,
                "name": "wave",
                "status": "open",
                "kind": "assessment",
                "show_own_scores": False,
                "created_at": NOW,
            },
        ),
        (
            table(
                "invitations", "id", "assessment_id", "label", "token_hash", "lead", "created_at"
            ),
            {
                "id": invitation,
                "assessment_id": assessment,
                "label": "Anna",
                "token_hash": "0" * 64,
                "lead": True,
                "created_at": NOW,
            },
        ),
    ]
    responses = table(
        "responses",
        "id",
        "assessment_id",
        "invitation_id",
        "respondent",
        "answers",
        "profile",
        "status",
        "created_at",
        "updated_at",
        "submitted_at",
    )
    for n, (label, through) in enumerate([("Anna", invitation), ("r1", None), ("r2", None)]):
        stored = {
            "id": uuid.uuid4(),
            "assessment_id": assessment,
            "invitation_id": through,
            "respondent": label,
            "answers": {"strategy-purpose": float(n + 1)},
            "profile": {},
            "status": "submitted",
            "created_at": NOW,
            "updated_at": NOW,
            "submitted_at": NOW,
        }
        rows.append((responses, stored))
    with engine.begin() as connection:
        for made, values in rows:
            connection.execute(made.insert().values(**values))
    return assessment


def test_responses_stored_before_are_no_imported_lead_and_the_invited_lead_stays(
    empty_url: str,
) -> None:
    """On SQLite, or on the server of ASSESS_TEST_DATABASE_URL."""
    config = alembic_config(empty_url)
    command.upgrade(config, BEFORE)
    engine = sa.create_engine(empty_url)
    try:
        assessment = fill(engine)
        command.upgrade(config, "head")
        with engine.connect() as connection:
            kept = connection.execute(sa.text("SELECT respondent, lead FROM responses")).all()
        assert sorted(map(tuple, kept)) == [("Anna", False), ("r1", False), ("r2", False)]
        with Session(engine) as session:
            read = submitted_with_ids(session, assessment_id=assessment)
            assert sorted((r.respondent, r.lead) for _, r in read) == [
                ("Anna", True),
                ("r1", False),
                ("r2", False),
            ]
            assert lead_label(session, assessment_id=assessment) == "Anna"
        marked = sa.text("UPDATE responses SET lead = :lead WHERE respondent = :respondent")
        with engine.begin() as connection:
            connection.execute(marked, {"lead": True, "respondent": "r1"})
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(marked, {"lead": True, "respondent": "r2"})

        command.downgrade(config, BEFORE)
        with engine.connect() as connection:
            columns = {c["name"] for c in sa.inspect(connection).get_columns("responses")}
            left = connection.execute(sa.text("SELECT count(*) FROM responses")).scalar_one()
        assert "lead" not in columns
        assert left == 3
    finally:
        engine.dispose()
