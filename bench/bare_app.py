"""The baseline of bench/submit.py: a bare FastAPI endpoint inserting one row.

It uses the same engine settings as the app (WAL and busy timeout on SQLite) and, on
SQLite, the same one-writer-at-a-time lock, so the ratio shows what the app adds.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from fastapi import FastAPI
from sqlalchemy import text

from assess.db import make_engine

engine = make_engine(os.environ["BENCH_DATABASE_URL"])
lock = threading.Lock() if engine.dialect.name == "sqlite" else None
key = "SERIAL PRIMARY KEY" if engine.dialect.name == "postgresql" else "INTEGER PRIMARY KEY"
with engine.begin() as connection:
    connection.execute(text(f"CREATE TABLE IF NOT EXISTS bench_rows (id {key}, body TEXT)"))

app = FastAPI()


@app.post("/insert")
def insert(body: dict[str, Any]) -> dict[str, bool]:
    """Insert one row."""
    if lock is None:
        return _insert(body)
    with lock:
        return _insert(body)


def _insert(body: dict[str, Any]) -> dict[str, bool]:
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO bench_rows (body) VALUES (:b)"), {"b": str(body)})
    return {"ok": True}
