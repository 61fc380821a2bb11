"""A consultant in chromium, in German: sees an older client whose typed industry matches
no option listed, adds an organisation choosing industry, size and country from lists,
and its results compare it with organisations of the same industry, saying why the
narrower group is not used; axe-core checks every page, at a desktop's width and a
phone's."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from playwright.sync_api import expect
from sqlmodel import Session

from assess.persistence.models.assessments import AssessmentStatus
from assess.persistence.repository.accounts import create_organisation
from assess.persistence.repository.assessments import create_assessment, save_snapshot, set_status
from assess.persistence.repository.benchmarks import pool_of, refresh_pool, set_opt_in
from assess.persistence.repository.questionnaires import get_questionnaire_version, questionnaire_of
from tests.browser.chromium import DESKTOP, PHONE
from tests.browser.consoles import Contexts, checked, sign_in
from tests.conftest import QUESTIONNAIRES, make_caller
from tests.web.browsing import with_password

DEMO = QUESTIONNAIRES.parent / "examples" / "answers-demo-v1.csv"
DIMENSIONS = ["strategy", "orchestration", "tactics", "culture"]


def peers(session: Session) -> None:
    """Thirteen organisations of 1-49 employees that take part, with closed assessments of
    the default questionnaire: seven retailers and six in healthcare."""
    version = get_questionnaire_version(session, questionnaire_id="cx-maturity", version=None)
    assert version is not None
    creator = make_caller(session, "pool@example.org").user
    pools = set()
    for n, industry in enumerate(["retail"] * 7 + ["healthcare"] * 6):
        organisation = create_organisation(
            session, name=f"Peer {n}", creator=creator, industry=industry, size="1-49"
        )
        organisation.country = "de"
        set_opt_in(session, organisation=organisation, opt_in=True, k=5)
        assessment = create_assessment(
            session, organisation=organisation, version=version, name="wave"
        )
        set_status(session, assessment=assessment, status=AssessmentStatus.closed)
        score = 30.0 + 3 * n
        result = {
            "overall": {"score": score},
            "dimensions": {d: {"score": score + i} for i, d in enumerate(DIMENSIONS)},
        }
        save_snapshot(session, assessment_id=assessment.id, result=result, k=5, refresh=False)
        pools.add(pool_of(questionnaire_of(version))[0])
    for pool in pools:
        refresh_pool(session, pool_key=pool, k=5)


def test_a_consultant_chooses_the_industry_and_is_compared_with_that_industry(
    new_context: Contexts, client: TestClient, session: Session, published: object
) -> None:
    peers(session)
    consultant = make_caller(session, "beraterin@example.org")
    with_password(session, "beraterin@example.org")
    earlier = create_organisation(session, name="Altkunde AG", creator=consultant.user)
    earlier.unmatched_attributes = {"industry": "Lebensmittel"}  # as the upgrade leaves it
    session.add(earlier)
    session.commit()
    desk = new_context(viewport=DESKTOP, locale="de-DE").new_page()
    sign_in(desk, "beraterin@example.org")
    checked(desk, "/dashboard")
    expect(desk.locator("section[aria-labelledby=unmatched]")).to_contain_text(
        "Altkunde AG: Branche „Lebensmittel“"
    )

    desk.locator("summary", has_text="Organisation hinzufügen").click()
    desk.get_by_label("Name", exact=True).fill("Laden am Markt GmbH")
    desk.get_by_label("Branche (optional)").select_option(label="Handel")
    desk.get_by_label("Anzahl der Mitarbeitenden").select_option(label="250–999")
    desk.get_by_label("Land des Hauptsitzes").select_option(label="Deutschland")
    checked(desk, "/dashboard")
    desk.get_by_role("button", name="Organisation hinzufügen").click()
    checked(desk, "/organisations/[0-9a-f-]+")
    expect(desk.locator(".facts")).to_contain_text("Handel")
    expect(desk.locator(".facts")).to_contain_text("250–999")
    organisation = desk.url.split("/organisations/")[1].split("?")[0]

    made = client.post(
        f"/api/v1/organisations/{organisation}/assessments",
        json={"questionnaire_id": "cx-maturity", "name": "CX-Reifegrad 2026"},
        headers=consultant.headers,
    )
    assert made.status_code == 201, made.text
    results = f"/assessments/{made.json()['id']}/results"
    imported = client.post(
        f"/api/v1/assessments/{made.json()['id']}/import",
        content=DEMO.read_bytes(),
        headers={**consultant.headers, "Content-Type": "text/csv"},
    )
    assert imported.status_code == 201, imported.text

    desk.goto(results, timeout=60_000)  # the first page of charts starts the render processes
    checked(desk, results)
    section = desk.locator("section[aria-labelledby=peers]")
    expect(section).to_contain_text("Vergleichsgruppe: gleiche Branche (Handel)")
    expect(section).to_contain_text(
        "gleiche Branche und Größenklasse (Handel, 250–999): weniger als 5 Organisationen "
        "im Vergleichspool, mindestens 5 nötig"
    )

    phone = new_context(viewport=PHONE, locale="de-DE", is_mobile=True, has_touch=True).new_page()
    sign_in(phone, "beraterin@example.org")
    checked(phone, "/dashboard")
    phone.locator("summary", has_text="Organisation hinzufügen").click()
    expect(phone.get_by_label("Branche (optional)")).to_be_visible()
    checked(phone, "/dashboard")
    for path in (f"/organisations/{organisation}", results):
        phone.goto(path)
        checked(phone, re.escape(path))
