"""NUL bytes and lone surrogates in every text a request carries: JSON bodies of every API
route, form posts of the pages, respondents' answers, uploads and addresses. PostgreSQL
refuses NUL in text and neither database can keep a lone surrogate as UTF-8, so both are
refused before anything is stored, on either database (ASSESS_TEST_DATABASE_URL)."""

from __future__ import annotations

import codecs
import json

import pytest
from fastapi import FastAPI, params
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlmodel import Session, SQLModel

from assess.web.middleware.guard import bad_text
from tests.adversarial.conftest import Route, Tenant, route_table, signed_in, stored_data
from tests.adversarial.routes import SHARED
from tests.web.browsing import form_token

BAD = {"nul": "a\u0000b", "surrogate": "a\ud800b", "low surrogate": "\udfff"}


def escaped(value: object) -> bytes:
    """JSON with every non-ASCII character escaped, as a client would send a lone
    surrogate (it has no UTF-8 form)."""
    return json.dumps(value, ensure_ascii=True).encode()


def json_bodies(ours: Tenant, bad: str) -> list[tuple[str, str, object]]:
    """Real requests, each with the bad text in one of its text fields."""
    a, o = ours.assessment_id, ours.organisation_id
    template = {"subject": f"Hi {bad}", "body": f"{{link}} {bad}"}
    return [
        ("POST", "/api/v1/organisations", {"name": bad}),
        ("POST", "/api/v1/organisations", {"name": "Ok", "industry": bad}),
        (
            "POST",
            f"/api/v1/organisations/{o}/assessments",
            {"questionnaire_id": "service-check", "name": bad},
        ),
        (
            "POST",
            f"/api/v1/organisations/{o}/assessments",
            {"questionnaire_id": "service-check", "name": "Ok", "wave": bad},
        ),
        ("POST", f"/api/v1/assessments/{a}/invitations", {"invitations": [{"label": bad}]}),
        (
            "POST",
            f"/api/v1/assessments/{a}/invitations",
            {"invitations": [{"label": "Ok", "department": bad}]},
        ),
        (
            "POST",
            f"/api/v1/assessments/{a}/invitations",
            {"invitations": [{"label": "Ok", "email": f"x{bad}@example.org"}]},
        ),
        (
            "PATCH",
            f"/api/v1/assessments/{a}/invitations/{ours.invitation_id}",
            {"email": f"x{bad}@example.org"},
        ),
        (
            "PUT",
            f"/api/v1/organisations/{o}/members",
            {"email": f"{bad}@example.org", "role": "member"},
        ),
        ("PUT", f"/api/v1/organisations/{o}/mail-templates/invitation/en", template),
        ("PUT", f"/api/v1/assessments/{a}/mail-templates/reminder/de", template),
        ("POST", f"/api/v1/assessments/{a}/reports", {"accent": bad}),
        ("POST", "/api/v1/users", {"email": "new@example.org", "name": bad}),
        ("POST", f"/api/v1/assessments/{a}/invitations/send", {"invitation_ids": [bad]}),
    ]


@pytest.mark.parametrize("kind", BAD)
def test_bad_text_in_any_json_body_is_422_and_stores_nothing(
    app: FastAPI, client: TestClient, session: Session, ours: Tenant, kind: str
) -> None:
    """CWE-158 Improper neutralization of null byte, CWE-176 Improper handling of Unicode
    encoding: the text fields of the API's bodies, as a consultant and as an admin."""
    from tests.conftest import make_caller

    admin = make_caller(session, "root@example.org", admin=True)
    bad = BAD[kind]
    before = stored_data(app)
    for method, path, body in json_bodies(ours, bad):
        headers = {**(admin if "/users" in path else ours.consultant).headers}
        sent = client.request(
            method,
            path,
            content=escaped(body),
            headers={**headers, "Content-Type": "application/json"},
        )
        assert sent.status_code == 422, (path, body, sent.status_code, sent.text[:200])
        assert sent.headers["content-type"] == "application/problem+json"
    assert stored_data(app) == before


@pytest.mark.slow
@pytest.mark.parametrize("kind", BAD)
def test_bad_text_in_every_api_route_body_is_refused_before_the_route(
    app: FastAPI, client: TestClient, ours: Tenant, kind: str
) -> None:
    """CWE-158, CWE-176: whatever JSON body a route takes, a bad text anywhere in it
    (a value, a key, nested) is refused, so a route added later is covered too."""
    values = {**SHARED, **ours.ids(), "token": ours.tokens[0]}
    bad = BAD[kind]
    before = stored_data(app)
    for path, operations in app.openapi()["paths"].items():
        for method, operation in operations.items():
            if "requestBody" not in operation:
                continue
            for body in ({"name": bad}, {bad: 1}, {"answers": {"x": [{"y": bad}]}}):
                sent = client.request(
                    method,
                    path.format(**values),
                    content=escaped(body),
                    headers={**ours.consultant.headers, "Content-Type": "application/json"},
                )
                assert sent.status_code == 422, (method, path, sent.text[:200])
    assert stored_data(app) == before


