"""The results page and the PDF from the pages: the API's figures, departments withheld for
anonymity, the peer benchmark when a group may be shown, the PDF in German and English,
nothing of another tenant's, and every user text shown as text."""

from __future__ import annotations

import html
import re
import uuid

import httpx
import pytest
import yaml
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from assess.persistence.models.accounts import Role
from assess.persistence.repository.accounts import set_membership
from assess.reporting.i18n import translator
from tests.conftest import Caller, add_member, make_caller
from tests.factories import csv_bytes, dimension, questionnaire_data, scale_item
from tests.polling import until
from tests.web.assessments import (
    DEMO,
    answer,
    assessment_in,
    closed_assessment,
    new_organisation,
    opt_in,
    organisation,
    words_of,
)
from tests.web.browsing import form_token, signed_in

API = "/api/v1"


def level_rows(page: str) -> dict[str, str]:
    """Level name -> score, from the page's table of scores per level."""
    table = page[page.index('id="levels"') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r'<th scope="row">([^<]+)</th><td class="num">([^<]+)</td>', table)
    return {html.unescape(name): score for name, score in rows}


def test_the_page_shows_the_figures_of_the_api_with_charts_that_have_text(
    app: FastAPI, client: TestClient, session: Session, consultant: Caller, published: object
) -> None:
    assessment = assessment_in(client, consultant, new_organisation(client, consultant))
    expected = client.get(f"{API}/assessments/{assessment}/results", headers=consultant.headers)
    questionnaire = client.get(f"{API}/questionnaires/cx-maturity", headers=consultant.headers)
    names = {d["id"]: d["name"]["en"] for d in questionnaire.json()["dimensions"]}
    page = signed_in(app, session, consultant).get(f"/assessments/{assessment}/results?lang=en")
    assert page.status_code == 200
    shown = level_rows(page.text)
    for dimension_id, figures in expected.json()["dimensions"].items():
        assert shown[names[dimension_id]] == f"{figures['score']:.1f}"
    assert shown["Overall"] == f"{expected.json()['overall']['score']:.1f}"
    charts = re.findall(r"<svg[^>]*>\s*<title>([^<]+)</title>", page.text)
    assert "Scores per level" in charts
    assert all('role="img"' in svg for svg in re.findall(r"<svg[^>]*>", page.text))
    assert "What to do first" in page.text
    assert "style-src 'self' 'unsafe-inline'" in page.headers["content-security-policy"]


def test_german_page_speaks_german_with_german_numbers(
    app: FastAPI, client: TestClient, session: Session, consultant: Caller, published: object
) -> None:
    assessment = assessment_in(client, consultant, new_organisation(client, consultant))
    expected = client.get(f"{API}/assessments/{assessment}/results", headers=consultant.headers)
    page = signed_in(app, session, consultant).get(f"/assessments/{assessment}/results?lang=de")
    overall = translator("de").number(expected.json()["overall"]["score"])
    assert level_rows(page.text)["Gesamt"] == overall
    assert "Was zuerst zu tun ist" in page.text


def test_departments_under_three_respondents_are_withheld_and_named_with_the_reason(
    app: FastAPI, client: TestClient, session: Session, consultant: Caller, published: object
) -> None:
    # One of marketing's three moves to management: marketing keeps two.
    answers = DEMO.replace("r01,marketing", "r01,management", 1)
    org = new_organisation(client, consultant)
    assessment = assessment_in(client, consultant, org, answers=answers)
    api = client.get(f"{API}/assessments/{assessment}/results", headers=consultant.headers).json()
    hidden = api["hidden_groups"]["department"]
    assert "marketing" in hidden
    page = signed_in(app, session, consultant).get(f"/assessments/{assessment}/results?lang=en")
    withheld = page.text[page.text.index('class="withheld"') :]
    withheld = withheld[: withheld.index("</ul>")]
    assert re.search(r"<strong>Marketing</strong>.*fewer than 3 respondents", withheld)
    assert withheld.count("<li>") == len(hidden)
    shown = re.findall(r'<th scope="col" class="num">([^<]+) <span class="muted">\(n=', page.text)
    assert "Marketing" not in shown
    assert len(shown) == len(api["groups"]["department"])


def test_the_peer_benchmark_shows_with_a_pool_of_five_and_says_why_not_without(
    app: FastAPI, client: TestClient, session: Session, consultant: Caller, published: object
) -> None:
    mine = organisation(client, consultant, "retail", "1-49")
    opt_in(client, consultant, mine)
    assessment = closed_assessment(client, consultant, mine, 5)
    browsing = signed_in(app, session, consultant)
    alone = browsing.get(f"/assessments/{assessment}/results?lang=en").text
    assert "Compared with peers" in alone
    assert 'id="peer-figures"' not in alone
    assert "there are no peers to compare with" in alone or "Too few organisations" in alone

    for i in range(5):
        peer = make_caller(session, f"peer{i}@example.org")
        org = organisation(client, peer, "retail", "1-49")
        opt_in(client, peer, org)
        closed_assessment(client, peer, org, 2 * i)
    benchmark = client.get(f"{API}/assessments/{assessment}/benchmark", headers=consultant.headers)
    assert benchmark.json()["report_group"] is not None
    page = browsing.get(f"/assessments/{assessment}/results?lang=en").text
    table = page[page.index('id="peer-figures"') :]
    table = table[: table.index("</table>")]
    overall = benchmark.json()["scores"]["overall"]["peers"]
    used = overall[benchmark.json()["report_group"]["kind"]]
    row = re.search(r"<th scope=\"row\">Overall</th>(.*?)</tr>", table)
    assert row is not None
    cells = re.findall(r'<td class="num">([^<]+)</td>', row.group(1))
    assert cells[1:] == [
        str(used["n"]),
        f"{used['median']:.1f}",
        f"{used['q1']:.1f}–{used['q3']:.1f}",
        f"{used['percentile']:.0f}",
    ]
    assert "Peer group" in page


