"""Server-side request forgery and local file reads through what the report renderer
reads: questionnaire texts, names, the accent colour (CSS) and the logo."""

from __future__ import annotations

import base64
import io
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.adversarial.hostile import make_hostile, pdf_words, report_pdf
from tests.conftest import Caller, make_caller

PASSWD = "root:x:0:0"  # the first line of /etc/passwd on any Linux


class Listener:
    """An HTTP server on 127.0.0.1 that records every request it gets."""

    def __init__(self) -> None:
        heard: list[str] = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                heard.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "text/css")
                self.end_headers()
                self.wfile.write(b"body { background: red }")

            def log_message(self, *args: object) -> None:
                pass

        self.heard = heard
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture
def listener() -> Iterator[Listener]:
    listening = Listener()
    thread = threading.Thread(target=listening.server.serve_forever, daemon=True)
    thread.start()
    yield listening
    listening.server.shutdown()
    listening.server.server_close()


def png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "#0a7f5c").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.slow
def test_the_report_fetches_nothing_that_user_texts_point_to(
    client: TestClient, session: Session, consultant: Caller, published: object, listener: Listener
) -> None:
    """CWE-918 Server-side request forgery, CWE-73 External control of file name or path:
    questionnaire texts, names and departments holding images, style sheets and CSS
    imports of a local server and of /etc/passwd, rendered to PDF with a logo: no request
    reaches the server, no byte of the file reaches the PDF, the markup prints as text."""
    u = listener.url
    text = (
        f'<img src="{u}/img"><img src="file:///etc/passwd"><link rel=stylesheet href="{u}/l">'
        f"<style>@import url({u}/css);</style>"
    )
    short = f'<img src="{u}/s">'
    admin = make_caller(session, "root@example.org", admin=True)
    hostile = make_hostile(client, admin, consultant, text, short)
    pdf = report_pdf(
        client, consultant, hostile.assessment_id, logo=base64.b64encode(png()).decode()
    )
    words = pdf_words(pdf)
    assert listener.heard == []
    assert PASSWD not in words
    assert PASSWD.encode() not in pdf
    assert '<imgsrc="file:///etc/passwd">' in words
    preview = client.get(
        f"/api/v1/assessments/{hostile.assessment_id}/reports/preview?lang=en",
        headers=consultant.headers,
    )
    assert preview.status_code == 200
    for markup in (f'<img src="{u}', '<img src="file:', "<link rel=stylesheet", "<style>@import"):
        assert markup not in preview.text
    assert listener.heard == []


def test_css_and_logos_that_point_elsewhere_are_refused_before_rendering(
    client: TestClient, session: Session, consultant: Caller, published: object, listener: Listener
) -> None:
    """CWE-918 Server-side request forgery, CWE-73 External control of file name or path:
    an accent colour that smuggles CSS, an SVG logo that links or imports anything, and a
    logo given as an address are refused (422) when the report is asked for."""
    admin = make_caller(session, "root@example.org", admin=True)
    hostile = make_hostile(client, admin, consultant, "Plain", "Plain")
    u = listener.url
    svg = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">{}</svg>'
    logos = [
        svg.format(f'<image href="{u}/svg"/>'),
        svg.format('<image xlink:href="file:///etc/passwd"/>'),
        svg.format(f"<style>@import url({u}/svgcss);</style>"),
        svg.format(f'<rect style="fill:url({u}/fill)"/>'),
        f"{u}/logo.png",
    ]
    for accent in (
        f"red;background:url({u}/accent)",
        "#0a7;background:url(file:///etc/passwd)",
        f"#0a7}} @import url({u}/x); a {{",
    ):
        asked = client.post(
            f"/api/v1/assessments/{hostile.assessment_id}/reports",
            json={"accent": accent},
            headers=consultant.headers,
        )
        assert asked.status_code == 422, accent
        preview = client.get(
            f"/api/v1/assessments/{hostile.assessment_id}/reports/preview",
            params={"lang": "en", "accent": accent},
            headers=consultant.headers,
        )
        assert preview.status_code == 422, accent
    for logo in logos:
        for sent in (base64.b64encode(logo.encode()).decode(), logo):
            asked = client.post(
                f"/api/v1/assessments/{hostile.assessment_id}/reports",
                json={"logo": sent},
                headers=consultant.headers,
            )
            assert asked.status_code == 422, logo
    assert listener.heard == []
