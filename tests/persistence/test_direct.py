"""Direct statements read and write every type the respondents' routes use as
SQLAlchemy's execute does, and fail as it does: the same exceptions, a broken connection
invalidated."""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import AutoString

from assess.persistence.direct import Direct, commit
from assess.persistence.engine import make_engine
from assess.persistence.repository.common import write_rows


class Colour(enum.StrEnum):
    red = "red"
    blue = "blue"


metadata = sa.MetaData()
things = sa.Table(
    "things",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("name", AutoString(200), nullable=False, unique=True),
    sa.Column("note", sa.String, nullable=True),
    sa.Column("moment", sa.DateTime(timezone=True), nullable=True),
    sa.Column("colour", sa.Enum(Colour), nullable=False),
    sa.Column("flag", sa.Boolean, nullable=False, default=False),
    sa.Column("data", sa.JSON, nullable=False),
    sa.Column("count", sa.Integer, nullable=True),
)
# A reference checked at the commit, which then fails (as a full disk fails a commit on
# SQLite in WAL mode): an error that only the driver's commit raises.
notes = sa.Table(
    "notes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "thing_id",
        sa.Uuid,
        sa.ForeignKey("things.id", deferrable=True, initially="DEFERRED"),
        nullable=False,
    ),
)
VALUES = ["id", "name", "note", "moment", "colour", "flag", "data", "count"]
ADD = Direct(insert(things).returning(*things.c), values=VALUES)
BY_NAME = Direct(select(things).where(things.c.name == sa.bindparam("name")))


@pytest.fixture
def engine(empty_url: str) -> Iterator[Engine]:
    engine = make_engine(empty_url, pool_size=2)
    metadata.create_all(engine)
    yield engine
    engine.dispose()


def row(**changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "id": uuid.uuid4(),
        "name": "Ä ß 😀 ' \" ; --",
        "note": None,
        "moment": datetime(2026, 12, 7, 10, 30, 15, 123456, tzinfo=UTC),
        "colour": Colour.blue,
        "flag": True,
        "data": {"answers": {"a": 7, "b": None, "c": [1.5, "x"]}, "ü": True},
        "count": 2**31 - 1,
    }
    return values | changes


def test_a_direct_insert_and_read_give_what_sqlalchemy_reads(engine: Engine) -> None:
    given = [row(), row(name="second", moment=None, count=None, flag=False, data={})]
    with engine.connect() as connection:
        written = [write_rows(connection, ADD, values)[0] for values in given]
        direct = [BY_NAME.rows(connection, {"name": values["name"]})[0] for values in given]
        through_sqlalchemy = [
            tuple(connection.execute(select(things).where(things.c.name == v["name"])).one())
            for v in given
        ]
    assert written == direct == through_sqlalchemy
    for found, values in zip(direct, given, strict=True):
        mapped = BY_NAME.mapping(found)
        assert isinstance(mapped["id"], uuid.UUID)
        assert mapped["id"] == values["id"]
        assert isinstance(mapped["colour"], Colour)
        assert mapped["colour"] == values["colour"]
        assert mapped["data"] == values["data"]
        assert mapped["count"] == values["count"]
        assert mapped["flag"] is values["flag"]


def test_a_row_sqlalchemy_wrote_reads_the_same_direct(engine: Engine) -> None:
    values = row()
    with engine.begin() as connection:
        connection.execute(insert(things), values)
    with engine.connect() as connection:
        (found,) = BY_NAME.rows(connection, {"name": values["name"]})
        expected = tuple(connection.execute(select(things)).one())
    assert found == expected
    assert BY_NAME.rows(engine.connect(), {"name": "nobody"}) == []


def test_a_direct_write_is_committed_and_one_that_fails_raises_sqlalchemys_error(
    engine: Engine,
) -> None:
    values = row()
    with engine.connect() as connection:
        write_rows(connection, ADD, values)
        with pytest.raises(IntegrityError) as raised:
            write_rows(connection, ADD, row(name=values["name"]))
        assert raised.value.orig is not None
        assert not raised.value.connection_invalidated
        # The connection goes on: the failed write is undone, the first one stays.
        write_rows(connection, ADD, row(name="after"))
    with engine.connect() as connection:
        names = connection.execute(select(things.c.name).order_by(things.c.name)).scalars()
        assert sorted(names) == sorted([values["name"], "after"])


def test_a_commit_that_fails_raises_sqlalchemys_error_and_leaves_nothing(engine: Engine) -> None:
    dangling = Direct(
        insert(notes).returning(notes.c.id), values=["id", "thing_id"]
    )  # a note of no thing
    with engine.connect() as connection:
        with pytest.raises(IntegrityError) as raised:
            write_rows(connection, dangling, {"id": 1, "thing_id": uuid.uuid4()})
        assert raised.value.orig is not None
        write_rows(connection, ADD, row(name="after"))  # the connection goes on
    with engine.connect() as connection:
        assert connection.execute(select(sa.func.count()).select_from(notes)).scalar() == 0
        assert connection.execute(select(things.c.name)).scalars().all() == ["after"]


def test_a_statement_that_needs_python_defaults_is_refused_when_first_run(
    engine: Engine,
) -> None:
    lacking = Direct(insert(things).returning(things.c.id), values=["id", "name", "colour", "data"])
    with engine.connect() as connection, pytest.raises(ValueError, match="give values for flag"):
        lacking.rows(connection, {"id": uuid.uuid4(), "name": "x", "colour": "red", "data": {}})


def test_a_broken_connection_is_invalidated_as_sqlalchemy_does(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("a PostgreSQL backend can be ended from outside; a SQLite file cannot")
    with engine.connect() as connection:
        pid = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
        commit(connection)
        with engine.connect() as other:
            other.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        with pytest.raises(DBAPIError) as raised:
            write_rows(connection, ADD, row())
        assert raised.value.connection_invalidated
        assert connection.invalidated
    with engine.connect() as connection:  # the pool opens a new connection
        assert BY_NAME.rows(connection, {"name": "x"}) == []
