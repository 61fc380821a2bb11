"""respondent level scores: a closed assessment's snapshot keeps its respondents' level
scores and each level's item moments, so that ICC and alpha across a benchmark pool are
added up in the database

Revision ID: 22a7c3e9b1d4
Revises: 21b4e6a8c0d2
Create Date: 2026-12-08 09:00:00.000000

Filled for every assessment with a benchmark entry, from the responses its latest release
counts (all its submitted responses where it has no release, as a demo's snapshot is
scored), scored as `assess.domain.respondent_levels` scores them at closing.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from assess.domain.answers import from_stored
from assess.domain.questionnaire import Questionnaire
from assess.domain.respondent_levels import respondent_levels
from assess.domain.validation import parse_questionnaire

revision: str = "22a7c3e9b1d4"
down_revision: str | None = "21b4e6a8c0d2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

entries = sa.table("benchmark_entries", sa.column("assessment_id", sa.Uuid()))
assessments = sa.table(
    "assessments", sa.column("id", sa.Uuid()), sa.column("questionnaire_version_id", sa.Uuid())
)
versions = sa.table(
    "questionnaire_versions",
    sa.column("id", sa.Uuid()),
    sa.column("questionnaire_id", sa.String()),
    sa.column("version", sa.Integer()),
    sa.column("source", sa.Text()),
)
responses = sa.table(
    "responses",
    sa.column("id", sa.Uuid()),
    sa.column("assessment_id", sa.Uuid()),
    sa.column("invitation_id", sa.Uuid()),
    sa.column("respondent", sa.String()),
    sa.column("answers", JSON),
    sa.column("profile", JSON),
    sa.column("status", sa.String()),
    sa.column("submitted_at", sa.DateTime(timezone=True)),
    sa.column("lead", sa.Boolean()),
)
invitations = sa.table("invitations", sa.column("id", sa.Uuid()), sa.column("lead", sa.Boolean()))
releases = sa.table(
    "result_releases",
    sa.column("assessment_id", sa.Uuid()),
    sa.column("seq", sa.Integer()),
    sa.column("responses", JSON),
)


def upgrade() -> None:
    scores = op.create_table(
        "respondent_level_scores",
        sa.Column("assessment_id", sa.Uuid(), nullable=False),
        sa.Column("level", sa.String(length=64), nullable=False),
        sa.Column("respondent", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessments.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("assessment_id", "level", "respondent"),
    )
    moments = op.create_table(
        "level_item_moments",
        sa.Column("assessment_id", sa.Uuid(), nullable=False),
        sa.Column("level", sa.String(length=64), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("means", JSON, nullable=False),
        sa.Column("comoment", JSON, nullable=False),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessments.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("assessment_id", "level"),
    )
    _fill(op.get_bind(), scores, moments)


def downgrade() -> None:
    op.drop_table("level_item_moments")
    op.drop_table("respondent_level_scores")


def _fill(connection: sa.Connection, scores: sa.Table, moments: sa.Table) -> None:
    rows = connection.execute(
        sa.select(
            assessments.c.id, versions.c.questionnaire_id, versions.c.version, versions.c.source
        )
        .select_from(
            entries.join(assessments, assessments.c.id == entries.c.assessment_id).join(
                versions, versions.c.id == assessments.c.questionnaire_version_id
            )
        )
        .distinct()
    ).all()
    parsed: dict[tuple[str, int], Questionnaire] = {}
    for row in rows:
        key = (row.questionnaire_id, row.version)
        if key not in parsed:
            parsed[key] = parse_questionnaire(row.source, f"{key[0]} v{key[1]}")
        levels = respondent_levels(parsed[key], _counted(connection, row.id))
        score_rows = [
            {"assessment_id": row.id, "level": level, "respondent": i, "score": score}
            for level, values in levels.scores.items()
            for i, score in enumerate(values)
        ]
        if score_rows:
            connection.execute(scores.insert(), score_rows)
        connection.execute(
            moments.insert(),
            [
                {
                    "assessment_id": row.id,
                    "level": level,
                    "n": m.n,
                    "means": list(m.mean),
                    "comoment": [list(line) for line in m.comoment],
                }
                for level, m in levels.moments.items()
            ],
        )


def _counted(connection: sa.Connection, assessment_id: uuid.UUID) -> list[Any]:
    """The submitted responses the assessment's latest release counts (all without one),
    typed, the lead's marked."""
    release = connection.execute(
        sa.select(releases.c.responses)
        .where(releases.c.assessment_id == assessment_id)
        .order_by(releases.c.seq.desc())
        .limit(1)
    ).scalar()
    stored = connection.execute(
        sa.select(
            responses.c.id,
            responses.c.respondent,
            responses.c.answers,
            responses.c.profile,
            sa.or_(invitations.c.lead.is_(True), responses.c.lead.is_(True)).label("is_lead"),
        )
        .select_from(
            responses.outerjoin(invitations, invitations.c.id == responses.c.invitation_id)
        )
        .where(
            responses.c.assessment_id == assessment_id,
            # An enum on PostgreSQL, which compares with no text: compare its text.
            sa.cast(responses.c.status, sa.String()) == "submitted",
        )
        .order_by(responses.c.submitted_at, responses.c.respondent, responses.c.id)
    ).all()
    counted = None if release is None else set(release)
    return [
        from_stored(r.respondent, r.answers or {}, r.profile or {}, lead=bool(r.is_lead))
        for r in stored
        if counted is None or str(r.id) in counted
    ]
