"""A consultant's branding page: a logo and colour previewed on a sample cover, kept as
a draft until saved; unusable uploads say what to change and keep what was saved."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from assess.persistence.models.jobs import ReportJob
from assess.persistence.models.organisations import SavedBranding
from tests.conftest import Caller
from tests.factories import png
from tests.web.assessments import make_assessment
from tests.web.browsing import form_token, signed_in


@pytest.fixture
def browsing(app: FastAPI, session: Session, consultant: Caller, published: object) -> TestClient:
    return signed_in(app, session, consultant)


def preview(client: TestClient, accent: str, logo: tuple[str, bytes, str] | None = None):
    token = form_token(client.get("/branding").text)
    files = {"logo": logo} if logo else {"logo": ("", b"", "application/octet-stream")}
    return client.post(
        "/branding/preview",
        data={"form_token": token, "accent": accent},
        files=files,
        follow_redirects=True,
    )


def post(client: TestClient, action: str):
    token = form_token(client.get("/branding").text)
    return client.post(action, data={"form_token": token}, follow_redirects=False)


def saved(session: Session, draft: bool = False) -> SavedBranding | None:
    session.expire_all()
    return session.exec(select(SavedBranding).where(SavedBranding.draft == draft)).first()


def test_a_previewed_branding_is_used_only_once_saved(
    browsing: TestClient, session: Session
) -> None:
    shown = preview(browsing, "#0a7f5c", ("logo.png", png(), "image/png"))
    assert shown.status_code == 200
    assert "Save this branding" in shown.text
    assert saved(session) is None
    draft_sample = browsing.get("/branding/sample.svg?draft=true")
    assert draft_sample.headers["content-type"].startswith("image/svg+xml")
    assert 'fill="#0a7f5c"' in draft_sample.text
    assert "data:image/png;base64," in draft_sample.text
    assert 'fill="#0a7f5c"' not in browsing.get("/branding/sample.svg").text
    assert post(browsing, "/branding/save").status_code == 303
    kept = saved(session)
    assert kept is not None
    assert (kept.accent, kept.logo) == ("#0a7f5c", png())
    assert saved(session, draft=True) is None
    assert "Your branding is saved" in browsing.get("/branding?done=saved").text


def test_reports_asked_for_in_the_console_carry_the_saved_branding(
    app: FastAPI, client: TestClient, session: Session, consultant: Caller, published: object
) -> None:
    browsing = signed_in(app, session, consultant)
    preview(browsing, "#aa3300", ("logo.png", png(), "image/png"))
    post(browsing, "/branding/save")
    assessment = make_assessment(client, consultant, "Muster GmbH")
    token = form_token(browsing.get(f"/assessments/{assessment}/results").text)
    asked = browsing.post(
        f"/assessments/{assessment}/reports",
        data={"language": "de", "form_token": token},
        follow_redirects=False,
    )
    assert asked.status_code == 303
    session.expire_all()
    job = session.exec(select(ReportJob)).one()
    assert (job.accent, job.logo) == ("#aa3300", png())


@pytest.mark.parametrize(
    ("upload", "says"),
    [
        (("logo.gif", b"GIF89a" + b"\x00" * 40, "image/gif"), "is not a PNG, JPEG or SVG"),
        (("logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "image/png"), "cannot be read"),
        (
            (
                "logo.svg",
                b'<svg xmlns="http://www.w3.org/2000/svg"><image href="http://x/a.png"/></svg>',
                "image/svg+xml",
            ),
            "refers to other files",
        ),
        (("logo.png", png() + b"\x00" * 1_100_000, "image/png"), "too large"),
    ],
)
def test_an_unusable_logo_says_what_to_change_and_keeps_the_saved_branding(
    browsing: TestClient, session: Session, upload: tuple[str, bytes, str], says: str
) -> None:
    preview(browsing, "#0a7f5c", ("logo.png", png(), "image/png"))
    post(browsing, "/branding/save")
    refused = preview(browsing, "#123456", upload)
    assert refused.status_code in (413, 422)
    assert says in refused.text
    assert "Your saved branding was not changed" in refused.text
    if refused.status_code == 422:
        assert 'value="#123456"' in refused.text  # the colour chosen is kept in the form
    kept = saved(session)
    assert kept is not None
    assert (kept.accent, kept.logo) == ("#0a7f5c", png())
    assert saved(session, draft=True) is None


def test_a_colour_alone_keeps_the_saved_logo_and_no_logo_removes_it(
    browsing: TestClient, session: Session
) -> None:
    preview(browsing, "#0a7f5c", ("logo.png", png(), "image/png"))
    post(browsing, "/branding/save")
    preview(browsing, "#222222")
    draft = saved(session, draft=True)
    assert draft is not None
    assert (draft.accent, draft.logo) == ("#222222", png())
    token = form_token(browsing.get("/branding").text)
    browsing.post(
        "/branding/preview",
        data={"form_token": token, "accent": "#222222", "logo_choice": "none"},
        files={"logo": ("", b"", "application/octet-stream")},
    )
    draft = saved(session, draft=True)
    assert draft is not None
    assert draft.logo is None
    assert post(browsing, "/branding/discard").status_code == 303
    kept = saved(session)
    assert saved(session, draft=True) is None
    assert kept is not None
    assert kept.logo == png()
