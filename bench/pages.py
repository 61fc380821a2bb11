"""The respondent's pages under load: render a level page (GET) and save it (the form
post), against a bare Jinja2 render of the same template with the same context.

Run: .venv/bin/python bench/pages.py [--respondents 16] [--requests 6000] [--seconds 30]
     [--language de] [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/test]

The app runs under uvicorn in a process of its own on a free port of 127.0.0.1, against a
freshly migrated database: a temporary SQLite file, or a database made on the given
PostgreSQL server and dropped afterwards. It holds the default questionnaire, published,
and an open assessment with enough invitations. Each respondent has its own link and goes
through the level pages as a browser without JavaScript does: get a page, read its form
token and radio buttons, post an answer for each (the 303 is not followed), get the next
page; after the last level, on to a new link. Each respondent goes through one link first,
untimed, to warm the app up. The load stops at a request count or a time limit, whichever
comes first. The client runs on the same machine as the server and shares its cores: the
output says how busy they were, and with what.

Baseline, in this process: the level page's template rendered by Jinja2 alone, with the
context the page renders with. Target: page save p99 under 50 ms at 16 concurrent
respondents.
"""

from __future__ import annotations

import argparse
import gc
import http.client
import math
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from sqlalchemy.engine import make_url
from starlette.applications import Starlette
from starlette.requests import Request

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assess.config import Settings  # noqa: E402
from assess.domain.validation import load_questionnaire  # noqa: E402
from assess.main import create_app  # noqa: E402
from assess.persistence.engine import upgrade  # noqa: E402
from assess.web.pages.language import environment  # noqa: E402
from assess.web.pages.step_page import STEP_TEMPLATE, step_context  # noqa: E402
from assess.web.pages.visit import Visit  # noqa: E402
from bench.submit import APP, cpu_seconds, database, seed, server  # noqa: E402

QUESTIONNAIRE = ROOT / "questionnaires" / "cx-maturity.yaml"
TARGET_SAVE_P99 = 0.050  # seconds, at 16 concurrent respondents
FORM_TOKEN = re.compile(r'name="form_token" value="([0-9a-f]+)"')
FORM_HEADERS = {"Content-Type": "application/x-www-form-urlencoded"}
RADIO = re.compile(r'<input type="radio" name="([^"]+)" value="([^"]*)"')


def percentiles(seconds: list[float]) -> tuple[float, float]:
    """p50 and p99 of timings, in milliseconds."""
    if len(seconds) < 2:
        only = seconds[0] * 1000 if seconds else math.nan
        return only, only
    cuts = statistics.quantiles(seconds, n=100, method="inclusive")
    return cuts[49] * 1000, cuts[98] * 1000


def baseline(url: str, token: str, language: str, repeat: int) -> list[float]:
    """Timings of the level pages' template rendered by Jinja2 alone, in this process, with
    the contexts the app renders each level's page with (built once, from the database)."""
    app = create_app(Settings(database_url=url))
    contexts = []
    with app.state.engine.connect() as connection:
        visit = Visit.open(_request(app, f"/r/{token}", language), connection, token)
        for step in (s for s in visit.steps if s.dimension is not None):
            visit.request = _request(app, f"/r/{token}/{step.slug}", language)
            contexts.append(visit.context(**step_context(visit, step)))
    app.state.engine.dispose()
    template = environment(language).get_template(STEP_TEMPLATE)
    for context in contexts:
        template.render(context)  # warm
    timings = []
    for turn in range(repeat):
        context = contexts[turn % len(contexts)]
        start = time.perf_counter()
        template.render(context)
        timings.append(time.perf_counter() - start)
    return timings


def _request(app: Starlette, path: str, language: str) -> Request:
    """A GET of `path` as the app would receive it."""
    scope = {
        "type": "http",
        "app": app,
        "method": "GET",
        "scheme": "http",
        "server": ("127.0.0.1", 80),
        "root_path": "",
        "path": path,
        "query_string": f"lang={language}".encode(),
        "headers": [],
    }
    return Request(scope)