def downloaded(browsing: TestClient, assessment: str, language: str) -> bytes:
    """Ask for the PDF on the results page, follow its page until it is ready, download."""
    results = f"/assessments/{assessment}/results"
    token = form_token(browsing.get(results).text)
    asked = browsing.post(
        f"/assessments/{assessment}/reports", data={"language": language, "form_token": token}
    )
    assert asked.status_code == 303, asked.text
    status_page = asked.headers["location"]

    def made() -> httpx.Response | None:
        page = browsing.get(status_page)
        assert page.status_code == 200
        if "Download the PDF" in page.text or "could not be made" in page.text:
            return page
        assert '<meta http-equiv="refresh"' in page.text
        return None

    page = until(made, timeout=120, every=0.3, message="the report was not made in time")
    assert '<meta http-equiv="refresh"' not in page.text
    link = re.search(r'href="([^"]+/pdf)"', page.text)
    assert link is not None, page.text
    pdf = browsing.get(link.group(1))
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    return pdf.content


@pytest.mark.slow
def test_the_pdf_is_prepared_and_downloaded_in_german_and_english(
    app: FastAPI, client: TestClient, session: Session, consultant: Caller, published: object
) -> None:
    assessment = assessment_in(client, consultant, new_organisation(client, consultant))
    browsing = signed_in(app, session, consultant)
    for language, other in (("de", "en"), ("en", "de")):
        pdf = downloaded(browsing, assessment, language)
        assert pdf.startswith(b"%PDF")
        words = words_of(pdf)
        assert translator(language).gettext("Methodology") in words
        assert translator(other).gettext("Methodology") not in words
    listed = browsing.get(f"/assessments/{assessment}/results?lang=en").text
    assert listed.count("Download the PDF") == 2
    rows = listed[listed.index("Reports asked for so far") :]
    assert re.findall(r"<td>(Deutsch|English)</td>", rows) == ["English", "Deutsch"]  # newest first


def test_another_tenant_gets_404_for_the_page_the_report_and_its_file(
    app: FastAPI, client: TestClient, session: Session, consultant: Caller, published: object
) -> None:
    assessment = assessment_in(client, consultant, new_organisation(client, consultant))
    pdf = downloaded(signed_in(app, session, consultant), assessment, "en")
    assert pdf.startswith(b"%PDF")
    stranger = signed_in(app, session, make_caller(session, "stranger@example.org"))
    reports = client.get(f"{API}/assessments/{assessment}/reports", headers=consultant.headers)
    job = reports.json()[0]["id"]
    for address in ("results", f"reports/{job}", f"reports/{job}/pdf"):
        assert stranger.get(f"/assessments/{assessment}/{address}").status_code == 404
    token = form_token(stranger.get("/dashboard").text)
    asked = stranger.post(
        f"/assessments/{assessment}/reports", data={"language": "en", "form_token": token}
    )
    assert asked.status_code == 404


def test_a_member_sees_the_results_and_downloads_the_pdf(
    app: FastAPI, client: TestClient, session: Session, consultant: Caller, published: object
) -> None:
    org = new_organisation(client, consultant)
    assessment = assessment_in(client, consultant, org)
    member = make_caller(session, "member@example.org")
    add_member(client, org, consultant, member)
    browsing = signed_in(app, session, member)
    assert browsing.get(f"/assessments/{assessment}/results").status_code == 200
    assert downloaded(browsing, assessment, "en").startswith(b"%PDF")


