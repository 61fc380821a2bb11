"""The service's logs: one JSON object per line (structlog), each with the request id of
the request it belongs to, for every logger of the process, uvicorn's included."""

from __future__ import annotations

import logging
import os
import sys
from typing import TextIO

import structlog

FORMATS = ("json", "console")


def _without_terminal_colours(
    logger: object, name: str, event: structlog.types.EventDict
) -> structlog.types.EventDict:
    event.pop("color_message", None)  # uvicorn's copy of the message for terminals
    return event


def _process_id(
    logger: object, name: str, event: structlog.types.EventDict
) -> structlog.types.EventDict:
    event["pid"] = os.getpid()  # which of several web workers wrote the line
    return event


def configure(log_format: str = "json", stream: TextIO | None = None) -> None:
    """Route every standard-library log record through structlog's renderer: JSON for
    machines, or readable lines for a terminal."""
    shared: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,  # the request id, where there is one
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.stdlib.ExtraAdder(),  # a record's `extra` fields, as fields of the line
        _without_terminal_colours,
        _process_id,
    ]
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer()
        if log_format == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            renderer,
        ],
    )
    # What no line shows: a record would look up its thread's and process's names for
    # each line written, one for every request.
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(logging.INFO)
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers = []  # theirs would print a second copy
        logging.getLogger(name).propagate = True
    # uvicorn's access lines would repeat what assess.requests writes of each request, with
    # the address where that line has its route's template: a respondent's address holds
    # the token that opens the link. uvicorn writes them while its logger has a handler.
    access = logging.getLogger("uvicorn.access")
    access.handlers = []
    access.propagate = False
