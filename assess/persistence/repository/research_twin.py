"""The research export's COPY on two PostgreSQL connections at once: a second connection
imports the first one's snapshot (so both read the same data), each computes the rows of
half of the organisations, and the two streams are merged by organisation pseudonym, the
first cell of every row. An organisation's rows all come from one half, in their order.

The export's SQL costs about twice as much per row as the COPY of the raw rows (reading
the answers from jsonb, scoring, counting profile answers): on two cores both halves run
side by side. Only a few batches of the second half are held in memory: its reader waits
while they are unread, and so does its query.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection

from assess.domain.export import PSEUDONYM_LENGTH

# What the export's statements depend on, set on the first connection: the second gets
# the same (floats print as shortest round-trip text only with extra_float_digits = 1).
SETTINGS = ("extra_float_digits", "work_mem", "jit_optimize_above_cost", "jit_inline_above_cost")
BATCH_ROWS = 1024
COPY_BLOCK = 1 << 20
BATCHES_AHEAD = 8
WAIT = 0.1  # seconds between looks at whether the reader should stop


@contextmanager
def twin(connection: Connection) -> Iterator[Any]:
    """A second driver connection from the same engine that sees the snapshot of
    `connection` (in a transaction) with its settings; given back to the pool at the end."""
    snapshot: str = connection.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one()
    settings: dict[str, str] = {
        name: connection.exec_driver_sql(f"SELECT current_setting('{name}')").scalar_one()
        for name in SETTINGS
    }
    pooled = connection.engine.raw_connection()
    try:
        driver: Any = pooled.driver_connection
        driver.rollback()  # a checkout's ping may have begun a transaction
        driver.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        driver.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
        for name, value in settings.items():
            driver.execute("SELECT set_config(%s, %s, true)", (name, value))
        try:
            yield driver
        finally:
            driver.rollback()
    finally:
        pooled.close()


def copy_rows(driver: Any, statement: str) -> Generator[bytes, None, None]:
    """The rows a COPY … TO STDOUT statement sends, one row per item (PostgreSQL sends
    each row of a COPY as one message)."""
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for row in copy:
            yield bytes(row)


def merged(first: Iterator[bytes], second: Any, statement: str) -> Iterator[bytes]:
    """The rows of `first` and of the COPY `statement` on the driver connection `second`
    (read in a thread), merged by organisation pseudonym."""
    reader = _Reader(second, statement)
    reader.start()
    try:
        row = next(first, None)
        for batch in reader.batches():
            for other in batch:
                key = other[:PSEUDONYM_LENGTH]
                while row is not None and row[:PSEUDONYM_LENGTH] < key:
                    yield row
                    row = next(first, None)
                yield other
        while row is not None:
            yield row
            row = next(first, None)
    finally:
        reader.stop()


def blocks(rows: Iterator[bytes]) -> Iterator[bytes]:
    """Rows joined into blocks of about COPY_BLOCK bytes."""
    pending = bytearray()
    for row in rows:
        pending += row
        if len(pending) >= COPY_BLOCK:
            yield bytes(pending)
            pending.clear()
    if pending:
        yield bytes(pending)


class _Reader(threading.Thread):
    """Reads a COPY on its own connection into a short queue of batches of rows; ends the
    queue with None, or with the error that stopped it."""

    def __init__(self, driver: Any, statement: str) -> None:
        super().__init__(name="research-export-copy", daemon=True)
        self.driver = driver
        self.statement = statement
        self.queue: queue.Queue[list[bytes] | BaseException | None] = queue.Queue(BATCHES_AHEAD)
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            batch: list[bytes] = []
            for row in copy_rows(self.driver, self.statement):
                batch.append(row)
                if len(batch) >= BATCH_ROWS:
                    self._put(batch)
                    batch = []
            self._put(batch)
            self._put(None)
        except BaseException as error:  # handed to the reading thread, which raises it
            if not self.stopping.is_set():
                self._put(error)

    def _put(self, item: list[bytes] | BaseException | None) -> None:
        while not self.stopping.is_set():
            try:
                self.queue.put(item, timeout=WAIT)
                return
            except queue.Full:
                continue

    def batches(self) -> Iterator[list[bytes]]:
        """The batches in order, until the end; raises the reader's error."""
        while True:
            item = self.queue.get()
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            yield item

    def stop(self) -> None:
        """End the reading, its query cancelled if it still runs, and wait for it."""
        if self.is_alive():
            self.stopping.set()
            self.driver.cancel()
        self.join()