@dataclass(frozen=True)
class Cpu:
    """CPU seconds used so far: by the app's process, by this one, by the whole machine."""

    server: float
    client: float
    machine: float

    @classmethod
    def now(cls, pid: int) -> Cpu:
        """The figures at this moment (Linux; zeros elsewhere)."""
        return cls(cpu_seconds(pid), time.process_time(), _machine_busy())

    def __sub__(self, other: Cpu) -> Cpu:
        return Cpu(
            self.server - other.server, self.client - other.client, self.machine - other.machine
        )


def _machine_busy() -> float:
    try:
        ticks = [int(t) for t in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    except OSError:
        return 0.0
    idle = ticks[3] + ticks[4]  # idle, and waiting for disks
    return (sum(ticks) - idle) / os.sysconf("SC_CLK_TCK")


@dataclass
class Load:
    """What the respondents did: timings of renders and saves, and what went wrong."""

    links: Iterator[str]  # not yet opened by any respondent
    left: int  # requests still allowed
    deadline: float
    renders: list[float] = field(default_factory=list)
    saves: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def allowed(self) -> bool:
        """Whether another request fits in the bounds (and counts it)."""
        with self.lock:
            if self.left <= 0 or time.perf_counter() > self.deadline:
                return False
            self.left -= 1
            return True

    def next_link(self) -> str | None:
        """A link no respondent has opened yet."""
        with self.lock:
            return next(self.links, None)


def respondent(number: int, port: int, levels: int, language: str, load: Load) -> None:
    """One respondent: every level page of a link of its own, as a browser without
    JavaScript posts them; then the same with a new link.

    http.client on a kept-alive connection of its own: the client shares the cores with
    the server, and this one takes a fraction of what fuller clients take per request (the
    output's CPU line says how much).
    """
    chooser = random.Random(number)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        while (token := load.next_link()) is not None:
            for level in range(1, levels + 1):
                page = f"/r/{token}/level/{level}?lang={language}"
                if not load.allowed():
                    return
                start = time.perf_counter()
                connection.request("GET", page)
                shown = connection.getresponse()
                text = shown.read().decode()
                load.renders.append(time.perf_counter() - start)
                found = FORM_TOKEN.search(text)
                if shown.status != 200 or found is None:
                    load.errors.append(f"GET level {level}: {shown.status}")
                    continue
                choices: dict[str, list[str]] = {}
                for name, value in RADIO.findall(text):
                    choices.setdefault(name, []).append(value)
                form = {name: chooser.choice(values) for name, values in choices.items()}
                body = urlencode({**form, "form_token": found.group(1), "go": "next"})
                if not load.allowed():
                    return
                start = time.perf_counter()
                connection.request("POST", page, body, FORM_HEADERS)
                saved = connection.getresponse()
                saved.read()
                load.saves.append(time.perf_counter() - start)
                if saved.status != 303:
                    load.errors.append(f"POST level {level}: {saved.status}")
    except (OSError, http.client.HTTPException) as error:  # an error, not a crash of the load
        load.errors.append(f"connection: {error}")
    finally:
        connection.close()


def run_load(port: int, respondents: int, levels: int, language: str, load: Load) -> None:
    """All respondents at once, each in a thread of its own, within the load's bounds."""
    threads = [
        threading.Thread(target=respondent, args=(n, port, levels, language, load))
        for n in range(respondents)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add = parser.add_argument
    add("--respondents", type=int, default=16, help="answering at once, on a link each (16)")
    add("--requests", type=int, default=6000, help="renders and saves in all, at most (6000)")
    add("--seconds", type=float, default=30, help="time limit of the load (30)")
    add("--language", choices=["de", "en"], default="de", help="of the pages (de)")
    add("--baseline-renders", type=int, default=2000, help="of the bare template (2000)")
    add("--database-url", help="a PostgreSQL server to make the database on (default SQLite)")
    args = parser.parse_args()
    if args.respondents < 1 or args.requests < 2:
        parser.error("--respondents must be at least 1 and --requests at least 2")

    with tempfile.TemporaryDirectory() as folder:
        url, drop = database(args.database_url, Path(folder))
        try:
            upgrade(url)
            questionnaire = load_questionnaire(QUESTIONNAIRE)
            levels = len(questionnaire.dimensions)
            # Two requests per level page; each respondent may leave one link unfinished;
            # and one link each to warm up with, one for the baseline.
            needed = math.ceil(args.requests / 2 / levels) + args.respondents
            tokens = seed(url, needed + args.respondents + 1, QUESTIONNAIRE)
            bare = baseline(url, tokens.pop(), args.language, args.baseline_renders)
            warm = [tokens.pop() for _ in range(args.respondents)]
            print(
                f"database: {make_url(url).get_backend_name()}, {args.respondents} concurrent "
                f"respondents, {args.requests} requests at most, {args.seconds:.0f} s at most; "
                f"{QUESTIONNAIRE.name}, {levels} level pages, in {args.language}"
            )
            print(
                f"client and server share this machine's {os.cpu_count()} cores: "
                "the figures include the client's own work"
            )
            # Nothing made before the load becomes garbage during it; a full collection in
            # the client would pause every respondent at once and count as the server's.
            gc.freeze()
            with server(APP, {"ASSESS_DATABASE_URL": url}, True) as (
                base,
                pid,
            ):
                port = urlsplit(base).port or 80
                # Untimed, one link each: the app's first requests read the questionnaire,
                # compile the templates, start worker threads and open database connections.
                warming = Load(iter(warm), len(warm) * 2 * levels, time.perf_counter() + 60)
                run_load(port, args.respondents, levels, args.language, warming)
                before = Cpu.now(pid)
                start = time.perf_counter()
                deadline = time.perf_counter() + args.seconds
                load = Load(iter(tokens), args.requests, deadline)
                run_load(port, args.respondents, levels, args.language, load)
                wall = time.perf_counter() - start
                used = Cpu.now(pid) - before
            load.errors[:0] = warming.errors
            report(load, bare, wall, used, args.respondents)
        finally:
            drop()


def figures(timings: list[float], baseline: list[float] | None = None) -> str:
    """p50 and p99 in milliseconds, and their ratios to the baseline's."""
    p50, p99 = percentiles(timings)
    shown = f"p50 {p50:7.2f} ms   p99 {p99:7.2f} ms"
    if baseline is None:
        return shown
    base50, base99 = percentiles(baseline)
    return shown + f"   ratio to baseline: p50 {p50 / base50:5.1f}x  p99 {p99 / base99:5.1f}x"


def report(load: Load, bare: list[float], wall: float, used: Cpu, n: int) -> None:
    """Print the figures, their ratios to the baseline, and the target's verdict."""
    print(f"{'bare Jinja2 render (baseline)':33} {len(bare):6} x   {figures(bare)}")
    print(f"{'page render  GET  /r/{t}/level/N':33} {len(load.renders):6} x   ", end="")
    print(figures(load.renders, bare))
    print(f"{'page save    POST /r/{t}/level/N':33} {len(load.saves):6} x   ", end="")
    print(figures(load.saves, bare))
    done = max(len(load.renders) + len(load.saves), 1)
    rest = used.machine - used.server - used.client
    print(
        f"{done / wall:.0f} requests/s, errors {len(load.errors)}"
        + (f" (first: {load.errors[0]})" if load.errors else "")
    )
    print(
        f"CPU per request: app {used.server / done * 1000:.2f} ms, client "
        f"{used.client / done * 1000:.2f} ms, rest of the machine {rest / done * 1000:.2f} ms "
        f"(the database server, and whatever else ran); the cores were "
        f"{used.machine / wall / (os.cpu_count() or 1):.0%} busy"
    )
    save99 = percentiles(load.saves)[1]
    verdict = "met" if save99 < TARGET_SAVE_P99 * 1000 else "missed"
    at = "" if n == 16 else f" (this run: {n})"
    print(
        f"target: page save p99 under {TARGET_SAVE_P99 * 1000:.0f} ms at 16 concurrent "
        f"respondents{at}: {verdict} ({save99:.1f} ms)"
    )


if __name__ == "__main__":
    main()
