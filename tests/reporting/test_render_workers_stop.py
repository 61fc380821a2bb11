"""A stopped service leaves no process behind: the processes that render reports, the
fork server they come from and multiprocessing's resource tracker end with it, whether it
shut down (SIGTERM) or was killed."""

from __future__ import annotations

import signal
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session

from assess.persistence.engine import make_engine, upgrade
from assess.persistence.repository.accounts import create_api_key, create_user
from bench.workers import process_tree, serve
from tests.polling import until

ROOT = Path(__file__).parents[2]
DEMO = (ROOT / "examples" / "answers-demo-v1.csv").read_bytes()
QUESTIONNAIRE = (ROOT / "questionnaires" / "cx-maturity.yaml").read_bytes()
GONE_SECONDS = 20


def _alive(pid: int) -> bool:
    """Whether the process runs (a zombie, ended and waiting to be reaped, does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
@pytest.mark.beside_postgresql
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
def test_the_render_fork_server_and_resource_tracker_end_with_the_service(
    tmp_path: Path, stop: signal.Signals
) -> None:
    url = f"sqlite:///{tmp_path / 'assess.db'}"
    upgrade(url)
    engine = make_engine(url, pool_size=1)
    with Session(engine) as session:
        user = create_user(session, email="ada@example.org", is_admin=True)
        _, key = create_api_key(session, user=user, name="tests")
    engine.dispose()
    headers = {"Authorization": f"Bearer {key}"}
    with serve({"ASSESS_DATABASE_URL": url}, 1, tmp_path) as server:
        with httpx.Client(base_url=server.base, headers=headers, timeout=120) as client:
            yaml = {"Content-Type": "application/yaml"}
            published = client.post("/api/v1/questionnaires", content=QUESTIONNAIRE, headers=yaml)
            assert published.status_code == 201, published.text
            organisation = client.post("/api/v1/organisations", json={"name": "Muster GmbH"})
            made = client.post(
                f"/api/v1/organisations/{organisation.json()['id']}/assessments",
                json={"questionnaire_id": "cx-maturity", "name": "CX 2026"},
            ).json()
            imported = client.post(
                f"/api/v1/assessments/{made['id']}/import",
                content=DEMO,
                headers={"Content-Type": "text/csv"},
            )
            assert imported.status_code == 201, imported.text
            preview = client.get(f"/api/v1/assessments/{made['id']}/reports/preview")
            assert preview.status_code == 200, preview.text  # rendered in the process pool
        started = set(process_tree(server.process.pid)) - {server.process.pid}
        commands = [Path(f"/proc/{pid}/cmdline").read_bytes() for pid in started]
        assert any(b"multiprocessing.forkserver" in c for c in commands), commands
        assert any(b"multiprocessing.resource_tracker" in c for c in commands), commands

        server.process.send_signal(stop)  # SIGKILL: no shutdown, the service is just gone
        server.process.wait(60)  # uvicorn ends by the signal it was sent, once shut down

        def left() -> dict[int, bytes]:
            return {
                pid: Path(f"/proc/{pid}/cmdline").read_bytes() for pid in started if _alive(pid)
            }

        until(
            lambda: not left(),
            timeout=GONE_SECONDS,
            every=0.2,
            message=lambda: f"still running after the service stopped: {left()}",
        )
