"""Screenshots of the main pages at a phone's width (360 px) and a desktop's (1280 px),
in docs/screens/: `python docs/screenshots.py` (needs Debian's chromium, as the browser
tests do). It builds a throwaway database with synthetic peers, an organisation with an
open and a closed assessment, and serves it on 127.0.0.1 while chromium takes the shots."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from fastapi.testclient import TestClient
from playwright.sync_api import Page, sync_playwright
from sqlmodel import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assess.config import Settings  # noqa: E402
from assess.main import create_app  # noqa: E402
from assess.persistence.engine import upgrade  # noqa: E402
from assess.persistence.models.organisations import Organisation  # noqa: E402
from assess.persistence.repository.accounts import create_api_key  # noqa: E402
from tests.browser.chromium import DESKTOP, PHONE, launch  # noqa: E402
from tests.browser.server import serve  # noqa: E402
from tests.browser.test_admin import answers  # noqa: E402
from tests.web.browsing import PASSWORD, with_password  # noqa: E402

OUT = ROOT / "docs" / "screens"
BROKEN = "id: cx-maturity\nversion: 9\ntitle: {de: Test}\nlanguages: [de, fr]\ndimensions: []\n"


def main() -> None:
    """Build the data, serve it, and take every screenshot."""
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'assess.db'}"
        upgrade(url)
        environment = {**os.environ, "ASSESS_DATABASE_URL": url}
        command = [str(Path(sys.executable).parent / "assess"), "demo", "generate"]
        options = ["--organisations", "40", "--respondents", "6", "--seed", "7"]
        options += ["--database-url", url]
        subprocess.run([*command, *options, "--questionnaire", "cx-maturity"], check=True,
                       env=environment, cwd=ROOT)  # fmt: skip
        app = create_app(Settings(database_url=url))
        paths = arrange(app)
        with serve(app) as base, sync_playwright() as playwright:
            browser = launch(playwright)
            for width, viewport in (("360", PHONE), ("1280", DESKTOP)):
                context = browser.new_context(base_url=base, viewport=viewport, locale="de-DE")
                page = context.new_page()
                shoot_respondent(page, paths, width)
                sign_in(page)
                for name, path in paths["console"].items():
                    page.goto(path)
                    page.screenshot(path=OUT / f"{name}-{width}.png", full_page=True)
                upload_with_problems(page, width)
                context.close()
            browser.close()
    print(f"screenshots in {OUT.relative_to(ROOT)}")


def arrange(app: object) -> dict:
    """An admin, an organisation with a closed assessment (answered by six) and an open one
    (one respondent halfway); the pages to show."""
    client = TestClient(app)  # type: ignore[arg-type]
    with Session(app.state.engine) as session:  # type: ignore[attr-defined]
        admin = with_password(session, "admin@example.org", admin=True)
        _, key = create_api_key(session, user=admin, name="screenshots")
    headers = {"Authorization": f"Bearer {key}"}
    org = client.post(
        "/api/v1/organisations",
        json={"name": "Muster GmbH", "industry": "retail", "size": "250-999", "country": "de"},
        headers=headers,
    ).json()
    with Session(app.state.engine) as session:  # type: ignore[attr-defined]
        # The pictures come from a demo database: Muster GmbH is compared with the demo pool.
        muster = session.get(Organisation, uuid.UUID(org["id"]))
        assert muster is not None
        muster.is_demo = True
        session.add(muster)
        session.commit()
    client.post(f"/api/v1/organisations/{org['id']}/benchmark/opt-in", headers=headers)

    def assessment(name: str, labels: list[tuple[str, str]]) -> tuple[str, list[str]]:
        people = [
            {"label": a, "department": d, "email": f"{a.lower().replace(' ', '.')}@example.org"}
            for a, d in labels
        ]
        made = client.post(
            f"/api/v1/organisations/{org['id']}/assessments",
            json={"questionnaire_id": "cx-maturity", "name": name, "show_own_scores": True},
            headers=headers,
        ).json()
        assert "id" in made, made
        client.post(f"/api/v1/assessments/{made['id']}/open", headers=headers)
        invited = client.post(
            f"/api/v1/assessments/{made['id']}/invitations",
            json={"invitations": people},
            headers=headers,
        ).json()
        return made["id"], [i["token"] for i in invited]

    departments = ["sales", "service", "marketing"]
    closed, tokens = assessment(
        "CX-Check 2026", [(f"Person {n}", departments[n % 3]) for n in range(9)]
    )
    for offset, token in enumerate(tokens):
        client.put(f"/api/v1/respond/{token}", json={"answers": answers(offset)})
        client.post(f"/api/v1/respond/{token}/submit")
    client.post(f"/api/v1/assessments/{closed}/close", headers=headers)
    running, open_tokens = assessment(
        "CX-Check 2027", [("Anna Berg", "sales"), ("Ben Kraus", "service")]
    )
    client.put(f"/api/v1/respond/{open_tokens[1]}", json={"answers": answers(3)})
    report = client.post(
        f"/api/v1/assessments/{closed}/reports", json={"language": "de"}, headers=headers
    ).json()
    return {
        "respondent": open_tokens[0],
        "submitted": tokens[0],
        "console": {
            "dashboard": "/dashboard",
            "organisation": f"/organisations/{org['id']}",
            "assessment": f"/assessments/{running}",
            "mail-texts": f"/assessments/{running}/mail-texts",
            "results": f"/assessments/{closed}/results",
            "report": f"/assessments/{closed}/reports/{report['id']}",
            "departments": f"/assessments/{running}/departments",
            "branding": "/branding",
            "portfolio": "/portfolio",
            "research": "/research",
            "audit-log": "/audit-log",
            "questionnaires": "/questionnaires",
            "questionnaire": "/questionnaires/cx-maturity",
        },
    }


def shoot_respondent(page: Page, paths: dict, width: str) -> None:
    """The respondent's welcome, a level and the review page; a link opened again after
    submitting (the respondent's own scores)."""
    token = paths["respondent"]
    for name, path in (
        ("form-welcome", "welcome"),
        ("form-level-2", "level/2"),
        ("form-review", "review"),
    ):
        page.goto(f"/r/{token}/{path}")
        page.screenshot(path=OUT / f"{name}-{width}.png", full_page=True)
    page.goto(f"/r/{paths['submitted']}")
    page.screenshot(path=OUT / f"form-thanks-{width}.png", full_page=True)


def sign_in(page: Page) -> None:
    """Sign in as the admin; the sign-in page is shot on the way."""
    page.goto("/sign-in")
    page.screenshot(path=OUT / f"sign-in-{page.viewport_size['width']}.png", full_page=True)  # type: ignore[index]
    page.locator("#email").fill("admin@example.org")
    page.locator("#password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile("/dashboard"))


def upload_with_problems(page: Page, width: str) -> None:
    """The upload form after a file with problems."""
    page.goto("/questionnaires")
    page.locator("textarea").first.fill(BROKEN)
    page.locator("form[action='/questionnaires'] button[type=submit]").first.click()
    page.screenshot(path=OUT / f"questionnaire-problems-{width}.png", full_page=True)


if __name__ == "__main__":
    main()
