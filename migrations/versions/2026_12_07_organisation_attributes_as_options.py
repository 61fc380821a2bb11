"""organisation attributes as options: free-text industry, size and country become the
default questionnaire's option values; values that match no option are kept apart

Revision ID: 18a1c0de5f01
Revises: 18e1c0d3b2a4
Create Date: 2026-12-06 23:40:00.000000

A value matches an option when it is the option's value or its German or English label,
ignoring case, spaces, kinds of dash and thousands separators ("Handel" -> retail,
"250 - 999" -> 250-999, "Deutschland" -> de). A value that matches none moves to
`organisations.unmatched_attributes`, where the console lists it for someone to choose an
option, and leaves the peer groups. Pool entries take the same values, and the figures of
the pools whose entries changed are marked for computing anew (k = 0: a refresh never
leaves it so) when first read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "18a1c0de5f01"
down_revision: str | None = "18e1c0d3b2a4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

# The default questionnaire's options as this revision knows them: value -> (de, en).
OPTIONS: dict[str, dict[str, tuple[str, str]]] = {
    "industry": {
        "retail": ("Handel", "Retail"),
        "manufacturing": ("Industrie", "Manufacturing"),
        "financial-services": ("Banken und Versicherungen", "Banking and insurance"),
        "telecom-it": ("Telekommunikation und IT", "Telecommunications and IT"),
        "energy-utilities": ("Energie und Versorgung", "Energy and utilities"),
        "healthcare": ("Gesundheit", "Healthcare"),
        "tourism-mobility": ("Tourismus und Mobilität", "Travel and mobility"),
        "professional-services": ("Dienstleistungen und Beratung", "Professional services"),
        "public-sector": ("Öffentliche Hand", "Public sector"),
        "other": ("Andere", "Other"),
    },
    "size": {
        "1-49": ("1–49", "1–49"),
        "50-249": ("50–249", "50–249"),
        "250-999": ("250–999", "250–999"),
        "1000-4999": ("1.000–4.999", "1,000–4,999"),
        "5000-plus": ("5.000 und mehr", "5,000 or more"),
    },
    "country": {
        "de": ("Deutschland", "Germany"),
        "at": ("Österreich", "Austria"),
        "ch": ("Schweiz", "Switzerland"),
        "nl": ("Niederlande", "Netherlands"),
        "be": ("Belgien", "Belgium"),
        "fr": ("Frankreich", "France"),
        "it": ("Italien", "Italy"),
        "es": ("Spanien", "Spain"),
        "pl": ("Polen", "Poland"),
        "dk": ("Dänemark", "Denmark"),
        "se": ("Schweden", "Sweden"),
        "no": ("Norwegen", "Norway"),
        "gb": ("Vereinigtes Königreich", "United Kingdom"),
        "other": ("Anderes Land", "Other country"),
    },
}

_DASHES = re.compile(r"[\u2010-\u2015\u2212\-]")
_THOUSANDS = re.compile(r"(?<=\d)[.,'\u2009\u202f ](?=\d{3}(?!\d))")
_SPACE = re.compile(r"\s+")


def _plain(text: str) -> str:
    text = _DASHES.sub("-", text.casefold())
    return _SPACE.sub("", _THOUSANDS.sub("", text))


_MATCHES = {
    attribute: {
        _plain(text): value for value, labels in options.items() for text in (value, *labels)
    }
    for attribute, options in OPTIONS.items()
}


def mapped(attribute: str, text: str | None) -> str | None:
    """The option value a stored text means; None for an empty one or one that matches
    no option."""
    if text is None or not text.strip():
        return None
    return _MATCHES[attribute].get(_plain(text))


organisations = sa.table(
    "organisations",
    sa.column("id", sa.Uuid()),
    sa.column("industry", sa.String()),
    sa.column("size", sa.String()),
    sa.column("country", sa.String()),
    sa.column("unmatched_attributes", JSON),
)
entries = sa.table(
    "benchmark_entries",
    sa.column("id", sa.Uuid()),
    sa.column("pool_key", sa.String()),
    sa.column("industry", sa.String()),
    sa.column("size", sa.String()),
    sa.column("country", sa.String()),
)
figures = sa.table("peer_group_figures", sa.column("pool_key", sa.String()), sa.column("k"))


def upgrade() -> None:
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("unmatched_attributes", JSON, nullable=False, server_default="{}")
        )
    connection = op.get_bind()
    for row in connection.execute(sa.select(organisations)).all():
        values, unmatched = {}, {}
        for attribute in OPTIONS:
            text = getattr(row, attribute)
            values[attribute] = mapped(attribute, text)
            if values[attribute] is None and text is not None and text.strip():
                unmatched[attribute] = text
        connection.execute(
            organisations.update()
            .where(organisations.c.id == row.id)
            .values(**values, unmatched_attributes=unmatched)
        )
    stale = set()
    for row in connection.execute(sa.select(entries)).all():
        values = {a: mapped(a, getattr(row, a)) for a in OPTIONS}
        if values != {a: getattr(row, a) for a in OPTIONS}:
            connection.execute(entries.update().where(entries.c.id == row.id).values(**values))
            stale.add(row.pool_key)
    if stale:
        connection.execute(figures.update().where(figures.c.pool_key.in_(stale)).values(k=0))


def downgrade() -> None:
    """Put unmatched values back in their columns (matched ones keep their option value)."""
    connection = op.get_bind()
    for row in connection.execute(sa.select(organisations)).all():
        unmatched = row.unmatched_attributes
        if isinstance(unmatched, str):
            unmatched = json.loads(unmatched)
        if unmatched:
            connection.execute(
                organisations.update().where(organisations.c.id == row.id).values(**unmatched)
            )
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_column("unmatched_attributes")
