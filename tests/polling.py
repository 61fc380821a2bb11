"""Waiting for what happens on another thread or process (a job, a sender, a server): ask
until it is true, and fail once a deadline has passed, never after a fixed pause."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def until(
    condition: Callable[[], T],
    *,
    timeout: float,
    every: float = 0.1,
    message: str | Callable[[], str] = "",
) -> T:
    """The first true value of `condition`, asked every `every` seconds; an AssertionError
    with `message` (a text, or a function that describes what was last seen) once
    `timeout` seconds have passed without one."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            told = message() if callable(message) else message
            raise AssertionError(told or f"still not true after {timeout} s")
        time.sleep(every)
