"""Simulated respondents against `assess serve --workers N`: each opens its link, saves
its answers dimension by dimension with pauses to think, and submits; a loop asks for
reports meanwhile. What the server acknowledged is kept, so a fault test can look for
it in the database afterwards. Used by bench/load.py and tests/faults/.
"""

from __future__ import annotations

import asyncio
import random
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlmodel import Session, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assess.persistence.engine import make_engine  # noqa: E402
from assess.persistence.models.assessments import Assessment  # noqa: E402
from assess.persistence.repository.accounts import create_api_key, create_user  # noqa: E402
from bench.submit import seed  # noqa: E402

WRITES = ("save", "submit")


@dataclass(frozen=True)
class Plan:
    """How the respondents behave: when they start, how long they think, what they do
    with a 503 (wait and try the same request again, up to `tries` times)."""

    seconds: float  # the whole load stops by then
    ramp: float  # respondents start at random moments within this many seconds
    think: tuple[float, float]  # pause before each save and the submit, at random within
    tries: int = 1
    retry_wait: float = 1.0  # at most, whatever Retry-After says
    probe: bool = True  # GET /healthz before each save: the baseline under the same load
    reports: bool = True  # ask for reports meanwhile


@dataclass(frozen=True)
class Write:
    """A save or submit the server acknowledged (2xx), with the answers it carried."""

    token: str
    kind: str
    answers: dict[str, Any]


@dataclass
class Tally:
    """Timings by kind of request, errors, and the writes that were sent and acknowledged."""

    timings: dict[str, list[float]] = field(default_factory=dict)
    errors: Counter[str] = field(default_factory=Counter)
    unavailable: int = 0  # 503s, tried again
    sent: int = 0  # saves and submits sent, tries again included
    acknowledged: list[Write] = field(default_factory=list)
    finished: int = 0  # respondents who submitted
    reports: Counter[str] = field(default_factory=Counter)

    def time(self, kind: str, seconds: float) -> None:
        """Keep a request's time under its kind."""
        self.timings.setdefault(kind, []).append(seconds)


@dataclass(frozen=True)
class Seeded:
    """An open assessment with invitations, and an admin's API key to ask for reports."""

    assessment_id: uuid.UUID
    tokens: list[str]
    api_key: str


def seed_assessment(url: str, invitations: int, questionnaire: Path) -> Seeded:
    """A published questionnaire, an open assessment with its invitations, an admin."""
    tokens = seed(url, invitations, questionnaire)
    engine = make_engine(url, pool_size=1)
    with Session(engine, expire_on_commit=False) as session:
        admin = create_user(session, email="load-admin@example.org", is_admin=True)
        _, key = create_api_key(session, user=admin, name="load")
        assessment_id = session.exec(select(Assessment.id)).one()
    engine.dispose()
    return Seeded(assessment_id, tokens, key)


def answer(item: dict[str, Any], rng: random.Random) -> Any:
    """A valid answer to an item of the respondent's form."""
    if item["type"] == "scale":
        return rng.randint(item["min"], item["max"])
    if item["type"] == "choice":
        return rng.choice(item["options"])["value"]
    return rng.choice([True, False])


async def call(
    client: httpx.AsyncClient,
    tally: Tally,
    plan: Plan,
    kind: str,
    method: str,
    url: str,
    **options: Any,
) -> httpx.Response | None:
    """A request, timed under `kind`, tried again after a 503 as the plan says; the
    answer, or None after an error (counted)."""
    for attempt in range(1, plan.tries + 1):
        tally.sent += kind in WRITES
        start = time.perf_counter()
        try:
            response = await client.request(method, url, **options)
        except httpx.HTTPError as error:
            tally.errors[f"{kind}: {type(error).__name__}"] += 1
            return None
        tally.time(kind, time.perf_counter() - start)
        if response.status_code == 503 and attempt < plan.tries:
            tally.unavailable += 1
            wait = float(response.headers.get("Retry-After", plan.retry_wait))
            await asyncio.sleep(min(wait, plan.retry_wait))
            continue
        if response.is_success:
            return response
        tally.errors[f"{kind}: {response.status_code}"] += 1
        return None
    return None


