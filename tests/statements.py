"""The statements a database driver sends, however they were run: through SQLAlchemy's
execute or, on the respondents' routes, straight on the driver's cursor."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event


@contextmanager
def sent_statements(engine: Engine) -> Iterator[list[str]]:
    """The SQL of every statement the engine's connections run while this is open, in
    order: SQLite's trace callback sees each one; psycopg's connections get a cursor
    class that notes each before running it."""
    statements: list[str] = []
    kept: dict[int, Any] = {}

    def watch(driver: Any, record: Any, proxy: Any) -> None:
        if engine.dialect.name == "sqlite":
            driver.set_trace_callback(statements.append)
            return
        kept[id(driver)] = base = driver.cursor_factory

        class Noting(base):  # type: ignore[misc, valid-type]
            def execute(self, query: Any, *args: Any, **kwargs: Any) -> Any:
                statements.append(str(query))
                return super().execute(query, *args, **kwargs)

        driver.cursor_factory = Noting

    def unwatch(driver: Any, record: Any) -> None:
        if engine.dialect.name == "sqlite":
            driver.set_trace_callback(None)
        elif id(driver) in kept:
            driver.cursor_factory = kept.pop(id(driver))

    event.listen(engine, "checkout", watch)
    event.listen(engine, "checkin", unwatch)
    try:
        yield statements
    finally:
        event.remove(engine, "checkout", watch)
        event.remove(engine, "checkin", unwatch)
