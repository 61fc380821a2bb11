"""Cross-site scripting and template injection through every text users type, on every
page that shows it, in the report's HTML and in its PDF."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from markupsafe import escape
from sqlmodel import Session

from tests.adversarial.conftest import signed_in
from tests.adversarial.hostile import Hostile, make_hostile, pdf_words, report_pdf
from tests.conftest import Caller, make_caller
from tests.web.browsing import form_token

# Markup that runs script if shown unescaped, and template syntax of Jinja, JavaScript
# and JSP/Spring that evaluates to EVALUATED if anything treats the text as a template.
TEXT = (
    '"><script>alert(1)</script><img src=x onerror=alert(1)>'
    "{{1234567*3}}${1234567*3}{%print(1234567*3)%}#{1234567*3}"
)
SHORT = '"><script>alert(1)</script>{{1234567*3}}${1234567*3}'
EVALUATED = "3703701"
MARKUP = ("<script>alert(1)</script>", "<img src=x onerror")


def shows_as_text(html: str) -> bool:
    """Whether a page shows the hostile texts escaped, runs none of their markup and
    evaluates none of their template syntax."""
    shown = any(str(escape(text)) in html for text in (TEXT, SHORT, f"{TEXT} 0"))
    return shown and not any(m in html for m in MARKUP) and EVALUATED not in html


@pytest.mark.slow
def test_hostile_texts_are_shown_as_text_on_every_page_that_shows_them(
    app: FastAPI, client: TestClient, session: Session, consultant: Caller, published: object
) -> None:
    """CWE-79 Cross-site scripting, CWE-1336 Improper neutralization of special elements
    used in a template engine: organisation, assessment, wave, respondents' labels,
    departments and remarks, and every questionnaire text (titles, levels, items,
    options, stages, recommendations) on the consultants', admins' and respondents' pages
    and in the report's HTML preview."""
    admin = make_caller(session, "root@example.org", admin=True)
    hostile = make_hostile(client, admin, consultant, TEXT, SHORT)
    a, o, token = hostile.assessment_id, hostile.organisation_id, hostile.tokens[0]
    pages = signed_in(app, session, consultant)
    for path in (
        "/dashboard",
        f"/organisations/{o}",
        f"/assessments/{a}",
        f"/assessments/{a}/results",
        f"/assessments/{a}/mail-texts",
    ):
        page = pages.get(path)
        assert page.status_code == 200, path
        assert shows_as_text(page.text), path
    admins = signed_in(app, session, admin)
    for path in ("/questionnaires", "/questionnaires/hostile"):
        assert shows_as_text(admins.get(path).text), path
    for step in ("", "/welcome", "/profile", "/level/1", "/level/2", "/level/3", "/review"):
        page = client.get(f"/r/{token}{step}")
        assert page.status_code == 200, step
        assert shows_as_text(page.text), step
    review = form_token(client.get(f"/r/{token}/review").text)
    client.post(f"/r/{token}/review", data={"form_token": review, "submission": "x"})
    assert shows_as_text(client.get(f"/r/{token}/thanks").text)
    preview = client.get(
        f"/api/v1/assessments/{a}/reports/preview?lang=en", headers=consultant.headers
    )
    assert preview.status_code == 200
    assert shows_as_text(preview.text)


@pytest.mark.slow
def test_hostile_texts_are_printed_literally_in_the_pdf_report(
    client: TestClient, session: Session, consultant: Caller, published: object
) -> None:
    """CWE-79 Cross-site scripting, CWE-1336 Improper neutralization of special elements
    used in a template engine, in the PDF: every hostile text is printed as typed, none
    is evaluated, and the PDF carries no script."""
    admin = make_caller(session, "root@example.org", admin=True)
    hostile: Hostile = make_hostile(client, admin, consultant, TEXT, SHORT)
    pdf = report_pdf(client, consultant, hostile.assessment_id)
    words = pdf_words(pdf)
    assert TEXT.replace(" ", "") in words
    assert EVALUATED not in words
    assert b"/JavaScript" not in pdf
    assert b"/JS" not in pdf


def test_template_syntax_in_e_mail_texts_is_refused_and_names_are_filled_in_once(
    client: TestClient, consultant: Caller, published: object, session: Session
) -> None:
    """CWE-1336 Improper neutralization of special elements used in a template engine:
    e-mail texts take only their named placeholders (no attribute or index lookups, no
    format specs), and a name holding a placeholder is filled in as typed, never again."""
    org = client.post(
        "/api/v1/organisations", json={"name": "{link} {organisation}"}, headers=consultant.headers
    ).json()["id"]
    base = f"/api/v1/organisations/{org}/mail-templates/invitation/en"
    for subject, body in (
        ("{organisation.__class__.__init__.__globals__}", "{link}"),
        ("{link[0]}", "{link}"),
        ("{assessment!r}", "{link}"),
        ("{assessment:>99999999}", "{link}"),
        ("Hi", "{link} {% print(1) %}"),
        ("${7*7}", "{link}"),
    ):
        sent = client.put(base, json={"subject": subject, "body": body}, headers=consultant.headers)
        assert sent.status_code == 422, (subject, body)
    made = client.post(
        f"/api/v1/organisations/{org}/assessments",
        json={"questionnaire_id": "service-check", "name": "{respondent}"},
        headers=consultant.headers,
    ).json()["id"]
    template = {"subject": "{organisation}: {assessment}", "body": "{link}\n{{7*7}}"}
    preview = client.post(
        f"/api/v1/assessments/{made}/mail-templates/invitation/en/preview",
        json=template,
        headers=consultant.headers,
    )
    assert preview.status_code == 200, preview.text
    shown = preview.json()
    assert shown["subject"] == "{link} {organisation}: {respondent}"
    assert "{7*7}" in shown["body"]
    assert "49" not in shown["body"]
