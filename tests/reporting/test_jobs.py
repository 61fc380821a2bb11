"""The worker pool that renders reports outlives a worker that dies."""

from __future__ import annotations

import operator
import os
from concurrent.futures.process import BrokenProcessPool

import pytest

from assess.reporting import jobs


def test_a_pool_whose_worker_died_is_replaced_for_the_next_job() -> None:
    dying = jobs.submit(1, os._exit, 3)
    with pytest.raises(BrokenProcessPool):
        dying.result(timeout=120)
    assert jobs.submit(1, operator.add, 2, 3).result(timeout=120) == 5


def test_file_names_are_plain_ascii() -> None:
    assert jobs.slug("Müller & Söhne GmbH / 2026") == "muller-sohne-gmbh-2026"
    assert jobs.slug("<script>") == "script"
    assert jobs.slug("日本") == ""