async def respondent(base: str, token: str, plan: Plan, tally: Tally, deadline: float) -> None:
    """One respondent, on a connection of its own as a browser would be: open the link,
    save each dimension's answers (all so far), submit."""
    rng = random.Random(token)
    await asyncio.sleep(rng.uniform(0, plan.ramp))
    # One client each: a shared one would scan its pool of every respondent's connection
    # for each request, and take more of the cores than the server does.
    async with httpx.AsyncClient(base_url=base, timeout=30, verify=False) as client:
        await _answer_all(client, token, plan, tally, deadline, rng)


async def _answer_all(
    client: httpx.AsyncClient,
    token: str,
    plan: Plan,
    tally: Tally,
    deadline: float,
    rng: random.Random,
) -> None:
    opened = await call(client, tally, plan, "open", "GET", f"/api/v1/respond/{token}")
    if opened is None:
        return
    answers: dict[str, Any] = {}
    for dimension in opened.json()["questionnaire"]["dimensions"]:
        await asyncio.sleep(rng.uniform(*plan.think))
        if time.perf_counter() > deadline:
            return
        if plan.probe:
            await call(client, tally, plan, "healthz", "GET", "/healthz")
        answers |= {item["id"]: answer(item, rng) for item in dimension["items"]}
        url = f"/api/v1/respond/{token}"
        saved = await call(client, tally, plan, "save", "PUT", url, json={"answers": answers})
        if saved is None:
            return
        tally.acknowledged.append(Write(token, "save", dict(answers)))
    await asyncio.sleep(rng.uniform(*plan.think))
    # The same key on every try: a submit whose answer was lost gets the same answer again.
    headers = {"Idempotency-Key": f"load-{token[:16]}"}
    url = f"/api/v1/respond/{token}/submit"
    if await call(client, tally, plan, "submit", "POST", url, headers=headers) is not None:
        tally.acknowledged.append(Write(token, "submit", dict(answers)))
        tally.finished += 1


async def reports(
    client: httpx.AsyncClient, seeded: Seeded, plan: Plan, tally: Tally, stop: asyncio.Event
) -> None:
    """Ask for the assessment's report, follow it until it is made, and again, until
    the respondents are done (none can be made before the first submit)."""
    headers = {"Authorization": f"Bearer {seeded.api_key}"}
    url = f"/api/v1/assessments/{seeded.assessment_id}/reports"
    while not stop.is_set():
        try:
            await _one_report(client, url, headers, tally, stop)
        except httpx.HTTPError as error:
            tally.errors[f"report: {type(error).__name__}"] += 1
            await asyncio.sleep(0.5)


async def _one_report(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], tally: Tally, stop: asyncio.Event
) -> None:
    asked = await client.post(url, json={}, headers=headers)
    if asked.status_code == 422:  # nothing submitted yet
        await asyncio.sleep(0.5)
        return
    if asked.status_code != 202:
        tally.errors[f"report: {asked.status_code}"] += 1
        await asyncio.sleep(0.5)
        return
    tally.reports["requested"] += 1
    status = "queued"
    while status in ("queued", "running") and not stop.is_set():
        await asyncio.sleep(0.5)
        polled = await client.get(asked.json()["status_url"], headers=headers)
        status = polled.json()["status"] if polled.is_success else "unknown"
    tally.reports[status] += 1


async def drive(
    base: str, seeded: Seeded, plan: Plan, tally: Tally | None = None
) -> tuple[Tally, float]:
    """Every respondent at once, each with a link of its own, and the report loop; what
    happened (in `tally` if given, for others to watch meanwhile), and the seconds it took."""
    tally = tally or Tally()
    stop = asyncio.Event()
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        start = time.perf_counter()
        deadline = start + plan.seconds
        looping = asyncio.create_task(reports(client, seeded, plan, tally, stop))
        if not plan.reports:
            stop.set()
        crowd = [respondent(base, token, plan, tally, deadline) for token in seeded.tokens]
        await asyncio.wait_for(asyncio.gather(*crowd), plan.seconds + 30)
        wall = time.perf_counter() - start
        stop.set()
        await looping
    return tally, wall
