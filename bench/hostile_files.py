"""How long refusing a hostile questionnaire file takes, against refusing an ordinary file
with one mistake.

Run: .venv/bin/python bench/hostile_files.py [--repeat 5]

The files: a billion laughs (YAML aliases nine levels deep), 50,000 nested brackets and an
unsafe tag, as tests/adversarial/test_uploads.py sends them (the test checks that each is
refused and nothing is published; how fast is this script's figure). Baseline, in the same
run: the default questionnaire with one mistake (its version is a word), which is read and
checked whole before it is refused. Each is timed twice: validation alone
(`parse_questionnaire`) and posted to the API (POST /api/v1/questionnaires, in this
process with TestClient, on a fresh SQLite database); the median of --repeat runs after
one untimed. Target: each hostile file refused through the API in under 5 s, the billion
laughs by validation alone in under 2 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
warnings.filterwarnings("ignore", "Using `httpx` with `starlette.testclient`")

from fastapi.testclient import TestClient  # noqa: E402
from sqlmodel import Session  # noqa: E402

from assess.config import Settings  # noqa: E402
from assess.domain.validation import parse_questionnaire  # noqa: E402
from assess.domain.yamlfile import FileProblems  # noqa: E402
from assess.main import create_app  # noqa: E402
from assess.persistence.engine import upgrade  # noqa: E402
from assess.persistence.repository.accounts import create_api_key, create_user  # noqa: E402

LAUGHS = "\n".join(
    [
        "id: bomb",
        "version: 1",
        'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
    ]
    + [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    + ["title: *a9"]
)
DEEP = "id: deep\nversion: 1\ntitle: " + "[" * 50_000 + "]" * 50_000
UNSAFE = 'id: !!python/object/apply:os.system ["touch /tmp/assess-pwned"]\nversion: 1\n'
DEFAULT = (ROOT / "questionnaires" / "cx-maturity.yaml").read_text(encoding="utf-8")
ORDINARY = DEFAULT.replace("\nversion: 1\n", "\nversion: one\n", 1)
FILES = {"billion laughs": LAUGHS, "deep nesting": DEEP, "unsafe tag": UNSAFE}
TARGET_API, TARGET_LAUGHS = 5.0, 2.0  # seconds


def median_of(repeat: int, work: Callable[[], object]) -> float:
    """Median seconds of `repeat` runs of `work`, after one untimed run."""
    work()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def refused_by_validation(source: str) -> Callable[[], object]:
    """Validation alone, which must refuse `source`."""

    def run() -> object:
        try:
            parse_questionnaire(source.encode(), "bench.yaml")
        except FileProblems as problems:
            return problems
        raise AssertionError("the file was accepted")

    return run


def refused_by_api(
    client: TestClient, headers: dict[str, str], source: str
) -> Callable[[], object]:
    """The API, which must answer 422 to `source`."""
    sent = {**headers, "Content-Type": "application/yaml"}

    def run() -> object:
        answer = client.post("/api/v1/questionnaires", content=source.encode(), headers=sent)
        assert answer.status_code == 422, answer.text[:300]
        return answer

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    figures: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'assess.db'}"
        upgrade(url)
        app = create_app(Settings(database_url=url))
        try:
            with Session(app.state.engine) as session:
                admin = create_user(session, email="admin@example.org", is_admin=True)
                _, key = create_api_key(session, user=admin, name="bench")
            client = TestClient(app)
            headers = {"Authorization": f"Bearer {key}"}
            for name, source in {"ordinary (baseline)": ORDINARY, **FILES}.items():
                alone = median_of(args.repeat, refused_by_validation(source))
                api = median_of(args.repeat, refused_by_api(client, headers, source))
                figures[name] = (alone, api)
        finally:
            app.state.engine.dispose()

    base_alone, base_api = figures["ordinary (baseline)"]
    print(f"questionnaire files refused, median of {args.repeat} runs")
    print(f"{'file':22} {'validation':>10} {'ratio':>7} {'API':>9} {'ratio':>7}")
    for name, (alone, api) in figures.items():
        print(
            f"{name:22} {alone * 1000:8.1f} ms {alone / base_alone:6.2f}x "
            f"{api * 1000:7.1f} ms {api / base_api:6.2f}x"
        )
    slowest = max(api for name, (_, api) in figures.items() if name in FILES)
    met = "met" if slowest < TARGET_API else "missed"
    print(f"target: every hostile file refused through the API in under {TARGET_API:.0f} s: {met}")
    met = "met" if figures["billion laughs"][0] < TARGET_LAUGHS else "missed"
    print(f"target: the billion laughs refused by validation in under {TARGET_LAUGHS:.0f} s: {met}")


if __name__ == "__main__":
    main()
