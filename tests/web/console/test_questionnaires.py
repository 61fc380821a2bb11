"""The admins' questionnaire pages: the list, outlines, and publishing a file with the
validator's problems shown beside their lines; nothing is published unless it is valid."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session, select

from assess.domain.yamlfile import Problem
from assess.persistence.models.questionnaires import QuestionnaireVersion
from assess.persistence.repository.accounts import create_organisation, get_user_by_email
from assess.persistence.repository.assessments import create_assessment
from assess.web.console.upload import annotated_lines
from tests.conftest import SERVICE_CHECK
from tests.web.browsing import browser, form_token, sign_in, with_password

VALID = SERVICE_CHECK.read_text(encoding="utf-8").replace("id: service-check", "id: upload-check")


@pytest.fixture
def admin_browser(app: FastAPI, session: Session) -> TestClient:
    with_password(session, "admin@example.org", admin=True)
    return sign_in(browser(app), "admin@example.org")


def upload(client: TestClient, *, pasted: str = "", file: bytes | None = None) -> Response:
    token = form_token(client.get("/questionnaires").text)
    files = {"file": ("mine.yaml", file, "application/yaml")} if file is not None else None
    return client.post("/questionnaires", data={"source": pasted, "form_token": token}, files=files)


def stored(session: Session, questionnaire_id: str = "upload-check") -> list[QuestionnaireVersion]:
    session.expire_all()
    query = select(QuestionnaireVersion).where(
        QuestionnaireVersion.questionnaire_id == questionnaire_id
    )
    return list(session.exec(query).all())


def problem_beside_line(html: str, line: int, words: str) -> bool:
    """Whether a problem saying `words` is shown right under the source line `line`."""
    shown = re.search(
        rf'id="line-{line}">.*?</div>\s*((?:<p class="source-problem">.*?</p>\s*)+)', html, re.S
    )
    return shown is not None and words in shown.group(1)


def test_an_admin_publishes_a_pasted_file_and_finds_it_listed_with_its_outline(
    admin_browser: TestClient, session: Session
) -> None:
    published = upload(admin_browser, pasted=VALID.replace("\n", "\r\n"))
    assert published.status_code == 201, published.text
    assert "Version 2 of upload-check is published" in published.text
    [row] = stored(session)
    assert row.source == VALID  # as the file reads, without the text area's CRLF
    listed = admin_browser.get("/questionnaires").text
    assert 'href="/questionnaires/upload-check"' in listed
    assert "Service check" in listed
    outline = admin_browser.get("/questionnaires/upload-check?lang=de").text
    for words in ("Zuhören", "Wir sammeln Feedback.", "Beginnend", "Ihr Team", "Skala 1–4"):
        assert words in outline


def test_a_file_with_several_problems_shows_each_message_beside_its_line(
    admin_browser: TestClient, session: Session
) -> None:
    broken = (
        VALID.replace("title: {en:", "titel: {en:", 1)
        .replace("id: acting", "id: listening", 1)
        .replace("min_score: 50,", "min_score: 20,", 1)
    )
    refused = upload(admin_browser, file=broken.encode())
    assert refused.status_code == 422
    html = refused.text
    lines = broken.splitlines()
    title_line = next(n for n, text in enumerate(lines, 1) if text.startswith("titel:"))
    acting_line = [n for n, text in enumerate(lines, 1) if "- id: listening" in text][1]
    stage_line = next(n for n, text in enumerate(lines, 1) if "min_score: 20" in text)
    assert "The file has 4 problems; nothing was published" in html
    for line, words in (
        (title_line, "unknown key &#39;titel&#39; (did you mean &#39;title&#39;?)"),
        (acting_line, "duplicate id &#39;listening&#39;"),
        (stage_line, "stages must ascend: min_score 20 is not above 25"),
    ):
        assert f'<a href="#line-{line}">Line {line}, column' in html
        assert problem_beside_line(html, line, words), (line, words)
    assert stored(session) == []


def test_someone_who_is_not_an_admin_gets_a_page_saying_so(app: FastAPI, session: Session) -> None:
    with_password(session, "consultant@example.org")
    client = sign_in(browser(app), "consultant@example.org")
    for response in (
        client.get("/questionnaires"),
        client.get("/questionnaires/cx-maturity"),
        client.post("/questionnaires", data={"source": VALID}),
    ):
        assert response.status_code == 403
        assert "Only for admins" in response.text
    assert stored(session) == []


def test_a_file_posted_without_the_form_token_is_refused_and_not_published(
    admin_browser: TestClient, session: Session
) -> None:
    refused = admin_browser.post("/questionnaires", data={"source": VALID})
    assert refused.status_code == 403
    assert "This form could not be sent" in refused.text
    assert stored(session) == []


def test_the_same_file_twice_changes_nothing(admin_browser: TestClient, session: Session) -> None:
    assert upload(admin_browser, file=VALID.encode()).status_code == 201
    [first] = stored(session)
    again = upload(admin_browser, pasted=VALID)
    assert again.status_code == 200
    assert "was already published with exactly this file; nothing changed" in again.text
    [row] = stored(session)
    assert (row.id, row.sha256, row.created_at) == (first.id, first.sha256, first.created_at)


def test_a_changed_file_under_a_version_in_use_is_refused_in_the_apis_words(
    admin_browser: TestClient, session: Session
) -> None:
    upload(admin_browser, pasted=VALID)
    [row] = stored(session)
    organisation = create_organisation(
        session, creator=get_user_by_email(session, email="admin@example.org"), name="X"
    )
    create_assessment(session, organisation=organisation, version=row, name="CX")
    changed = VALID.replace("We collect feedback.", "We collect feedback often.")
    refused = upload(admin_browser, pasted=changed)
    assert refused.status_code == 409
    assert (
        "upload-check version 2 already has assessments and cannot change; "
        "publish the changed file with a higher `version`"
    ) in refused.text
    assert "We collect feedback often." in refused.text  # the pasted text stays
    assert [r.source for r in stored(session)] == [VALID]


def test_a_new_version_shows_what_changed_and_whether_benchmarks_pool(
    admin_browser: TestClient,
) -> None:
    upload(admin_browser, pasted=VALID)
    newer = VALID.replace("version: 2", "version: 3").replace(
        "We collect feedback.", "We collect feedback weekly."
    )
    published = upload(admin_browser, pasted=newer)
    assert published.status_code == 201
    assert "Compared with version 2" in published.text
    assert "Benchmarks pool the two versions: every score is computed the same way" in (
        published.text
    )
    assert "Statements and questions: 7 before, 7 now: 1 reworded or with another source." in (
        published.text
    )
    assert "We collect feedback weekly." in published.text
    german = admin_browser.get("/questionnaires?lang=de")
    assert "Prüfen und veröffentlichen" in german.text


@pytest.mark.parametrize(
    ("file", "words", "status"),
    [
        (
            b"a: &a [x, x, x, x, x, x, x, x, x]\n"
            + b"".join(
                f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n".encode()
                for i in range(8)
            ),
            "anchors and aliases expand beyond the file&#39;s size",
            422,
        ),
        (b"# padding\n" * 150_000, "larger than 1000 KB", 413),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "This is not a text file", 422),
        (VALID.replace("Zuhören", "Zuh\xf6ren").encode("latin-1"), "file is not UTF-8 text", 422),
    ],
    ids=["alias bomb", "over a megabyte", "binary", "not utf-8"],
)
def test_bad_files_are_explained_and_nothing_is_saved(
    admin_browser: TestClient, session: Session, file: bytes, words: str, status: int
) -> None:
    refused = upload(admin_browser, file=file)
    assert refused.status_code == status
    assert refused.headers["content-type"].startswith("text/html")
    assert words in refused.text
    assert session.exec(select(QuestionnaireVersion)).all() == []


def test_markup_in_a_file_is_shown_as_text_in_problems_and_once_published(
    admin_browser: TestClient, session: Session
) -> None:
    script = "<script>alert(1)</script>"
    broken = VALID.replace('title: {en: "Service check"', f'titel: {{en: "{script}"')
    refused = upload(admin_browser, pasted=broken)
    assert refused.status_code == 422
    assert script not in refused.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in refused.text
    published = upload(admin_browser, pasted=VALID.replace("Service check", script))
    assert published.status_code == 201
    for page in (published.text, admin_browser.get("/questionnaires").text):
        assert script not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_nul_byte_in_pasted_text_is_named_with_its_line_and_nothing_is_saved(
    admin_browser: TestClient, session: Session
) -> None:
    refused = upload(admin_browser, pasted="id: x\nversion: 1\nti\x00tle: x\n")
    assert refused.status_code == 422
    assert '<a href="#line-3">Line 3, column 1: file contains a NUL byte' in refused.text
    assert problem_beside_line(refused.text, 3, "file contains a NUL byte; remove it")
    assert session.exec(select(QuestionnaireVersion)).all() == []


def test_a_changed_file_under_a_version_no_one_uses_replaces_it_and_shows_the_change(
    admin_browser: TestClient, session: Session
) -> None:
    upload(admin_browser, pasted=VALID)
    changed = VALID.replace("We act fast.", "We act within a day.")
    replaced = upload(admin_browser, pasted=changed)
    assert replaced.status_code == 200
    assert "Version 2 of upload-check is replaced by this file" in replaced.text
    assert "Compared with version 2" in replaced.text
    assert "We act within a day." in replaced.text
    assert [r.source for r in stored(session)] == [changed]


def test_a_long_file_shows_only_the_lines_around_its_problems() -> None:
    text = "\n".join(f"line {n}" for n in range(1, 5001))
    problems = [Problem("f", 10, 1, "here"), Problem("f", 4000, 2, "there")]
    shown = annotated_lines(text, problems)
    numbers = [line.number if line else None for line in shown]
    assert numbers == [None, *range(7, 14), None, *range(3997, 4004), None]
    flagged = [line for line in shown if line and line.problems]
    assert [(line.number, line.text, line.problems) for line in flagged] == [
        (10, "line 10", [problems[0]]),
        (4000, "line 4000", [problems[1]]),
    ]