@pytest.mark.parametrize("kind", BAD)
def test_bad_text_in_respondents_answers_is_refused_and_stores_nothing(
    app: FastAPI, client: TestClient, ours: Tenant, kind: str
) -> None:
    """CWE-158, CWE-176: a respondent's free-text answer and profile, through the API and
    the respondent's pages, and an answers file imported by the consultant."""
    made = client.post(
        f"/api/v1/assessments/{ours.assessment_id}/invitations",
        json={"invitations": [{"label": "Writer"}]},
        headers=ours.consultant.headers,
    ).json()[0]
    token, bad = made["token"], BAD[kind]
    profile_page = form_token(client.get(f"/r/{token}/profile").text)
    before = stored_data(app)
    for body in ({"profile": {"remark": bad}}, {"answers": {"act-owner": bad}}):
        for path in (f"/api/v1/respond/{token}", f"/api/v1/respond/{token}/submit"):
            method = "PUT" if path.endswith(token) else "POST"
            sent = client.request(
                method, path, content=escaped(body), headers={"Content-Type": "application/json"}
            )
            assert sent.status_code == 422, (path, body)
    imported = client.post(
        f"/api/v1/assessments/{ours.assessment_id}/import",
        content=f"respondent,remark,listen-feedback\nr1,{bad},3\n".encode("utf-8", "surrogatepass"),
        headers={**ours.consultant.headers, "Content-Type": "text/csv"},
    )
    assert imported.status_code in (400, 422), imported.text[:200]
    assert stored_data(app) == before
    # The page saves the answers that fit and shows the refused one beside its question.
    posted = client.post(
        f"/r/{token}/profile",
        content=f"form_token={profile_page}&remark={_form_quote(bad)}".encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert posted.status_code == 422 or kind != "nul", posted.text[:200]
    assert holds_no_bad_text(app)


def holds_no_bad_text(app: FastAPI) -> bool:
    """Whether no stored value, in any row of any table, holds a NUL or a lone surrogate."""
    with app.state.engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            for row in connection.execute(select(table)).all():
                if any(bad_text(value) for value in row):
                    return False
    return True


@pytest.mark.parametrize("kind", BAD)
def test_bad_text_in_the_pages_forms_is_refused_and_stores_nothing(
    app: FastAPI, session: Session, ours: Tenant, kind: str
) -> None:
    """CWE-158, CWE-176: the console's forms (organisation, assessment, respondents, e-mail
    texts) posted with a bad text, as a browser would encode it."""
    pages = signed_in(app, session, ours.consultant)
    token = form_token(pages.get("/dashboard").text)
    bad = BAD[kind]
    a, o = ours.assessment_id, ours.organisation_id
    before = stored_data(app)
    for path, fields in (
        ("/organisations", {"name": bad}),
        ("/organisations", {"name": "Ok", "industry": bad}),
        (
            f"/organisations/{o}/assessments",
            {"questionnaire": "service-check@2", "name": bad, "kind": "assessment"},
        ),
        (
            f"/organisations/{o}/assessments",
            {"questionnaire": "service-check@2", "name": "Ok", "wave": bad, "kind": "assessment"},
        ),
        (f"/assessments/{a}/respondents", {"respondents": f"Eve {bad}"}),
        (
            f"/assessments/{a}/mail-texts",
            {"kind": "invitation", "language": "en", "subject": bad, "body": "{link}"},
        ),
    ):
        encoded = "&".join(
            f"{k}={_form_quote(v)}" for k, v in {**fields, "form_token": token}.items()
        )
        sent = pages.post(
            path,
            content=encoded.encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        # A browser's lone surrogate arrives as bytes that are not UTF-8, which the form
        # decoder turns into U+FFFD: harmless text, so only NUL must meet a refusal.
        if kind == "nul":
            assert sent.status_code == 422, (path, sent.status_code, sent.text[:200])
            assert "cannot be saved" in sent.text
    assert holds_no_bad_text(app)
    if kind == "nul":
        assert stored_data(app) == before


def _form_quote(value: str) -> str:
    """A form value percent-encoded as UTF-8; a lone surrogate as the bytes a careless
    client would send for it."""
    from urllib.parse import quote

    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def test_bad_text_in_the_address_is_422(client: TestClient, ours: Tenant) -> None:
    """CWE-158, CWE-176: a NUL or a lone surrogate in a path or a query string. (The
    server decodes a path's bytes that are not UTF-8 to U+FFFD before any route sees
    them, so a surrogate there can only miss, never reach a query.)"""
    for address in (
        f"/api/v1/respond/{ours.tokens[0]}%00",
        f"/api/v1/assessments/{ours.assessment_id}/results?filter=team:%00",
        f"/api/v1/assessments/{ours.assessment_id}/results?filter=team:%ED%A0%80",
        "/dashboard?q=%ED%B0%80",
    ):
        sent = client.get(address, headers=ours.consultant.headers)
        assert sent.status_code == 422, address
    assert client.get(f"/r/{ours.tokens[0]}%ED%A0%80/welcome").status_code == 404


# JSON in the encodings the parser would guess from a body's first bytes: with and without
# a byte order mark, little- and big-endian.
NOT_UTF8 = ("utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be")


def takes_a_body(app: FastAPI) -> list[Route]:
    """Every API route that takes a body, from the route table: FastAPI reads any of them
    as JSON when its Content-Type says JSON, whatever media type the route declares."""
    return [
        Route(method, route.path_format)
        for route in route_table(app)
        if route.path.startswith("/api/")
        and route.body_field is not None
        and not isinstance(route.body_field.field_info, params.Form)
        for method in sorted(route.methods - {"HEAD"})
    ]


def with_nul(value: object, encoding: str) -> bytes:
    """`value` as JSON text in `encoding`, its NUL bytes written as \\u0000 escapes."""
    return json.dumps(value, ensure_ascii=True).encode(encoding)


@pytest.mark.parametrize("encoding", NOT_UTF8)
def test_json_in_utf16_or_utf32_is_415_on_every_api_route_that_takes_a_body(
    app: FastAPI, client: TestClient, ours: Tenant, encoding: str
) -> None:
    """CWE-172 Encoding error, CWE-158: the escapes of a NUL look different in UTF-16 and
    UTF-32, which the parser reads too; every route taking a body refuses them unread."""
    values = {**SHARED, **ours.ids(), "token": ours.tokens[0]}
    routes = takes_a_body(app)
    assert Route("POST", "/api/v1/organisations") in routes
    assert Route("PUT", "/api/v1/respond/{token}") in routes
    declared = app.openapi()["paths"]
    before = stored_data(app)
    for route in routes:
        assert "415" in declared[route.path][route.method.lower()]["responses"], route
        for body in ({"name": "a\u0000b"}, {"answers": {"x\u0000": 1}}, "a\u0000b"):
            for content_type in ("application/json", "application/merge-patch+json"):
                sent = client.request(
                    route.method,
                    route.path.format(**values),
                    content=with_nul(body, encoding),
                    headers={**ours.consultant.headers, "Content-Type": content_type},
                )
                assert sent.status_code == 415, (route, content_type, sent.text[:200])
                assert sent.headers["content-type"] == "application/problem+json"
                assert "send JSON as UTF-8" in sent.json()["detail"]
    assert stored_data(app) == before


@pytest.mark.slow
@pytest.mark.parametrize("encoding", NOT_UTF8)
def test_real_requests_in_utf16_or_utf32_holding_a_nul_store_nothing(
    app: FastAPI, client: TestClient, session: Session, ours: Tenant, encoding: str
) -> None:
    """CWE-172, CWE-158: organisations, assessments, respondents' labels, users' names and
    answers, each a request that would succeed but for the NUL, sent in UTF-16 or UTF-32."""
    from tests.conftest import make_caller

    admin = make_caller(session, "root@example.org", admin=True)
    made = client.post(
        f"/api/v1/assessments/{ours.assessment_id}/invitations",
        json={"invitations": [{"label": "Writer"}]},
        headers=ours.consultant.headers,
    ).json()[0]
    before = stored_data(app)
    answers = {"answers": {"act-owner": "a\u0000b"}, "profile": {"remark": "a\u0000b"}}
    requests = [
        *json_bodies(ours, BAD["nul"]),
        ("PUT", f"/api/v1/respond/{made['token']}", answers),
        ("POST", f"/api/v1/respond/{made['token']}/submit", answers),
    ]
    for method, path, body in requests:
        headers = {**(admin if "/users" in path else ours.consultant).headers}
        sent = client.request(
            method,
            path,
            content=with_nul(body, encoding),
            headers={**headers, "Content-Type": "application/json"},
        )
        assert sent.status_code == 415, (path, body, sent.status_code, sent.text[:200])
    assert stored_data(app) == before
    assert holds_no_bad_text(app)


def test_a_charset_other_than_utf8_is_415_and_utf8_by_any_spelling_is_read(
    app: FastAPI, client: TestClient, ours: Tenant
) -> None:
    """A Content-Type that names another charset is refused even when the bytes would do
    as UTF-8: the client means something else by them."""
    before = stored_data(app)
    for charset, body in (
        ("utf-16", with_nul({"name": "a\u0000b"}, "utf-16")),
        ("utf-16", b'{"name": "Plain"}'),
        ("iso-8859-1", '{"name": "M\u00fcller"}'.encode("latin-1")),
        ('"UTF-32"', with_nul({"name": "Plain"}, "utf-32")),
    ):
        sent = client.post(
            "/api/v1/organisations",
            content=body,
            headers={
                **ours.consultant.headers,
                "Content-Type": f"application/json; charset={charset}",
            },
        )
        assert sent.status_code == 415, (charset, sent.text[:200])
        assert "send JSON as UTF-8" in sent.json()["detail"]
    assert stored_data(app) == before
    for charset in ("utf-8", "UTF-8", '"utf-8"'):
        sent = client.post(
            "/api/v1/organisations",
            content='{"name": "M\u00fcller"}'.encode(),
            headers={
                **ours.consultant.headers,
                "Content-Type": f"application/json; charset={charset}",
            },
        )
        assert sent.status_code == 201, (charset, sent.text[:200])


def test_json_with_bytes_that_are_not_utf8_is_415(
    app: FastAPI, client: TestClient, ours: Tenant
) -> None:
    """Latin-1 or broken UTF-8 (an encoded lone surrogate among them) is not guessed at."""
    before = stored_data(app)
    for body in (
        '{"name": "M\u00fcller"}'.encode("latin-1"),
        '{"name": "a\ud800b"}'.encode("utf-8", "surrogatepass"),
        b'{"name": "\xc3"}',
    ):
        sent = client.post(
            "/api/v1/organisations",
            content=body,
            headers={**ours.consultant.headers, "Content-Type": "application/json"},
        )
        assert sent.status_code == 415, (body, sent.text[:200])
        assert "send JSON as UTF-8" in sent.json()["detail"]
    assert stored_data(app) == before


def test_a_utf8_byte_order_mark_is_read_as_utf8_and_its_escapes_checked(
    app: FastAPI, client: TestClient, ours: Tenant
) -> None:
    """RFC 8259 lets a parser ignore a UTF-8 byte order mark, and FastAPI's does: such a
    body is UTF-8, so it is read, and a NUL escaped in it is refused as in any other."""
    headers = {**ours.consultant.headers, "Content-Type": "application/json"}
    before = stored_data(app)
    refused = client.post(
        "/api/v1/organisations",
        content=codecs.BOM_UTF8 + escaped({"name": "a\u0000b"}),
        headers=headers,
    )
    assert refused.status_code == 422, refused.text[:200]
    assert stored_data(app) == before
    made = client.post(
        "/api/v1/organisations",
        content=codecs.BOM_UTF8 + '{"name": "M\u00fcller"}'.encode(),
        headers=headers,
    )
    assert made.status_code == 201, made.text[:200]
    assert made.json()["name"] == "M\u00fcller"


@pytest.mark.parametrize(
    "content_type", [None, "text/plain", "text/json", "application/x-www-form-urlencoded"]
)
def test_utf16_json_sent_as_another_content_type_is_not_read_and_stores_nothing(
    app: FastAPI, client: TestClient, ours: Tenant, content_type: str | None
) -> None:
    """FastAPI reads a body as JSON only when its Content-Type says so (none is not JSON):
    any other arrives as bytes, and the NUL bytes of UTF-16 are refused as in any body."""
    before = stored_data(app)
    for body in ({"name": "a\u0000b"}, {"name": "Plain"}):
        headers = {**ours.consultant.headers}
        if content_type is not None:
            headers["Content-Type"] = content_type
        sent = client.post(
            "/api/v1/organisations", content=with_nul(body, "utf-16-le"), headers=headers
        )
        assert sent.status_code == 422, (body, sent.text[:200])
    assert stored_data(app) == before


@pytest.mark.parametrize("kind", BAD)
@pytest.mark.parametrize("content_type", ["text/csv", "text/plain", "application/json"])
def test_an_answers_file_in_json_with_escaped_bad_text_imports_nothing(
    app: FastAPI, client: TestClient, ours: Tenant, kind: str, content_type: str
) -> None:
    """CWE-158, CWE-176: JSON answers imported under any Content-Type, the bad text as an
    escape (the only way JSON holds it) in a respondent's label or a text answer."""
    before = stored_data(app)
    for entry in (
        {"respondent": f"r{BAD[kind]}", "listen-feedback": 3},
        {"respondent": "r1", "act-owner": BAD[kind]},
    ):
        source = escaped([entry])
        if content_type == "application/json":
            source = escaped(source.decode())  # a JSON string holding the file
        sent = client.post(
            f"/api/v1/assessments/{ours.assessment_id}/import",
            content=source,
            headers={**ours.consultant.headers, "Content-Type": content_type},
        )
        assert sent.status_code == 422, (entry, sent.text[:200])
    assert stored_data(app) == before
