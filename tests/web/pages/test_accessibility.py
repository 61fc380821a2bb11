"""What the respondent's pages do for people with assistive technology that a plain HTTP
client can see: one language per page, titles that name the page, problems tied to their
questions. (tests/browser/ checks the rendered pages with axe-core and the keyboard.)"""

from __future__ import annotations

import re
from typing import Any

import yaml
from fastapi.testclient import TestClient

from tests.conftest import Caller
from tests.factories import dimension, questionnaire_data, scale_item
from tests.web.answering import new_link, open_assessment, post


def german_only(data: Any) -> Any:
    """Questionnaire data with every text in German alone."""
    if isinstance(data, dict):
        return {k: german_only(v) for k, v in data.items() if not (k == "en" and "de" in data)}
    if isinstance(data, list):
        return [german_only(v) for v in data]
    return data


def title(page: str) -> str:
    found = re.search(r"<title>(.*?)</title>", page, re.S)
    assert found, page
    return found.group(1)


def test_a_questionnaire_written_in_german_alone_is_shown_all_in_german(
    client: TestClient, admin: Caller, consultant: Caller
) -> None:
    item = scale_item("i1", allow_na=True)
    data = german_only(questionnaire_data(dimension("d1", item), id="nur-de", languages=["de"]))
    published = client.post(
        "/api/v1/questionnaires",
        content=yaml.safe_dump(data).encode(),
        headers={**admin.headers, "Content-Type": "application/yaml"},
    )
    assert published.status_code == 201, published.text
    token = new_link(client, consultant, open_assessment(client, consultant, "nur-de", "W"), "A")
    for asked in ({"params": {"lang": "en"}}, {"headers": {"Accept-Language": "en"}}):
        page = client.get(f"/r/{token}/level/1", **asked)  # type: ignore[arg-type]
        assert page.status_code == 200
        assert '<html lang="de">' in page.text  # the questions' language, and the page's
        assert ">Zurück</button>" in page.text
        assert 'hreflang="en"' not in page.text  # no English to switch to


def test_both_languages_stay_offered_for_a_questionnaire_in_both(
    client: TestClient, consultant: Caller, published: object
) -> None:
    token = new_link(
        client, consultant, open_assessment(client, consultant, "cx-maturity", "W"), "A"
    )
    page = client.get(f"/r/{token}/welcome", headers={"Accept-Language": "en"})
    assert '<html lang="en">' in page.text
    assert f'href="/r/{token}/welcome?lang=de" hreflang="de" lang="de">Deutsch</a>' in page.text


def test_problem_pages_are_titled_with_the_problem_in_the_visitors_language(
    client: TestClient, consultant: Caller, published: object
) -> None:
    assert title(client.get("/r/nope?lang=en").text) == "This link does not work – assess"
    german = client.get("/r/nope", headers={"Accept-Language": "de"}).text
    assert title(german) == "Dieser Link funktioniert nicht – assess"
    token = new_link(
        client, consultant, open_assessment(client, consultant, "cx-maturity", "W"), "A"
    )
    missing = client.get(f"/r/{token}/level/9?lang=en")
    assert title(missing.text) == "This page does not exist – CX maturity"


def test_a_refused_answer_marks_every_choice_of_its_question_and_opens_on_the_problems(
    client: TestClient, consultant: Caller, published: object
) -> None:
    token = new_link(
        client, consultant, open_assessment(client, consultant, "cx-maturity", "W"), "A"
    )
    sent = post(client, token, "level/1", {"strategy-priority-conflicts": "9", "go": "next"})
    assert sent.status_code == 422
    question = re.search(
        r'<fieldset[^>]*id="q-strategy-priority-conflicts".*?</fieldset>', sent.text, re.S
    )
    assert question
    radios = re.findall(r"<input [^>]*>", question.group(0))
    assert len(radios) == 6  # five points and "not applicable"
    assert all('aria-invalid="true"' in radio for radio in radios)
    assert 'aria-describedby="e-strategy-priority-conflicts"' in question.group(0)
    assert re.search(r'class="error-summary" role="alert" tabindex="-1" autofocus', sent.text)
    assert 'href="#f-strategy-priority-conflicts"' in sent.text
    assert title(sent.text).startswith("Please check your answers: ")
