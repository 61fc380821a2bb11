"""How long an API request takes while reports render, against the same request on the
idle service.

Run: .venv/bin/python bench/busy.py [--reports 4] [--idle 200]

In this process, as the tests run the app (TestClient, a fresh SQLite database in a
temporary folder): the default questionnaire and one closed assessment with the demo's
answers. Baseline: GET /api/v1/me on the idle service, --idle times. Then --reports PDF
reports (German and English in turn) are asked for at once; they render in the service's
rendering processes while GET /api/v1/me is asked every 50 ms until all are done. Printed:
the median and the slowest request of both, and their ratios busy / idle. Target: no
request slower than 1 s while reports render (tests/web/api/test_reports.py checks that
requests are answered meanwhile; how fast is this script's figure).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
warnings.filterwarnings("ignore", "Using `httpx` with `starlette.testclient`")

from fastapi.testclient import TestClient  # noqa: E402
from sqlmodel import Session  # noqa: E402

from assess.config import Settings  # noqa: E402
from assess.main import create_app  # noqa: E402
from assess.persistence.engine import upgrade  # noqa: E402
from assess.persistence.repository.accounts import create_api_key, create_user  # noqa: E402

QUESTIONNAIRE = ROOT / "questionnaires" / "cx-maturity.yaml"
DEMO = ROOT / "examples" / "answers-demo-v1.csv"
TARGET_SLOWEST = 1.0  # seconds, while four reports render
PAUSE = 0.05  # between requests while busy, as a status page polls


def headers_of(session: Session, email: str, *, admin: bool = False) -> dict[str, str]:
    """The Authorization header of a new user's API key."""
    user = create_user(session, email=email, is_admin=admin)
    _, key = create_api_key(session, user=user, name="bench")
    return {"Authorization": f"Bearer {key}"}


def closed_assessment(client: TestClient, admin: dict[str, str], consultant: dict[str, str]) -> str:
    """The default questionnaire published, and a closed assessment with the demo's answers."""

    def call(url: str, status: int, headers: dict[str, str], **sent: Any) -> dict[str, Any]:
        answer = client.post(f"/api/v1{url}", headers=headers, **sent)
        assert answer.status_code == status, answer.text
        return dict(answer.json())

    yaml = {"Content-Type": "application/yaml"}
    call("/questionnaires", 201, admin | yaml, content=QUESTIONNAIRE.read_bytes())
    organisation = call("/organisations", 201, consultant, json={"name": "Busy AG"})["id"]
    wanted = {"questionnaire_id": "cx-maturity", "name": "CX 2026", "wave": "2026"}
    made = call(f"/organisations/{organisation}/assessments", 201, consultant, json=wanted)
    csv = consultant | {"Content-Type": "text/csv"}
    call(f"/assessments/{made['id']}/import", 201, csv, content=DEMO.read_bytes())
    call(f"/assessments/{made['id']}/close", 200, consultant)
    return str(made["id"])


def timed_get(client: TestClient, headers: dict[str, str]) -> float:
    """Seconds that GET /api/v1/me takes."""
    start = time.perf_counter()
    answer = client.get("/api/v1/me", headers=headers)
    took = time.perf_counter() - start
    assert answer.status_code == 200, answer.text
    return took


def busy(client: TestClient, headers: dict[str, str], assessment: str, reports: int) -> list[float]:
    """Timings of GET /api/v1/me while `reports` reports render, until all are done."""
    languages = ("de", "en")
    urls = []
    for turn in range(reports):
        asked = client.post(
            f"/api/v1/assessments/{assessment}/reports",
            json={"language": languages[turn % 2]},
            headers=headers,
        )
        assert asked.status_code == 202, asked.text
        urls.append(asked.json()["status_url"])
    timings = []
    deadline = time.monotonic() + 600
    while True:
        states = [client.get(url, headers=headers).json()["status"] for url in urls]
        if all(state in ("done", "failed") for state in states):
            break
        assert time.monotonic() < deadline, f"reports still not made: {states}"
        timings.append(timed_get(client, headers))
        time.sleep(PAUSE)
    assert states == ["done"] * reports, states
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=4, help="rendered at once (4)")
    parser.add_argument("--idle", type=int, default=200, help="requests on the idle service")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'assess.db'}"
        upgrade(url)
        app = create_app(Settings(database_url=url))
        try:
            with Session(app.state.engine) as session:
                admin = headers_of(session, "admin@example.org", admin=True)
                consultant = headers_of(session, "consultant@example.org")
            client = TestClient(app)
            assessment = closed_assessment(client, admin, consultant)
            timed_get(client, consultant)  # warm
            idle = [timed_get(client, consultant) for _ in range(args.idle)]
            loaded = busy(client, consultant, assessment, args.reports)
        finally:
            app.state.engine.dispose()

    print(f"GET /api/v1/me, in this process on SQLite; {args.reports} reports rendering")
    if not loaded:
        print("the reports were done before a request could be timed: no busy figure")
        return
    for name, timings in (("idle", idle), ("busy", loaded)):
        median, slowest = statistics.median(timings) * 1000, max(timings) * 1000
        print(f"{name}  {len(timings):5d} requests   median {median:7.1f} ms", end="")
        print(f"   slowest {slowest:7.1f} ms")
    print(f"ratio busy / idle: median {statistics.median(loaded) / statistics.median(idle):5.2f}x")
    print(f"ratio busy / idle: slowest {max(loaded) / max(idle):5.2f}x")
    met = "met" if max(loaded) < TARGET_SLOWEST else "missed"
    print(f"target: slowest request while reports render under {TARGET_SLOWEST:.1f} s: {met}")


if __name__ == "__main__":
    main()
