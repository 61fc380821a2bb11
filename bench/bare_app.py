"""The baseline of bench/submit.py: a bare FastAPI endpoint inserting one row.

It uses the app's settings and engine (WAL and busy timeout on SQLite, the same pool) and,
on SQLite, holds the same write lock from its INSERT to the commit, as the app's writes
do; so the ratio shows what the app adds.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from sqlalchemy import text

from assess.config import get_settings
from assess.persistence.engine import make_engine
from assess.persistence.repository.common import writing

settings = get_settings()  # the app's, from the same ASSESS_* environment
engine = make_engine(settings.database_url, pool_size=settings.database_pool_size)
key = "SERIAL PRIMARY KEY" if engine.dialect.name == "postgresql" else "INTEGER PRIMARY KEY"
with engine.begin() as connection:
    connection.execute(text(f"CREATE TABLE IF NOT EXISTS bench_rows (id {key}, body TEXT)"))
INSERT = text("INSERT INTO bench_rows (body) VALUES (:b)")

app = FastAPI()


@app.post("/insert")
def insert(body: dict[str, Any]) -> dict[str, bool]:
    """Insert one row."""
    with engine.connect() as connection, writing(connection):
        connection.execute(INSERT, {"b": str(body)})
        connection.commit()
    return {"ok": True}