def test_html_in_names_and_questionnaire_texts_is_shown_as_text(
    app: FastAPI, client: TestClient, session: Session, admin: Caller, published: object
) -> None:
    evil = "<img src=x onerror=alert(1)>"
    both = {"de": evil, "en": evil}
    data = questionnaire_data(
        dimension("d1", scale_item("i1", text={"de": evil, "en": evil}), name=both),
        id="evil",
        title={"de": f"<b>{evil}</b>", "en": f"<b>{evil}</b>"},
    )
    published_evil = client.post(
        f"{API}/questionnaires",
        content=yaml.safe_dump(data).encode(),
        headers={**admin.headers, "Content-Type": "application/yaml"},
    )
    assert published_evil.status_code == 201, published_evil.text
    org = new_organisation(client, admin, f"<script>alert('org')</script> {evil}")
    made = client.post(
        f"{API}/organisations/{org}/assessments",
        json={"questionnaire_id": "evil", "name": f"<i>{evil}</i>"},
        headers=admin.headers,
    ).json()["id"]
    answers = csv_bytes(
        ["respondent", "department", "i1"],
        *[[f"r{i}", ["sales", "service"][i % 2], 1 + i % 5] for i in range(8)],
    )
    imported = client.post(
        f"{API}/assessments/{made}/import",
        content=answers,
        headers={**admin.headers, "Content-Type": "text/csv"},
    )
    assert imported.status_code == 201, imported.text
    page = signed_in(app, session, admin).get(f"/assessments/{made}/results?lang=en").text
    assert evil not in page
    assert "<script>alert" not in page
    assert "<i><img" not in page
    assert html.escape(evil, quote=False) in page
    assert "&lt;script&gt;alert" in page


def new_study(client: TestClient, caller: Caller, questionnaire: str) -> str:
    """A study of the questionnaire in a new organisation; its id."""
    made = client.post(
        f"{API}/organisations/{new_organisation(client, caller, 'CX Institute')}/assessments",
        json={"questionnaire_id": questionnaire, "name": "Market study", "kind": "study"},
        headers=caller.headers,
    )
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_study_below_k_shows_no_figures(
    app: FastAPI,
    client: TestClient,
    session: Session,
    consultant: Caller,
    published: object,
    language: str,
) -> None:
    made = new_study(client, consultant, "cx-maturity")
    page = signed_in(app, session, consultant).get(f"/assessments/{made}/results?lang={language}")
    assert page.status_code == 200
    assert "<svg" not in page.text
    assert 'action="/assessments/' + made + '/reports"' not in page.text


def test_a_study_shows_its_figures_and_its_groups_by_its_k_rule(
    app: FastAPI,
    client: TestClient,
    session: Session,
    consultant: Caller,
    published: object,
) -> None:
    made = new_study(client, consultant, "service-check")
    link = client.post(f"{API}/assessments/{made}/public-link", headers=consultant.headers)
    assert client.post(f"{API}/assessments/{made}/open", headers=consultant.headers).is_success
    for team, remote, n in (("front", True, 5), ("back", True, 1), ("back", False, 4)):
        for _ in range(n):
            answer(app, link.json()["token"], {"team": team, "remote": remote})
    api = client.get(f"{API}/assessments/{made}/results", headers=consultant.headers)
    page = signed_in(app, session, consultant).get(f"/assessments/{made}/results?lang=en")
    assert page.status_code == 200
    assert level_rows(page.text)["Overall"] == f"{api.json()['overall']['score']:.1f}"
    rows = dict(re.findall(r'<tr><th scope="row">([^<]+)</th>\s*<td[^>]*>([^<]+)</td>', page.text))
    assert rows["Front office"] == rows["Back office"] == "5"
    assert rows["No"] == "withheld: fewer than 5 respondents"
    assert rows["Yes"].startswith("withheld: shown, it would let anyone work out")
    assert "Where departments disagree" not in page.text
    assert 'action="/assessments/' not in page.text  # a study has no PDF report


def test_a_member_sees_results_in_updates_and_the_page_says_when_the_next_comes(
    app: FastAPI, client: TestClient, session: Session, consultant: Caller, published: object
) -> None:
    org = new_organisation(client, consultant)
    assessment = assessment_in(client, consultant, org, answers=None, close=False)
    member = make_caller(session, "member@example.org")
    set_membership(session, organisation_id=uuid.UUID(org), user=member.user, role=Role.member)
    header, *rows = DEMO.strip().splitlines()

    def submit(*lines: str) -> None:
        imported = client.post(
            f"{API}/assessments/{assessment}/import",
            content="\n".join([header, *lines]).encode(),
            headers={**consultant.headers, "Content-Type": "text/csv"},
        )
        assert imported.status_code == 201, imported.text

    submit(*rows[:2])
    members_page = signed_in(app, session, member)
    waiting = members_page.get(f"/assessments/{assessment}/results").text
    assert "Results are shown from 3 submitted responses on" in waiting
    assert "Next update after 1 more response." in waiting
    assert 'id="levels"' not in waiting
    consultants_page = signed_in(app, session, consultant)
    live = consultants_page.get(f"/assessments/{assessment}/results").text
    assert "You see every submitted response as it comes in" in live
    assert "Members have seen no results yet." in live
    assert 'id="levels"' in live
    submit(rows[2])
    first = members_page.get(f"/assessments/{assessment}/results").text
    assert "These results count 3 responses (update 1)" in first
    assert "Next update after 3 more responses." in first
    submit(rows[3])
    assert level_rows(members_page.get(f"/assessments/{assessment}/results").text) == (
        level_rows(first)
    )
    german = members_page.get(f"/assessments/{assessment}/results?lang=de").text
    assert "Nächste Aktualisierung nach 2 weiteren Antworten." in german
    behind = consultants_page.get(f"/assessments/{assessment}/results").text
    assert "Their latest update counts 3 of the 4 responses." in behind
