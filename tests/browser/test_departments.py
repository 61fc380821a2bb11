"""A consultant in chromium, in German: invites 3 people of Vertrieb, 3 of Service and 1
of Geschäftsleitung, is warned that Geschäftsleitung is too small to be shown, merges
it with Vertrieb into "Leitung und Vertrieb", and once all have answered sees the
results compare that group with Service. A respondent sees the department their
invitation assigned, not a choice. axe-core checks every page, at a desktop's width and
a phone's."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from playwright.sync_api import BrowserContext, expect
from sqlmodel import Session, select

from assess.persistence.models.questionnaires import QuestionnaireVersion
from assess.persistence.repository.accounts import create_organisation
from assess.persistence.repository.assessments import create_assessment
from tests.browser.chromium import DESKTOP, PHONE
from tests.browser.consoles import answers, checked, sign_in
from tests.web.browsing import with_password

Contexts = Callable[..., BrowserContext]
PEOPLE = "\n".join(
    [
        "Anna, Vertrieb",
        "Ben, Vertrieb",
        "Cem, Vertrieb",
        "Dora, Service",
        "Emil, Service",
        "Frida, Service",
        "Gerd, Geschäftsleitung",
    ]
)
WARNING = (
    "Geschäftsleitung: 1 eingeladen, weniger als 3 – mit Vertrieb zusammenfassen, "
    "sonst fehlt die Abteilung in den Ergebnissen"
)


def test_a_consultant_merges_a_small_department_and_the_results_compare_the_group(
    new_context: Contexts, client: TestClient, session: Session, published: object
) -> None:
    consultant = with_password(session, "beraterin@example.org")
    organisation = create_organisation(session, name="Nord GmbH", creator=consultant)
    version = session.exec(
        select(QuestionnaireVersion).where(QuestionnaireVersion.questionnaire_id == "cx-maturity")
    ).one()
    made = create_assessment(session, organisation=organisation, version=version, name="CX 2026")
    assessment = f"/assessments/{made.id}"

    desk = new_context(viewport=DESKTOP, locale="de-DE").new_page()
    sign_in(desk, "beraterin@example.org")
    desk.goto(assessment)
    desk.locator("#respondents").fill(PEOPLE)
    desk.locator("form[action$='/respondents'] button[type=submit]").click()
    expect(desk.get_by_role("status").first).to_contain_text("7 Befragte")
    expect(desk.locator(".notice.warning")).to_contain_text(WARNING)
    checked(desk, assessment)
    links = [desk.locator(f"#link-{n}").input_value() for n in range(1, 8)]
    desk.get_by_role("button", name="Für Antworten öffnen").click()

    desk.goto(f"{assessment}/departments")
    desk.get_by_label("Name der Gruppe").fill("Leitung und Vertrieb")
    desk.get_by_role("checkbox", name=re.compile("^Vertrieb")).check()
    desk.get_by_role("checkbox", name=re.compile("^Geschäftsleitung")).check()
    desk.get_by_role("button", name="Zusammenfassen", exact=True).click()
    expect(desk.get_by_role("status").first).to_contain_text("Die Abteilungen sind zusammengefasst")
    expect(desk.locator(".notice.warning")).to_have_count(0)
    expect(desk.get_by_text("Leitung und Vertrieb: Vertrieb, Geschäftsleitung")).to_be_visible()
    checked(desk, f"{assessment}/departments")

    phone = new_context(viewport=PHONE, locale="de-DE", is_mobile=True, has_touch=True).new_page()
    profile = re.sub(r"^https?://[^/]+", "", links[6]) + "/profile?lang=de"
    phone.goto(profile)
    expect(phone.locator(".question.fixed")).to_contain_text("Geschäftsleitung")
    expect(phone.locator("input[name=department]")).to_have_count(0)
    checked(phone, profile.split("?")[0])

    for offset, link in enumerate(links):  # each respondent, through the JSON API
        token = link.rsplit("/r/", 1)[1]
        saved = client.put(f"/api/v1/respond/{token}", json={"answers": answers(offset)})
        assert saved.status_code == 200, saved.text
        assert client.post(f"/api/v1/respond/{token}/submit").status_code == 200

    desk.goto(f"{assessment}/results", timeout=90_000)  # the first charts start a renderer
    table = desk.locator("table.figures", has_text="Leitung und Vertrieb")
    expect(table.get_by_role("columnheader", name="Leitung und Vertrieb (n=4)")).to_be_visible()
    expect(table.get_by_role("columnheader", name="Service (n=3)")).to_be_visible()
    checked(desk, f"{assessment}/results")

    sign_in(phone, "beraterin@example.org")
    for path in (f"{assessment}/departments", f"{assessment}/results"):
        phone.goto(path)
        checked(phone, path)
