"""Statements of the respondents' routes, compiled once for each database and run on the
driver's cursor with their types' own conversions.

On those routes SQLAlchemy's execute cost three times what SQLite takes to run the
statement (an execution context, a result object and its rows, for a lookup by key); a
save runs three statements. A Direct statement keeps what does not change from call to
call (the SQL, the order of its parameters, each type's conversion) and leaves the rest
to the driver. Errors come out as SQLAlchemy's, a broken connection invalidated, as from
Connection.execute, so that callers and the error handlers tell them apart alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Executable
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ClauseElement

Convert = Callable[[Any], Any] | None


@dataclass(frozen=True)
class _Compiled:
    """A statement as one database runs it."""

    compiled: SQLCompiler
    # The parameters' names in the order of the SQL's placeholders; None where the
    # driver takes them by name.
    order: tuple[str, ...] | None
    binds: Mapping[str, Convert]
    results: list[Convert]

    def parameters(self, values: dict[str, Any]) -> Sequence[Any] | MutableMapping[str, Any]:
        """What the driver gets for `values` (and the statement's own literal values)."""
        named = self.compiled.construct_params(values)
        for name, convert in self.binds.items():
            if convert is not None and name in named:
                named[name] = convert(named[name])
        if self.order is None:
            return named
        return [named[name] for name in self.order]

    def row(self, raw: Sequence[Any]) -> tuple[Any, ...]:
        """A row from the driver, each value as its column's type reads it."""
        return tuple(
            value if convert is None or value is None else convert(value)
            for convert, value in zip(self.results, raw, strict=True)
        )


class Direct:
    """A statement (a Core select, insert with RETURNING, or typed text) that runs on the
    driver's cursor; see the module's docstring. An insert names the columns it is given
    values for in `values`, and must be given a value for each of them on every call (a
    default computed in Python, as SQLAlchemy's execute would, is not for this path)."""

    def __init__(self, statement: ClauseElement, *, values: Iterable[str] | None = None) -> None:
        self.statement = statement
        self._values = sorted(values) if values is not None else None
        columns = list(getattr(statement, "exported_columns", []))
        self.keys: tuple[str, ...] = tuple(column.key for column in columns)
        self.types = [column.type for column in columns]
        self._by_dialect: WeakKeyDictionary[Dialect, _Compiled] = WeakKeyDictionary()

    def __repr__(self) -> str:
        return f"Direct({self.statement!r})"

    def compiled(self, dialect: Dialect) -> _Compiled:
        """The statement as `dialect` runs it, compiled on first use."""
        found = self._by_dialect.get(dialect)
        if found is None:
            found = self._by_dialect[dialect] = self._compile(dialect)
        return found

    def _compile(self, dialect: Dialect) -> _Compiled:
        compiled = self.statement.compile(dialect=dialect, column_keys=self._values)
        assert isinstance(compiled, SQLCompiler)
        # Parameters expanded at run time (IN lists, literal values) and defaults computed
        # in Python would need SQLAlchemy's own execution: such a statement is not for
        # this path.
        if compiled.literal_execute_params or compiled.post_compile_params:
            raise ValueError(f"{self!r}: a statement with expanding parameters cannot run direct")
        if compiled.insert_prefetch or compiled.update_prefetch:
            missing = [c.key for c in [*compiled.insert_prefetch, *compiled.update_prefetch]]
            raise ValueError(f"{self!r}: give values for {', '.join(missing)} too")
        binds = {
            name: bind.type.dialect_impl(dialect).bind_processor(dialect)
            for name, bind in compiled.binds.items()
        }
        results = [
            kind.dialect_impl(dialect).result_processor(dialect, None) for kind in self.types
        ]
        order = tuple(compiled.positiontup or ()) if dialect.positional else None
        return _Compiled(compiled, order, binds, results)

    def rows(self, connection: Connection, parameters: dict[str, Any]) -> list[tuple[Any, ...]]:
        """Run the statement with `parameters` on `connection`'s driver connection (in the
        transaction that holds, if any; committing is the caller's); its rows."""
        compiled = self.compiled(connection.dialect)
        values = compiled.parameters(parameters)
        driver = connection.connection.dbapi_connection
        assert driver is not None  # a Connection open in a with-block has its DBAPI one
        cursor = driver.cursor()
        try:
            cursor.execute(compiled.compiled.string, values)
            fetched = cursor.fetchall() if cursor.description is not None else []
        except connection.dialect.loaded_dbapi.Error as exc:
            raise _wrapped(connection, exc, compiled.compiled.string, values, cursor) from exc
        finally:
            cursor.close()
        return [compiled.row(raw) for raw in fetched]

    def mapping(self, row: Sequence[Any]) -> dict[str, Any]:
        """A row of this statement as a dict by column key."""
        return dict(zip(self.keys, row, strict=True))


def run(
    connection: Connection, statement: Executable | Direct, parameters: dict[str, Any]
) -> list[Any]:
    """Execute `statement` on `connection` (not committed); its rows: tuples from a Direct
    statement, Row objects from any other."""
    if isinstance(statement, Direct):
        return statement.rows(connection, parameters)
    return list(connection.execute(statement, parameters))


def commit(connection: Connection) -> None:
    """Commit what Direct statements (and any others) did on `connection`; a failure comes
    out as SQLAlchemy's error, as from execute (on SQLite in WAL mode a full disk shows at
    the commit, not at the statement)."""
    if connection.in_transaction():
        connection.commit()
    _finish(connection, "commit")


def rollback(connection: Connection) -> None:
    """Undo what Direct statements (and any others) did on `connection`, where it still
    stands."""
    if connection.in_transaction():
        connection.rollback()
    if not connection.invalidated:
        _finish(connection, "rollback")


def _finish(connection: Connection, action: str) -> None:
    driver = connection.connection.dbapi_connection
    assert driver is not None  # a Connection open in a with-block has its DBAPI one
    try:
        getattr(driver, action)()
    except connection.dialect.loaded_dbapi.Error as exc:
        raise _wrapped(connection, exc, action.upper(), None, None) from exc


def _wrapped(
    connection: Connection, error: Exception, sql: str, values: Any, cursor: Any
) -> DBAPIError:
    """The driver's `error` as SQLAlchemy raises it from Connection.execute; a connection
    that broke is invalidated, so the pool opens a new one."""
    dialect = connection.dialect
    driver = connection.connection.dbapi_connection
    broken = dialect.is_disconnect(error, driver, cursor)  # type: ignore[arg-type]
    if broken:
        connection.invalidate(error)
    wrapped = DBAPIError.instance(
        sql,
        values,
        error,
        dialect.loaded_dbapi.Error,
        connection_invalidated=broken,
        dialect=dialect,
    )
    return wrapped  # type: ignore[return-value]
