"""A respondent in chromium: the default questionnaire in German on a phone, left halfway
and finished from the same link in a new browser; every page checked with axe-core, the
problem pages (in both languages) and a study's public pages too."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import BrowserContext, Locator, Page, expect
from sqlmodel import Session, select

from assess.domain.validation import load_questionnaire
from assess.persistence.models.responses import Response, ResponseStatus
from assess.web.pages.questions import form_value
from tests.browser.chromium import DESKTOP, PHONE
from tests.browser.respondents import GERMAN, choose, visited
from tests.conftest import QUESTIONNAIRES, Caller
from tests.web.assessments import make_study, public_link

DEFAULT = QUESTIONNAIRES / "cx-maturity.yaml"
Contexts = Callable[..., BrowserContext]
# How the problem pages' titles begin, so that the window or tab names the problem.
TITLES = {
    "de": {
        "refused": "^Bitte prüfen Sie Ihre Antworten: ",
        "form_token": "^Diese Seite konnte nicht gespeichert werden – ",
        "no_page": "^Diese Seite gibt es nicht – ",
        "not_found": "^Dieser Link funktioniert nicht – ",
    },
    "en": {
        "refused": "^Please check your answers: ",
        "form_token": "^This page could not be saved – ",
        "no_page": "^This page does not exist – ",
        "not_found": "^This link does not work – ",
    },
}


def open_assessment(client: TestClient, caller: Caller, labels: list[str]) -> tuple[dict, list]:
    """An open assessment of the default questionnaire, with an invitation per label."""
    headers = caller.headers
    org = client.post("/api/v1/organisations", json={"name": "Muster GmbH"}, headers=headers)
    assessment = client.post(
        f"/api/v1/organisations/{org.json()['id']}/assessments",
        json={"questionnaire_id": "cx-maturity", "name": "CX-Check 2026"},
        headers=headers,
    ).json()
    opened = client.post(f"/api/v1/assessments/{assessment['id']}/open", headers=headers)
    assert opened.status_code == 200, opened.text
    invited = client.post(
        f"/api/v1/assessments/{assessment['id']}/invitations",
        json={"invitations": [{"label": label} for label in labels]},
        headers=headers,
    )
    assert invited.status_code == 201, invited.text
    return assessment, [invitation["token"] for invitation in invited.json()]


@pytest.fixture
def tokens(client: TestClient, consultant: Caller, published: object) -> list[str]:
    """Two invitations to an open assessment of the default questionnaire."""
    return open_assessment(client, consultant, ["Anna", "Ben"])[1]


def choose_with_keyboard(page: Page, index: int) -> str:
    """From a question's first radio button (focused), choose the one at `index` with the
    arrow keys; its value. The focus must be visible where it is."""
    for _ in range(index):
        page.keyboard.press("ArrowDown")
    if index == 0:
        page.keyboard.press("Space")
    focused = page.locator("input:focus")
    expect(focused).to_be_checked()
    outline = page.evaluate(
        "() => getComputedStyle(document.activeElement.closest('.choice')).outlineStyle"
    )
    assert outline == "solid", "the focused answer shows no outline"
    return focused.get_attribute("value") or ""


def name_of(group: Locator) -> str:
    """The question id of a radio group (its radio buttons' name)."""
    return group.get_by_role("radio").first.get_attribute("name") or ""


def answer_level(page: Page, given: dict[str, str], first: int = 0) -> None:
    """Answer the questions of a level page from the `first` on, each with another of its
    answers than the last, so that what is stored shows which question got which."""
    groups = page.get_by_role("group")
    for position in range(first, groups.count()):
        group = groups.nth(position)
        given[name_of(group)] = choose(group, position + len(given))


def test_a_respondent_answers_in_german_on_a_phone_leaves_halfway_and_submits_elsewhere(
    new_context: Contexts, tokens: list[str], session: Session
) -> None:
    token = tokens[0]
    given: dict[str, str] = {}
    phone = new_context(**GERMAN).new_page()

    phone.goto(f"/r/{token}")
    visited(phone, f"/r/{token}/welcome", "de")
    expect(phone.get_by_role("heading", level=1)).to_have_text("CX-Reifegrad")
    phone.get_by_role("link", name="Beginnen").click()

    visited(phone, f"/r/{token}/profile", "de")
    department = phone.get_by_role("group", name="In welchem Bereich arbeiten Sie?")
    department.get_by_role("radio", name="Vertrieb").check()
    phone.get_by_role("button", name="Weiter").click()

    visited(phone, f"/r/{token}/level/1", "de")
    expect(phone.get_by_text("Ebene 1 von 4")).to_be_visible()
    answer_level(phone, given)
    phone.get_by_role("button", name="Weiter").click()

    # Level 2 with the keyboard alone: Tab into each question, arrows to choose, Enter.
    visited(phone, f"/r/{token}/level/2", "de")
    phone.get_by_role("heading", level=1).click()
    for position in range(phone.get_by_role("group").count()):
        phone.keyboard.press("Tab")
        name = phone.evaluate("() => document.activeElement.name")
        given[name] = choose_with_keyboard(phone, position % 3)
    phone.keyboard.press("Enter")

    # Two answers on level 3, each saved as it is given (autosave), then the phone is gone.
    visited(phone, f"/r/{token}/level/3", "de")
    groups = phone.get_by_role("group")
    halfway = [name_of(groups.nth(position)) for position in range(2)]
    for position, name in enumerate(halfway):
        with phone.expect_response(lambda r: r.request.method == "PUT") as saved:
            given[name] = choose(groups.nth(position), position)
        assert saved.value.ok
    expect(phone.get_by_role("status")).to_have_text("Gespeichert.")
    phone.context.close()

    # The next day, in a new browser (no cookies, no storage): the same link leads on to
    # the first page with an unanswered question, with the answers saved so far.
    resumed = new_context(**GERMAN).new_page()
    resumed.goto(f"/r/{token}")
    visited(resumed, f"/r/{token}/level/3", "de")
    for name in halfway:
        expect(resumed.locator(f'input[name="{name}"][value="{given[name]}"]')).to_be_checked()
    expect(resumed.get_by_role("group").nth(2).locator(":checked")).to_have_count(0)
    answer_level(resumed, given, first=2)
    resumed.get_by_role("button", name="Weiter").click()

    visited(resumed, f"/r/{token}/level/4", "de")
    answer_level(resumed, given)
    resumed.get_by_role("button", name="Antworten prüfen").click()

    visited(resumed, f"/r/{token}/review", "de")
    expect(resumed.get_by_text("Nicht beantwortet")).to_have_count(0)
    expect(resumed.get_by_text("Vertrieb", exact=True)).to_be_visible()
    resumed.get_by_role("button", name="Antworten abschicken").click()

    visited(resumed, f"/r/{token}/thanks", "de")
    expect(resumed.get_by_role("heading", level=1)).to_have_text("Vielen Dank!")

    # Afterwards the form is closed to changes, and says so.
    shown = resumed.goto(f"/r/{token}/level/1")
    assert shown
    assert shown.status == 409
    visited(resumed, f"/r/{token}/level/1", "de")

    session.expire_all()
    stored = session.exec(select(Response)).one()
    assert stored.status == ResponseStatus.submitted
    assert stored.profile == {"department": "sales"}
    assert {item: form_value(value) for item, value in stored.answers.items()} == given
    assert set(given) == set(load_questionnaire(DEFAULT).item_ids())  # all four levels


@pytest.mark.parametrize("language", ["de", "en"])
def test_problem_pages_and_a_refused_answer_are_accessible_in_each_language(
    new_context: Contexts, tokens: list[str], client: TestClient, language: str
) -> None:
    token = tokens[1]
    page = new_context(viewport=DESKTOP).new_page()

    page.goto(f"/r/{token}?lang={language}")
    visited(page, f"/r/{token}/welcome", language)
    page.goto(f"/r/{token}/profile?lang={language}")

    # An answer that is no option (a page tampered with) comes back tied to its question.
    radio = page.locator("input[name=department]").first
    radio.evaluate("input => { input.value = 'nonsense'; }")
    radio.check()
    page.locator("button[value=next]").click()
    visited(page, f"/r/{token}/profile", language)
    problems = page.get_by_role("alert")
    expect(problems).to_be_focused()  # the page opens on its problems
    expect(page).to_have_title(re.compile(TITLES[language]["refused"]))
    question = page.locator("#q-department")
    expect(question).to_have_attribute("aria-describedby", "e-department")
    expect(page.locator("#e-department")).to_be_visible()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the problem's link leads to its question's answers
    expect(question.get_by_role("radio").first).to_be_focused()

    # A form whose token is not the link's is refused, without losing anything.
    page.goto(f"/r/{token}/level/1?lang={language}")
    page.locator("input[name=form_token]").evaluate("input => { input.value = 'stale'; }")
    page.locator("button[value=next]").click()
    visited(page, f"/r/{token}/level/1", language)

    expect(page).to_have_title(re.compile(TITLES[language]["form_token"]))

    for path, problem in ((f"/r/{token}/level/9", "no_page"), ("/r/not-a-link", "not_found")):
        shown = page.goto(f"{path}?lang={language}")
        assert shown
        assert shown.status == 404
        visited(page, path, language)
        expect(page).to_have_title(re.compile(TITLES[language][problem]))


def test_a_studys_public_pages_are_accessible(
    new_context: Contexts, client: TestClient, consultant: Caller, published: object
) -> None:
    study = make_study(client, consultant)
    public_token = public_link(client, consultant, study)
    page = new_context(locale="en-GB", viewport=PHONE).new_page()

    page.goto(f"/s/{public_token}")
    visited(page, f"/s/{public_token}", "en")
    page.get_by_role("button", name="Start").click()
    expect(page).to_have_url(re.compile(r"/r/[^/]+/profile\?lang=en$"))
    visited(page, urlsplit(page.url).path, "en")  # the respondent's own link, made at start
    expect(page.get_by_role("heading", level=1)).to_have_text("About you and your organisation")

    shown = page.goto("/s/not-a-study")
    assert shown
    assert shown.status == 404
    visited(page, "/s/not-a-study", "en")
